// Client benchmarks (not tests). Run: pnpm --filter @zcrm-sharing/client bench
//  1. per-call overhead of revokeSharedRecord against raw fetch on the same local server (median ratio)
//  2. min+gz size of an app bundle that imports only createZohoCrmClient/revokeSharedRecord
//  3. import time and memory of this package against @zohocrm/typescript-sdk-8.0 (fresh processes)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { createZohoCrmClient } from '../dist/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};

// 1. Overhead -------------------------------------------------------------------------------
{
  const body = JSON.stringify({ share: { code: 'SUCCESS', details: { id: '4150868000001148212' }, message: 'Sharing Revoked', status: 'success' } });
  const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}/crm/v8`;
  const url = `${base}/Contacts/4150868000001148212/actions/share`;
  const client = createZohoCrmClient({ auth: { accessToken: 'bench' }, baseUrl: base });
  const raw = async () => {
    const res = await fetch(url, { method: 'DELETE', headers: { authorization: 'Zoho-oauthtoken bench' } });
    return JSON.parse(await res.text());
  };
  const viaClient = () => client.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' });
  const time = async (fn, n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return (performance.now() - t) / n;
  };
  for (let i = 0; i < 500; i++) await raw(), await viaClient(); // warm up both paths
  const rawRounds = [];
  const clientRounds = [];
  for (let round = 0; round < 15; round++) {
    // Alternate the order so neither side always runs on a warmer machine.
    if (round % 2) (rawRounds.push(await time(raw, 300)), clientRounds.push(await time(viaClient, 300)));
    else (clientRounds.push(await time(viaClient, 300)), rawRounds.push(await time(raw, 300)));
  }
  server.close();
  results.overhead = {
    rawFetchMedianMsPerCall: +median(rawRounds).toFixed(4),
    clientMedianMsPerCall: +median(clientRounds).toFixed(4),
    ratio: +(median(clientRounds) / median(rawRounds)).toFixed(3),
    target: '<= 1.15',
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
