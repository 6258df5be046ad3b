// CLI benchmarks (not tests). Run: pnpm --filter @zcrm-sharing/cli bench
//  1. bulk revoke of 20,000 ids, sandbox concurrency limit 10 and 20 ms latency: throughput against the
//     ceiling (10 / 20 ms = 500 revokes/s), lost/duplicated ids, peak memory of the CLI process;
//  2. the same job as a plain sequential loop over the client (time-boxed to its first 1,000 ids);
//  3. peak memory of --dry-run over 1,000,000 ids, and of --resume --dry-run after 900,000 of them;
//  4. wall time of --help.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { createZohoCrmClient } from '@zcrm-sharing/client';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';

const BIN = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zcrm-cli-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
// The sandbox every throughput figure is measured against, and the most it can answer per second.
const LIMIT = 10;
const LATENCY_MS = 20;
const CEILING_PER_SECOND = (LIMIT * 1000) / LATENCY_MS; // 500
const fractionOfCeiling = (rate) => +(rate / CEILING_PER_SECOND).toFixed(3);

/** Runs the bin under /usr/bin/time -v; returns exit code, wall ms and peak RSS in MiB. */
async function timed(args, env = {}) {
  const t = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  const kb = Number(stderr.trim().split('\n').at(-1));
  return { code, wallMs: performance.now() - t, peakRssMiB: +(kb / 1024).toFixed(1) };
}

// 1. Bulk revoke through the CLI -------------------------------------------------------------
{
  const N = 20_000;
  const seed = demoSeed({ records: N });
  const ids = seed.records.filter((r) => r.module === 'Contacts').map((r) => r.id);
  const shared = seed.records.filter((r) => r.module === 'Contacts' && r.shares.length > 0).length;
  const file = join(dir, 'ids.txt');
  writeFileSync(file, `${ids.join('\n')}\n`);
  const sandbox = await startSandbox({ seed, concurrencyLimit: LIMIT, latencyMs: LATENCY_MS });
  const run = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--concurrency', String(LIMIT), '--base-url', sandbox.apiBaseUrl], {
    ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken,
  });
  const stats = sandbox.stats();
  let lost = 0;
  let duplicated = 0;
  for (const id of ids) {
    const r = sandbox.record('Contacts', id);
    if (r.revokeCalls === 0 || r.shares !== 0) lost++;
    if (r.revokeCalls > 1 || r.revokeSuccesses > 1) duplicated++;
  }
  await sandbox.close();
  const rate = (N / run.wallMs) * 1000;
  results.bulk = {
    ids: N,
    exitCode: run.code,
    wallSeconds: +(run.wallMs / 1000).toFixed(2),
    revokesPerSecond: Math.round(rate),
    ceilingPerSecond: CEILING_PER_SECOND,
    fractionOfCeiling: fractionOfCeiling(rate),
    lostIds: lost,
    duplicatedIds: duplicated,
    revokedBySandbox: stats.revoke.succeeded,
    expectedRevoked: shared,
    rateLimited429s: stats.rateLimited,
    peakRssMiB: run.peakRssMiB,
    target: '>= 0.90 of the ceiling, 0 lost, 0 duplicated',
  };
}

