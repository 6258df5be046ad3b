// Client benchmarks (not tests). Run: pnpm --filter @zcrm-sharing/client bench
//  1. per-call time of revokeSharedRecord against raw fetch on the same local server (median ratio),
//     over the global fetch and over @zcrm-sharing/client/node, with the CPU each spends per call
//     (the server runs in its own process, so this process's CPU is the caller's alone)
//  2. min+gz size of an app bundle that imports only createZohoCrmClient/revokeSharedRecord
//  3. import time and memory of this package against @zohocrm/typescript-sdk-8.0 (fresh processes)
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { createZohoCrmClient } from '../dist/index.js';
import { createNodeFetch } from '../dist/node.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};

// 1. Per-call time and CPU ------------------------------------------------------------------
{
  const serverScript = `
    const body = JSON.stringify({ share: { code: 'SUCCESS', details: { id: '4150868000001148212' }, message: 'Sharing Revoked', status: 'success' } });
    const server = require('node:http').createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body));
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', serverScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = await once(child.stdout, 'data');
  const base = `http://127.0.0.1:${String(port).trim()}/crm/v8`;
  const url = `${base}/Contacts/4150868000001148212/actions/share`;
  const nodeFetch = createNodeFetch({ maxSockets: 8 });
  const viaFetch = createZohoCrmClient({ auth: { accessToken: 'bench-token' }, baseUrl: base });
  const viaNode = createZohoCrmClient({ auth: { accessToken: 'bench-token' }, baseUrl: base, fetch: nodeFetch });
  const variants = {
    rawFetch: async () => {
      const res = await fetch(url, { method: 'DELETE', headers: { authorization: 'Zoho-oauthtoken bench-token' } });
      return JSON.parse(await res.text());
    },
    rawNodeTransport: async () => {
      const res = await nodeFetch(url, { method: 'DELETE', headers: { authorization: 'Zoho-oauthtoken bench-token' } });
      return JSON.parse(await res.text());
    },
    clientOverFetch: () => viaFetch.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' }),
    clientOverNodeTransport: () => viaNode.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' }),
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
  for (let round = 0; round < 15; round++) {
    // Rotate the order so no variant always runs on a warmer (or busier) machine.
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      rounds[name].push(await time(variants[name], 300));
    }
  }
  nodeFetch.close();
  child.kill();
  const summary = (name) => ({ msPerCall: +median(rounds[name].map((r) => r.ms)).toFixed(4), cpuMsPerCall: +median(rounds[name].map((r) => r.cpuMs)).toFixed(4) });
  const raw = summary('rawFetch');
  const overFetch = summary('clientOverFetch');
  const overNode = summary('clientOverNodeTransport');
  const rawNode = summary('rawNodeTransport');
  results.overhead = {
    rawFetch: raw,
    rawNodeTransport: { ...rawNode, timeRatio: +(rawNode.msPerCall / raw.msPerCall).toFixed(3), cpuRatio: +(rawNode.cpuMsPerCall / raw.cpuMsPerCall).toFixed(3) },
    clientOverFetch: {
      ...overFetch,
      timeRatio: +(overFetch.msPerCall / raw.msPerCall).toFixed(3),
      cpuRatio: +(overFetch.cpuMsPerCall / raw.cpuMsPerCall).toFixed(3),
      target: 'timeRatio <= 1.10',
    },
    clientOverNodeTransport: {
      ...overNode,
      timeRatio: +(overNode.msPerCall / raw.msPerCall).toFixed(3),
      cpuRatio: +(overNode.cpuMsPerCall / raw.cpuMsPerCall).toFixed(3),
      target: 'well under 1.0x raw fetch',
    },
  };
}

// 2. Bundle size ----------------------------------------------------------------------------
{
  const out = await build({
    stdin: {
      contents: `import { createZohoCrmClient } from '@zcrm-sharing/client';
        const client = createZohoCrmClient({ auth: { accessToken: process.env.ZOHO_ACCESS_TOKEN } });
        client.revokeSharedRecord({ module: 'Contacts', recordId: process.argv[2] }).then(console.log);`,
      resolveDir: here,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    alias: { '@zcrm-sharing/client': join(here, '../dist/index.js') },
  });
  const code = out.outputFiles[0].contents;
  results.bundle = { minifiedBytes: code.length, minifiedGzipBytes: gzipSync(code, { level: 9 }).length, target: '<= 6144 gz' };
}

// 3. Import time and memory vs Zoho's SDK ---------------------------------------------------
{
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

console.log(JSON.stringify(results, null, 2));
