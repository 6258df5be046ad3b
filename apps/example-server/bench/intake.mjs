// Webhook intake benchmark (not a test). Run after a build: ./dev --filter @zcrm-sharing/example-server bench
// How many deliveries per second the webhook accepts (answers 202) when each is committed to the SQLite
// store first (WAL, synchronous=FULL: on disk before the answer), against the in-memory intake of
// before (bench/memory-backend.mjs), same load, same run, same machine. Both servers run in this process
// against one sandbox whose calls never finish during the measurement (a 60 s latency), so what is
// measured is the intake alone, not the revokes. Rounds alternate between the two (BENCH_ROUNDS, default 3);
// reported: each round's rate, the median ratio, and what the durable write adds per delivery.
// With the PostgreSQL server binaries (prerequisite 'postgres'), a throwaway cluster is started and
// the Postgres intake (row and pg-boss job in one transaction before the 202) measured the same way.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';
import { createExampleServer } from '../dist/index.js';
import { memoryBackend } from './memory-backend.mjs';
import { startPostgres } from '@zcrm-sharing/test-support/postgres';
import { locate } from '@zcrm-sharing/test-support/prerequisites';

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 32);
const SECRET = 'bench-webhook-secret-0123456789';
const FIRST = 4150868000001148212n;

const sandbox = await startSandbox({ seed: demoSeed({ records: 10 }), latencyMs: 60_000 });
const pgBin = locate('postgres');
const postgres = pgBin.available ? await startPostgres({ binDir: pgBin.path }) : undefined;
if (!postgres) console.log(`no Postgres intake: ${pgBin.reason}`);
let databases = 0;

async function server(kind, dataDir) {
  return createExampleServer({
    zoho: { auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: sandbox.apiBaseUrl, maxRetries: 0 },
    webhookSecret: SECRET,
    dataDir,
    queueLimit: 1_000_000,
    jobLogSize: 1000,
    shutdownGraceMs: 100,
    log: () => {},
    ...(kind === 'memory' ? { backend: memoryBackend() } : {}),
    ...(kind === 'postgres' ? { databaseUrl: postgres.createDatabase(`bench_${++databases}`) } : {}),
  });
}

/** Sends `n` deliveries for distinct records (each a new job) from SENDERS keep-alive connections. */
async function load(url, offset, n) {
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  const { hostname, port } = new URL(url);
  let next = 0;
  let accepted = 0;
  const one = (recordId) =>
    new Promise((resolve, reject) => {
      const body = `module=Contacts&recordId=${recordId}`;
      const req = request({ hostname, port, path: '/webhooks/zoho/revoke-sharing', method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length, 'x-webhook-secret': SECRET } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < n) {
        const i = next++;
        if ((await one(String(FIRST + BigInt(offset + i)))) === 202) accepted++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  if (accepted !== n) throw new Error(`only ${accepted} of ${n} deliveries answered 202`);
  return n / seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const rates = { sqlite: [], memory: [], postgres: [] };
let offset = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const kinds = ['memory', 'sqlite', ...(postgres ? ['postgres'] : [])];
  for (const kind of round % 2 ? kinds : kinds.toReversed()) {
    const dataDir = mkdtempSync(join(tmpdir(), 'zcrm-bench-'));
    const s = await server(kind, dataDir);
    await load(s.url, 9_000_000 + offset, 200); // warm-up
    offset += 200;
    rates[kind].push(await load(s.url, offset, DELIVERIES));
    offset += DELIVERIES;
    await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`round ${round}: ${kinds.map((k) => `${k} ${Math.round(rates[k].at(-1))}/s`).join(', ')}`);
}
await sandbox.close();
postgres?.stop();
const ratios = (kind) => rates[kind].map((r, i) => r / rates.memory[i]);
const mem = median(rates.memory);
const sql = median(rates.sqlite);
const load1 = (await import('node:os')).loadavg()[0].toFixed(2);
console.log(
  `\nwebhook intake, ${DELIVERIES} deliveries for distinct records, ${SENDERS} keep-alive senders, ${ROUNDS} rounds (Node ${process.version}, load average ${load1}):\n` +
    `  in-memory (before): median ${Math.round(mem)} deliveries/s\n` +
    `  SQLite, committed before the 202: median ${Math.round(sql)} deliveries/s\n` +
    `  ratio ${(sql / mem).toFixed(2)} (SQLite / in-memory; per round ${ratios('sqlite').map((r) => r.toFixed(2)).join(', ')}, median ${median(ratios('sqlite')).toFixed(2)}); the durable write adds ${Math.round((1 / sql - 1 / mem) * 1e6)} µs per delivery`,
);
if (postgres) {
  const pgRate = median(rates.postgres);
  console.log(
    `  Postgres (local throwaway cluster, fsync=off), committed before the 202: median ${Math.round(pgRate)} deliveries/s\n` +
      `  ratio ${(pgRate / mem).toFixed(2)} (Postgres / in-memory; per round ${ratios('postgres').map((r) => r.toFixed(2)).join(', ')}); the transaction adds ${Math.round((1 / pgRate - 1 / mem) * 1e6)} µs per delivery`,
  );
}
