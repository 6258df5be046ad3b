// CLI benchmarks (not tests). Run: ./dev --filter @zcrm-sharing/cli bench (after ./dev build)
//  1. --concurrency auto, not told the limit: a bulk revoke of 20,000 ids against sandbox concurrency
//     limits of 5, 10, 15, 20 and 25 at 20 ms latency. Throughput against the ceiling (limit / 20 ms),
//     and against a baseline measured in the same run: the same calls from `limit` bare node:http loops
//     in their own process (no client, no CLI, no journal). Lost ids, ids sent twice, the 429s it took
//     to find the limit and in all, peak memory of the CLI process.
//  2. --concurrency 10 (pinned) at limit 10.
//  3. the same job as a plain sequential loop over the client (its first 1,000 ids).
//  4. peak memory of --dry-run over 1,000,000 ids (and 50,000 duplicates), and of --resume --dry-run
//     after 900,000 of them were journalled; of --dry-run over a 1,000,000-row Zoho export (CSV).
//  5. wall time of --help.
// BENCH_LIMITS=10,25 and BENCH_IDS=5000 shorten a run; BENCH_ONLY=auto (or pinned, sequential, dry-run, help,
// comma-separated) runs those parts alone.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { timeBareLoop } from './bare-loop.mjs';
import { createZohoCrmClient } from '@zcrm-sharing/client';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';

const BIN = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zcrm-cli-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const LIMITS = (process.env.BENCH_LIMITS ?? '5,10,15,20,25').split(',').map(Number);
const IDS = Number(process.env.BENCH_IDS ?? 20_000);
const LATENCY_MS = 20;
const ceilingOf = (limit) => (limit * 1000) / LATENCY_MS;
const load = () => loadavg().map((l) => +l.toFixed(2));
const ONLY = process.env.BENCH_ONLY?.split(',');
const part = (name) => !ONLY || ONLY.includes(name);
const results = { node: process.version, loadAverageAtStart: load(), ids: IDS, latencyMs: LATENCY_MS };

/**
 * Runs the bin under /usr/bin/time; returns exit code, wall ms, peak RSS in MiB and the --json summary.
 * Its stdout (a JSON line per id with --json) goes to a file, not through this process: the sandbox
 * runs here, and reading megabytes of output in its event loop would slow the server under test.
 */
async function timed(args, env = {}) {
  const outFile = join(dir, 'stdout.jsonl');
  const fd = openSync(outFile, 'w');
  const t = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  const wallMs = performance.now() - t;
  const kb = Number(stderr.trim().split('\n').at(-1));
  const last = readFileSync(outFile, 'utf8').trim().split('\n').at(-1);
  return { code, wallMs, peakRssMiB: +(kb / 1024).toFixed(1), summary: last?.startsWith('{') ? JSON.parse(last) : undefined };
}

function seedAndFile(n, name) {
  const seed = demoSeed({ records: n });
  const ids = seed.records.filter((r) => r.module === 'Contacts').map((r) => r.id);
  const file = join(dir, name);
  writeFileSync(file, `${ids.join('\n')}\n`);
  return { seed, ids, file };
}

/** The bulk revoke through the CLI against a fresh sandbox with `limit`; `extra` flags (none: auto). */
async function cliRun(limit, extra = []) {
  const { seed, ids, file } = seedAndFile(IDS, `ids-${limit}-${extra.join('')}.txt`);
  const sandbox = await startSandbox({ seed, concurrencyLimit: limit, latencyMs: LATENCY_MS });
  // One call per id (issue 24's figure); the backed-up revoke and the restore are bench/undo.mjs's.
  const run = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', '--no-backup', '--base-url', sandbox.apiBaseUrl, ...extra], { ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken });
  const stats = sandbox.stats();
  let lost = 0;
  let sentTwice = 0;
  for (const id of ids) {
    const r = sandbox.record('Contacts', id);
    if (r.revokeCalls === 0 || r.shares !== 0) lost++;
    if (r.revokeCalls > 1) sentTwice++;
  }
  await sandbox.close();
  const rate = (IDS / run.wallMs) * 1000;
  const c = run.summary?.concurrency;
  return {
    exitCode: run.code,
    wallSeconds: +(run.wallMs / 1000).toFixed(2),
    revokesPerSecond: Math.round(rate),
    ceilingPerSecond: ceilingOf(limit),
    fractionOfCeiling: +(rate / ceilingOf(limit)).toFixed(3),
    lostIds: lost,
    sentTwice,
    concurrency: c && { mode: c.mode, settledAt: c.settled?.limit ?? null, after429s: c.settled?.after429s ?? 0, final: c.limit, ceiling: c.ceiling, probes: c.probes },
    rateLimited429s: stats.rateLimited,
    maxInFlightPerOrg: stats.maxInFlightPerOrg,
    peakRssMiB: run.peakRssMiB,
  };
}