// 1b. Baseline in the same run: the same 20,000 calls from 10 bare node:http loops in their own process
//     (no client, no CLI, no journal): the most any client reaches against this sandbox here, now.
{
  const N = 20_000;
  const seed = demoSeed({ records: N });
  const sandbox = await startSandbox({ seed, concurrencyLimit: LIMIT, latencyMs: LATENCY_MS });
  const ids = seed.records.filter((r) => r.module === 'Contacts').map((r) => r.id);
  const file = join(dir, 'baseline-ids.json');
  writeFileSync(file, JSON.stringify(ids));
  const loop = `
    import http from 'node:http';
    import { readFileSync } from 'node:fs';
    const ids = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'));
    const agent = new http.Agent({ keepAlive: true, maxSockets: ${LIMIT} });
    let next = 0;
    const del = (id) => new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: ${new URL(sandbox.url).port}, path: '/crm/v8/Contacts/' + id + '/actions/share', method: 'DELETE', agent,
        headers: { authorization: 'Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}' } }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
      req.end();
    });
    const t = performance.now();
    await Promise.all(Array.from({ length: ${LIMIT} }, async () => { while (next < ids.length) await del(ids[next++]); }));
    process.stdout.write(String(performance.now() - t));
    agent.destroy();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', loop], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await once(child, 'exit');
  const ms = Number(out);
  const stats = sandbox.stats();
  await sandbox.close();
  const rate = (N / ms) * 1000;
  results.bareHttpBaseline = {
    ids: N,
    revokesPerSecond: Math.round(rate),
    fractionOfCeiling: fractionOfCeiling(rate),
    rateLimited429s: stats.rateLimited,
    cliAsFractionOfBaseline: +(results.bulk.revokesPerSecond / rate).toFixed(3),
  };
}

// 2. The same job as a plain sequential loop over the client ----------------------------------
{
  const N = 1000;
  const seed = demoSeed({ records: N });
  const sandbox = await startSandbox({ seed, concurrencyLimit: LIMIT, latencyMs: LATENCY_MS });
  const client = createZohoCrmClient({ auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: sandbox.apiBaseUrl });
  const t = performance.now();
  for (const r of seed.records.filter((r) => r.module === 'Contacts')) {
    await client.revokeSharedRecord({ module: 'Contacts', recordId: r.id }).catch(() => {});
  }
  const ms = performance.now() - t;
  await sandbox.close();
  const rate = (N / ms) * 1000;
  results.sequentialLoop = {
    ids: N,
    revokesPerSecond: Math.round(rate),
    fractionOfCeiling: fractionOfCeiling(rate),
    projectedSecondsFor20000: Math.round(20_000 / rate),
    cliSpeedup: +(results.bulk.revokesPerSecond / rate).toFixed(1),
  };
}

// 3. --dry-run over 1,000,000 ids ------------------------------------------------------------
{
  const file = join(dir, 'million.txt');
  const out = createWriteStream(file);
  for (let i = 0n; i < 1_000_000n; i++) if (!out.write(`${4150868000001148212n + i}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  const run = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--dry-run']);
  results.dryRunMillion = { exitCode: run.code, wallSeconds: +(run.wallMs / 1000).toFixed(2), peakRssMiB: run.peakRssMiB, target: '< 150 MiB' };

  // The same million after a crash at 90%: --resume --dry-run reads a 900,000-entry journal first.
  const journal = createWriteStream(`${file}.journal`);
  for (let i = 0n; i < 900_000n; i++) {
    const line = `${JSON.stringify({ id: `${4150868000001148212n + i}`, outcome: i % 10n ? 'revoked' : 'not_shared' })}\n`;
    if (!journal.write(line)) await once(journal, 'drain');
  }
  journal.end();
  await once(journal, 'finish');
  const resumed = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--dry-run', '--resume']);
  results.resumeDryRunMillion = {
    exitCode: resumed.code,
    journalEntries: 900_000,
    wallSeconds: +(resumed.wallMs / 1000).toFixed(2),
    peakRssMiB: resumed.peakRssMiB,
    extraOverDryRunMiB: +(resumed.peakRssMiB - run.peakRssMiB).toFixed(1),
  };
}

// 4. --help --------------------------------------------------------------------------------------
{
  const walls = [];
  for (let i = 0; i < 15; i++) walls.push((await timed(['--help'])).wallMs);
  const nodeOnly = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    const c = spawn(process.execPath, ['-e', '0']);
    await once(c, 'exit');
    nodeOnly.push(performance.now() - t);
  }
  results.help = { medianWallMs: +median(walls).toFixed(1), bareNodeStartMs: +median(nodeOnly).toFixed(1), target: '< 150 ms' };
}

rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(results, null, 2));
