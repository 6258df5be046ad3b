// Undo benchmark (not a test). Run: node bench/undo.mjs (after ./dev build), or as part of
// `./dev --filter @zcrm-sharing/cli bench`. In one run, at sandbox concurrency limits 5..25 (BENCH_LIMITS),
// 20 ms latency, the CLI not told the limit (--concurrency auto):
//  1. a backed-up revoke of 20,000 records (BENCH_IDS), each shared with 1 to 3 users, roles or groups:
//     two calls per record (the read, then the DELETE), so its ceiling is limit / 20 ms / 2 records a second;
//  2. the restore of that journal: two calls per record (the read, then one POST share);
//  3. --plan over 100,000 records (BENCH_PLAN_IDS) at the last limit: one call per record.
// For each: records/s, the fraction of its ceiling, the same against `limit` bare node:http loops making
// the same calls in the same run (the baseline), records lost or done twice, the 429s, peak RSS.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { timeBareLoop } from './bare-loop.mjs';
import { allScopes, DEMO_CREDENTIALS, demoDirectory, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';

const BIN = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zcrm-undo-bench-'));
const LIMITS = (process.env.BENCH_LIMITS ?? '5,10,15,20,25').split(',').map(Number);
const IDS = Number(process.env.BENCH_IDS ?? 20_000);
const PLAN_IDS = Number(process.env.BENCH_PLAN_IDS ?? 100_000);
const LATENCY_MS = 20;
const FIRST = 4150868000001148212n;
const load = () => loadavg().map((l) => +l.toFixed(2));
const results = { node: process.version, loadAverageAtStart: load(), ids: IDS, planIds: PLAN_IDS, latencyMs: LATENCY_MS, runs: {} };

const directory = demoDirectory();
const pools = { users: directory.users.slice(1), roles: directory.roles, groups: directory.groups };
const TYPES = ['users', 'roles', 'groups'];
const PERMISSIONS = ['read_only', 'read_write', 'full_access'];
/** Record i: 1 to 3 private shares, every type and permission, related records on and off (one POST to restore). */
const sharesOf = (i) =>
  Array.from({ length: 1 + (i % 3) }, (_, j) => {
    const type = TYPES[(i + j) % 3];
    const who = pools[type][(Math.floor(i / 3) + j) % pools[type].length];
    return { type, id: who.id, name: who.name, permission: PERMISSIONS[(i + 2 * j) % 3], shareRelatedRecords: (i + j) % 2 === 0 };
  });

function seedOf(n) {
  const seed = demoSeed({ records: 0 });
  seed.records = Array.from({ length: n }, (_, i) => ({ module: 'Contacts', id: String(FIRST + BigInt(i)), shares: sharesOf(i) }));
  seed.directory = directory;
  seed.tokens = [{ accessToken: DEMO_CREDENTIALS.accessToken, scopes: allScopes() }];
  return seed;
}

async function timed(args) {
  const outFile = join(dir, 'stdout.jsonl');
  const fd = openSync(outFile, 'w');
  const t = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], { env: { ...process.env, ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken }, stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  const wallMs = performance.now() - t;
  const last = readFileSync(outFile, 'utf8').trim().split('\n').at(-1);
  return { code, wallMs, peakRssMiB: +(Number(stderr.trim().split('\n').at(-1)) / 1024).toFixed(1), summary: last?.startsWith('{') ? JSON.parse(last) : undefined, stderrTail: code ? stderr.slice(-600) : undefined };
}

/**
 * The same calls from `limit` bare node:http loops in their own process (no client, no CLI, no journal):
 * per record a GET share, then the DELETE (`revoke`) or the POST of its seed shares (`restore`). What any
 * client gets from this sandbox on this machine now: the baseline the CLI is compared with.
 */
async function bare(sandbox, mode, seed, limit) {
  const file = join(dir, `bare-${mode}-${limit}.json`);
  writeFileSync(file, JSON.stringify(seed.records.map((r) => [r.id, r.shares.map((x) => ({ shared_with: { type: x.type, id: x.id }, permission: x.permission, share_related_records: x.shareRelatedRecords, type: 'private' }))])));
  const loop = `
    import http from 'node:http';
    import { readFileSync } from 'node:fs';
    const records = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'));
    const agent = new http.Agent({ keepAlive: true, maxSockets: ${limit} });
    const call = (method, id, body) => new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: ${new URL(sandbox.url).port}, path: '/crm/v8/Contacts/' + id + '/actions/share', method, agent,
        headers: { authorization: 'Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}', ...(body && { 'content-type': 'application/json' }) } }, (res) => {
        const chunks = []; res.on('data', (c) => chunks.push(c)); res.on('end', () => resolve([res.statusCode, Buffer.concat(chunks).toString()])); });
      req.on('error', reject);
      req.end(body);
    });
    let next = 0;
    const t = performance.now();
    await Promise.all(Array.from({ length: ${limit} }, async () => {
      while (next < records.length) {
        const [id, shares] = records[next++];
        const [status, text] = await call('GET', id);
        if (status === 200) JSON.parse(text);
        ${mode === 'revoke' ? "if (status === 200) await call('DELETE', id);" : "await call('POST', id, JSON.stringify({ share: shares }));"}
      }
    }));
    process.stdout.write(String(performance.now() - t));
    agent.destroy();`;
  return timeBareLoop(loop);
}

const figures = (run, n, callsPerRecord, limit, rateLimited) => {
  const rate = (n / run.wallMs) * 1000;
  const ceiling = (limit * 1000) / LATENCY_MS / callsPerRecord;
  return { exitCode: run.code, wallSeconds: +(run.wallMs / 1000).toFixed(2), recordsPerSecond: Math.round(rate), ceilingRecordsPerSecond: ceiling, fractionOfCeiling: +(rate / ceiling).toFixed(3), credits: run.summary?.credits, rateLimited429s: rateLimited, peakRssMiB: run.peakRssMiB, ...(run.stderrTail && { stderr: run.stderrTail }) };
};

for (const limit of LIMITS) {
  const seed = seedOf(IDS);
  const ids = seed.records.map((r) => r.id);
  const file = join(dir, `ids-${limit}.txt`);
  writeFileSync(file, `${ids.join('\n')}\n`);
  const sandbox = await startSandbox({ seed, concurrencyLimit: limit, latencyMs: LATENCY_MS });
  const base = ['--base-url', sandbox.apiBaseUrl, '--json'];
  const before = sandbox.stats().rateLimited;
  const revoke = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, ...base]);
  const afterRevoke = sandbox.stats().rateLimited;
  let notRevoked = 0;
  let revokedTwice = 0;
  for (const id of ids) {
    const r = sandbox.record('Contacts', id);
    if (r.shares !== 0 || r.revokeSuccesses === 0) notRevoked++;
    if (r.revokeSuccesses > 1) revokedTwice++;
  }
  const restore = await timed(['share', 'restore', '--journal', `${file}.journal`, ...base]);
  let notRestored = 0;
  for (const [i, id] of ids.entries()) if (sandbox.record('Contacts', id).shares !== sharesOf(i).length) notRestored++;
  const stats = sandbox.stats();
  await sandbox.close();
  // The baseline on a sandbox of its own, right after (the same machine, the same minute).
  const other = await startSandbox({ seed: seedOf(IDS), concurrencyLimit: limit, latencyMs: LATENCY_MS });
  const bareRevokeMs = await bare(other, 'revoke', seed, limit);
  const bareRestoreMs = await bare(other, 'restore', seed, limit);
  await other.close();
  const withBaseline = (f, ms) => {
    const bareFraction = +((IDS / ms) * 1000 / f.ceilingRecordsPerSecond).toFixed(3);
    return { ...f, bareHttpFractionOfCeiling: bareFraction, cliAsFractionOfBareHttp: +(f.fractionOfCeiling / bareFraction).toFixed(3) };
  };
  results.runs[limit] = {
    backedUpRevoke: { ...withBaseline(figures(revoke, IDS, 2, limit, afterRevoke - before), bareRevokeMs), notRevoked, revokedTwice },
    restore: { ...withBaseline(figures(restore, IDS, 2, limit, stats.rateLimited - afterRevoke), bareRestoreMs), notRestored },
  };
  const r = results.runs[limit];
  const line = (f) => `${f.fractionOfCeiling} of its ceiling (${f.recordsPerSecond}/${f.ceilingRecordsPerSecond} records/s; bare node:http ${f.bareHttpFractionOfCeiling}, CLI/bare ${f.cliAsFractionOfBareHttp}; ${f.peakRssMiB} MiB)`;
  console.error(`limit ${limit}: backed-up revoke ${line(r.backedUpRevoke)}, restore ${line(r.restore)}; not revoked ${notRevoked}, twice ${revokedTwice}, not restored ${notRestored}; load ${load()[0]}`);
  rmSync(`${file}.journal`, { force: true });
  rmSync(`${file}.journal.restore`, { force: true });
}

// --plan over PLAN_IDS records at the last limit
{
  const limit = LIMITS.at(-1);
  const seed = seedOf(PLAN_IDS);
  const file = join(dir, 'plan.txt');
  writeFileSync(file, `${seed.records.map((r) => r.id).join('\n')}\n`);
  const sandbox = await startSandbox({ seed, concurrencyLimit: limit, latencyMs: LATENCY_MS });
  const run = await timed(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--plan', '--json', '--base-url', sandbox.apiBaseUrl]);
  const stats = sandbox.stats();
  await sandbox.close();
  results.plan = { limit, ...figures(run, PLAN_IDS, 1, limit, stats.rateLimited), shared: run.summary?.shared, recipients: run.summary?.recipients, revokes: stats.revoke?.calls ?? 0 };
  console.error(`plan over ${PLAN_IDS} at limit ${limit}: ${results.plan.fractionOfCeiling} of its ceiling, ${results.plan.peakRssMiB} MiB`);
}

results.loadAverageAtEnd = load();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(results, null, 2));