/** The same calls from `limit` bare node:http loops in their own process: the most any client gets here, now. */
async function bareHttp(limit) {
  const { seed, ids } = seedAndFile(IDS, `baseline-${limit}.txt`);
  const sandbox = await startSandbox({ seed, concurrencyLimit: limit, latencyMs: LATENCY_MS });
  const file = join(dir, `baseline-${limit}.json`);
  writeFileSync(file, JSON.stringify(ids));
  const loop = `
    import http from 'node:http';
    import { readFileSync } from 'node:fs';
    const ids = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'));
    const agent = new http.Agent({ keepAlive: true, maxSockets: ${limit} });
    let next = 0;
    const del = (id) => new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: ${new URL(sandbox.url).port}, path: '/crm/v8/Contacts/' + id + '/actions/share', method: 'DELETE', agent,
        headers: { authorization: 'Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}' } }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
      req.end();
    });
    const t = performance.now();
    await Promise.all(Array.from({ length: ${limit} }, async () => { while (next < ids.length) await del(ids[next++]); }));
    process.stdout.write(String(performance.now() - t));
    agent.destroy();`;
  const elapsedMs = await timeBareLoop(loop);
  const stats = sandbox.stats();
  await sandbox.close();
  const rate = (IDS / elapsedMs) * 1000;
  return { revokesPerSecond: Math.round(rate), fractionOfCeiling: +(rate / ceilingOf(limit)).toFixed(3), rateLimited429s: stats.rateLimited };
}

// 1. --concurrency auto against each edition's limit, with the bare-HTTP baseline of the same limit
results.auto = {};
for (const limit of part('auto') ? LIMITS : []) {
  const cli = await cliRun(limit);
  const baseline = await bareHttp(limit);
  results.auto[limit] = { ...cli, bareHttp: baseline, cliAsFractionOfBaseline: +(cli.revokesPerSecond / baseline.revokesPerSecond).toFixed(3) };
  console.error(`limit ${limit}: ${cli.revokesPerSecond}/s = ${cli.fractionOfCeiling} of ${cli.ceilingPerSecond}/s; bare http ${baseline.fractionOfCeiling}; 429s ${cli.rateLimited429s} (settled at ${cli.concurrency?.settledAt} after ${cli.concurrency?.after429s}); lost ${cli.lostIds}, sent twice ${cli.sentTwice}; load ${load()[0]}`);
}

// 2. pinned at the limit
if (part('pinned')) {
  results.pinned10 = await cliRun(10, ['--concurrency', '10']);
  console.error(`pinned 10 at limit 10: ${results.pinned10.fractionOfCeiling} of the ceiling`);
}

// 3. a plain sequential loop over the client
if (part('sequential')) {
  const n = 1000;
  const seed = demoSeed({ records: n });
  const sandbox = await startSandbox({ seed, concurrencyLimit: 10, latencyMs: LATENCY_MS });
  const client = createZohoCrmClient({ auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: sandbox.apiBaseUrl });
  const t = performance.now();
  for (const r of seed.records.filter((r) => r.module === 'Contacts')) await client.revokeSharedRecord({ module: 'Contacts', recordId: r.id }).catch(() => {});
  const ms = performance.now() - t;
  await sandbox.close();
  const rate = (n / ms) * 1000;
  results.sequentialLoop = { ids: n, revokesPerSecond: Math.round(rate), fractionOfCeilingAtLimit10: +(rate / ceilingOf(10)).toFixed(3) };
}

