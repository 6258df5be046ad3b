// Client benchmarks (not tests). Run: ./dev --filter @zcrm-sharing/client bench (after a build)
//  1. per-call time and CPU of revokeSharedRecord against raw fetch on the same local server (median
//     ratios, one run): over the global fetch and over @zcrm-sharing/client/node, with node:http and the
//     transport's fetch interface alone for reference. The server runs in its own process, so this
//     process's CPU is the caller's alone. Then the two targets' time ratios again, paired call by
//     call (client over fetch vs raw fetch; over client/node vs a bare node:http request).
//  2. min+gz size of app bundles: revoke-only (createZohoCrmCore + revokeSharedRecord), the same with the
//     refresh-token grant, and createZohoCrmClient (every operation and auth mode)
//  3. import time and memory of this package against @zohocrm/typescript-sdk-8.0 (fresh processes)
// The load average is recorded at the start and the end: the machine is shared, the ratios are not.
// `node bench/run.mjs overhead` (or bundle, import) runs that part only.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { createZohoCrmClient } from '../dist/index.js';
import { createNodeFetch } from '../dist/node.js';
import { paired, startRevokeServer } from './local.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((l) => +l.toFixed(2));
const results = { node: process.version, loadAverageAtStart: load() };
const ROUNDS = 15;
const CALLS = 300;
const only = process.argv[2];

// 1. Per-call time and CPU ------------------------------------------------------------------
if (!only || only === 'overhead') {
  const server = await startRevokeServer();
  const { base, url } = server;
  const headers = { authorization: 'Zoho-oauthtoken bench-token' };
  const nodeFetch = createNodeFetch({ maxSockets: 8 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const viaFetch = createZohoCrmClient({ auth: { accessToken: 'bench-token' }, baseUrl: base });
  const viaNode = createZohoCrmClient({ auth: { accessToken: 'bench-token' }, baseUrl: base, fetch: nodeFetch });
  const input = { module: 'Contacts', recordId: '4150868000001148212' };
  const variants = {
    rawFetch: async () => JSON.parse(await (await fetch(url, { method: 'DELETE', headers })).text()),
    // The floor of any node:http transport: a keep-alive request, the body collected, parsed.
    rawNodeHttp: () =>
      new Promise((resolve, reject) => {
        http
          .request(url, { method: 'DELETE', headers, agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          })
          .on('error', reject)
          .end();
      }),
    nodeTransportAsFetch: async () => JSON.parse(await (await nodeFetch(url, { method: 'DELETE', headers })).text()),
    clientOverFetch: () => viaFetch.revokeSharedRecord(input),
    clientOverNodeTransport: () => viaNode.revokeSharedRecord(input),
  };
  const time = async (fn, n) => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < n; i++) await fn();
    const used = process.cpuUsage(cpu);
    return { ms: (performance.now() - t) / n, cpuMs: (used.user + used.system) / 1000 / n };
  };
  for (const fn of Object.values(variants)) for (let i = 0; i < 500; i++) await fn(); // warm up every path
  const rounds = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const names = Object.keys(variants);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so no variant always runs on a warmer (or busier) machine.
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      rounds[name].push(await time(variants[name], CALLS));
    }
  }
  const pairedRatios = {
    method: '6000 pairs, call by call, the slowest 10% of either left out',
    clientOverFetchVsRawFetch: await paired(variants.rawFetch, variants.clientOverFetch),
    clientOverNodeTransportVsRawNodeHttp: await paired(variants.rawNodeHttp, variants.clientOverNodeTransport),
  };
  nodeFetch.close();
  agent.destroy();
  server.stop();
  const raw = { msPerCall: median(rounds.rawFetch.map((r) => r.ms)), cpuMsPerCall: median(rounds.rawFetch.map((r) => r.cpuMs)) };
  // Each ratio is the median of the per-round ratios: the rounds of a pair ran back to back, under the same load.
  const ratio = (name, base, key) => +median(rounds[name].map((r, i) => r[key] / rounds[base][i][key])).toFixed(3);
  const summary = (name, target) => ({
    msPerCall: +median(rounds[name].map((r) => r.ms)).toFixed(4),
    cpuMsPerCall: +median(rounds[name].map((r) => r.cpuMs)).toFixed(4),
    ...(name === 'rawFetch' ? {} : { timeRatio: ratio(name, 'rawFetch', 'ms'), cpuRatio: ratio(name, 'rawFetch', 'cpuMs') }),
    ...(target ? { target } : {}),
  });
  results.overhead = {
    rounds: `${ROUNDS} rounds of ${CALLS} calls per variant, order rotated`,
    pairedRatios,
    rawFetch: { msPerCall: +raw.msPerCall.toFixed(4), cpuMsPerCall: +raw.cpuMsPerCall.toFixed(4) },
    rawNodeHttp: summary('rawNodeHttp'),
    nodeTransportAsFetch: summary('nodeTransportAsFetch'),
    clientOverFetch: summary('clientOverFetch', 'timeRatio <= 1.05'),
    clientOverNodeTransport: {
      ...summary('clientOverNodeTransport', 'well under 1.0x raw fetch; <= 1.05x raw node:http'),
      // The client over @zcrm-sharing/client/node against its own floor, a bare node:http request.
      timeRatioOverRawNodeHttp: ratio('clientOverNodeTransport', 'rawNodeHttp', 'ms'),
      cpuRatioOverRawNodeHttp: ratio('clientOverNodeTransport', 'rawNodeHttp', 'cpuMs'),
    },
  };
}