// 4. --dry-run over 1,000,000 ids and 50,000 duplicates
if (part('dry-run')) {
  const file = join(dir, 'million.txt');
  const out = createWriteStream(file);
  // 1,000,000 distinct ids, then 50,000 repeats of ids spread over them.
  for (let i = 0n; i < 1_050_000n; i++) if (!out.write(`${4150868000001148212n + (i < 1_000_000n ? i : (i - 1_000_000n) * 19n)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  const run = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--dry-run', '--json']);
  results.dryRunMillion = { exitCode: run.code, lines: run.summary?.lines, unique: run.summary?.unique, duplicates: run.summary?.duplicates, wallSeconds: +(run.wallMs / 1000).toFixed(2), peakRssMiB: run.peakRssMiB, target: '< 150 MiB' };

  // After a crash at 90%: --resume --dry-run reads a 900,000-entry journal first.
  const header = { journal: 'zcrm-sharing share revoke', version: 1, module: 'Contacts', api: { origin: 'https://www.zohoapis.com', version: 'v8' }, input: { path: file, size: 0, sha256: '' }, created: new Date().toISOString() };
  header.input.size = statSync(file).size;
  header.input.sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  const journal = createWriteStream(`${file}.journal`);
  journal.write(`${JSON.stringify(header)}\n`);
  for (let i = 0n; i < 900_000n; i++) {
    if (!journal.write(`${JSON.stringify({ id: `${4150868000001148212n + i}`, outcome: i % 10n ? 'revoked' : 'not_shared' })}\n`)) await once(journal, 'drain');
  }
  journal.end();
  await once(journal, 'finish');
  const resumed = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--dry-run', '--resume', '--json']);
  results.resumeDryRunMillion = { exitCode: resumed.code, journalEntries: 900_000, skipped: resumed.summary?.skipped, toSend: resumed.summary?.left, wallSeconds: +(resumed.wallMs / 1000).toFixed(2), peakRssMiB: resumed.peakRssMiB };
}

// 4b. --dry-run over Zoho's export of 1,000,000 Contacts: BOM, CRLF, zcrm_ ids, quoted fields with
// commas and quotes, a Description of three lines (227 MB of RFC 4180 CSV through csv-parse).
if (part('dry-run')) {
  const file = join(dir, 'Contacts_export.csv');
  const out = createWriteStream(file);
  out.write('\uFEFFRecord Id,Contact Owner,First Name,Last Name,Email,Mailing Street,Description,Created Time\r\n');
  for (let i = 0; i < 1_000_000; i++) {
    const row = `zcrm_${4150868000001148212n + BigInt(i)},zcrm_4150868000000224005,Ada${i},"Lovelace, ${i}",ada${i}@example.com,"${i} Main St, Suite 1","Met at the fair, booth ""${i}"".\r\nFollow-up: call back.\r\nNotes, part ${i}",2026-01-01 10:00:00\r\n`;
    if (!out.write(row)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const run = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--dry-run', '--json']);
  results.dryRunMillionExport = { exitCode: run.code, bytes: statSync(file).size, lines: run.summary?.lines, unique: run.summary?.unique, invalid: run.summary?.invalid, wallSeconds: +(run.wallMs / 1000).toFixed(2), peakRssMiB: run.peakRssMiB, target: '< 150 MiB' };
  rmSync(file);
}

// 5. --help
if (part('help')) {
  const walls = [];
  for (let i = 0; i < 15; i++) walls.push((await timed(['--help'])).wallMs);
  const nodeOnly = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await once(spawn(process.execPath, ['-e', '0']), 'exit');
    nodeOnly.push(performance.now() - t);
  }
  results.help = { medianWallMs: +median(walls).toFixed(1), bareNodeStartMs: +median(nodeOnly).toFixed(1), target: '< 150 ms' };
}

results.loadAverageAtEnd = load();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(results, null, 2));