// 2. Bundle sizes ---------------------------------------------------------------------------
if (!only || only === 'bundle') {
  const bundle = async (contents) => {
    const out = await build({
      stdin: { contents, resolveDir: here, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
      alias: { '@zcrm-sharing/client': join(here, '../dist/index.js') },
    });
    const code = out.outputFiles[0].contents;
    return { minifiedBytes: code.length, minifiedGzipBytes: gzipSync(code, { level: 9 }).length };
  };
  results.bundle = {
    revokeOnly: {
      ...(await bundle(`import { createZohoCrmCore, revokeSharedRecord } from '@zcrm-sharing/client';
        const zoho = createZohoCrmCore({ auth: { accessToken: process.env.ZOHO_ACCESS_TOKEN } });
        revokeSharedRecord(zoho, { module: 'Contacts', recordId: process.argv[2] }).then(console.log);`)),
      target: '<= 6000 gz (6 kB)',
    },
    revokeOnlyWithRefreshTokenGrant: await bundle(`import { createZohoCrmCore, refreshTokenGrant, revokeSharedRecord } from '@zcrm-sharing/client';
        const zoho = createZohoCrmCore({ auth: refreshTokenGrant({ clientId: process.env.ZOHO_CLIENT_ID, clientSecret: process.env.ZOHO_CLIENT_SECRET, refreshToken: process.env.ZOHO_REFRESH_TOKEN }) });
        revokeSharedRecord(zoho, { module: 'Contacts', recordId: process.argv[2] }).then(console.log);`),
    fullClient: await bundle(`import { createZohoCrmClient } from '@zcrm-sharing/client';
        const client = createZohoCrmClient({ auth: { accessToken: process.env.ZOHO_ACCESS_TOKEN } });
        client.revokeSharedRecord({ module: 'Contacts', recordId: process.argv[2] }).then(console.log);`),
  };
}

// 3. Import time and memory vs Zoho's SDK ---------------------------------------------------
if (!only || only === 'import') {
  const sdkDir = join(here, '.zoho-sdk');
  if (!existsSync(join(sdkDir, 'node_modules/@zohocrm/typescript-sdk-8.0'))) {
    mkdirSync(sdkDir, { recursive: true });
    writeFileSync(join(sdkDir, 'package.json'), '{"private":true}');
    console.error('bench: installing @zohocrm/typescript-sdk-8.0 from npm into bench/.zoho-sdk (once)...');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', '@zohocrm/typescript-sdk-8.0'], { cwd: sdkDir, stdio: 'inherit' });
  }
  const measure = (specifier, cwd) => {
    const script = `const t=performance.now(); await import(${JSON.stringify(specifier)}); const ms=performance.now()-t; console.log(JSON.stringify({ms, rss: process.memoryUsage().rss}));`;
    const runs = [];
    for (let i = 0; i < 7; i++) runs.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd }).toString()));
    return { importMs: +median(runs.map((r) => r.ms)).toFixed(1), rssMiB: +(median(runs.map((r) => r.rss)) / 2 ** 20).toFixed(1) };
  };
  const baseline = measure('node:path', here); // an empty process, for reference
  const ours = measure(join(here, '../dist/index.js'), here);
  const zoho = measure('@zohocrm/typescript-sdk-8.0', sdkDir);
  results.import = {
    emptyProcess: baseline,
    '@zcrm-sharing/client': ours,
    '@zohocrm/typescript-sdk-8.0': zoho,
    speedup: +(zoho.importMs / ours.importMs).toFixed(1),
    target: '>= 20x',
  };
}

results.loadAverageAtEnd = load();
console.log(JSON.stringify(results, null, 2));
