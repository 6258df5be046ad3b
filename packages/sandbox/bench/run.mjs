// Sandbox benchmark (not a test). Run: pnpm --filter @zcrm-sharing/sandbox bench
//  1. Request rate and latency of the sandbox (request validation on) against `prism mock` serving the
//     same spec: same load tool (autocannon), same request mix, same connections and duration, same run.
//     Each server runs in its own process, both up for the whole section; the load runs in this one and
//     alternates between them (ROUNDS rounds, default 2), so a change in the machine's load hits both.
//     Reported: each round's rates, the median ratio, and each server's CPU time per request (from
//     /proc/<pid>/stat), which depends far less on what else the machine runs than a rate does.
//  2. 200 concurrent connections against the sandbox with a concurrency limit of 25 per org (Zoho's
//     Enterprise ceiling): every answer must be a modelled one (200, 400 nothing-to-revoke, 429); no
//     socket errors, no timeouts, nothing else.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, startPrism } from '@zcrm-sharing/openapi/testing/prism';

const BIN = fileURLToPath(new URL('../bin/zcrm-sandbox.js', import.meta.url));
const TOKEN = '1000.sandbox-demo.access-token'; // the demo seed's fake sandbox token
const FIRST = 4150868000001148212n;
const RECORDS = 400_000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 50;
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Loads a server and measures what it cost that server: autocannon's figures plus CPU per request. */
async function measure(url, prefix, pid) {
  const cpu = cpuSeconds(pid);
  const r = await load(url, prefix, CONNECTIONS, DURATION);
  return { r, cpuUsPerRequest: Math.round(((cpuSeconds(pid) - cpu) / r.requests.total) * 1e6) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function startSandboxProcess(extra = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, '--port', String(port), '--demo-records', String(RECORDS), ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  while (!out.includes('listening')) {
    if (child.exitCode !== null) throw new Error(`sandbox exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid,
    stats: async () => (await fetch(`${url}/__sandbox/stats`)).json(),
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Revokes across distinct Contacts records, then the rules rerun (busy after the first) one call in ten. */
let n = 0n; // shared by every run, so each revoke meets a record that is still shared
function load(url, prefix, connections, duration) {
  return autocannon({
    url,
    connections,
    duration,
    headers: { authorization: `Zoho-oauthtoken ${TOKEN}`, accept: 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const i = n++;
          if (i % 10n === 9n) return { ...req, method: 'POST', path: `${prefix}/settings/data_sharing/rules/actions/run?module=Leads` };
          return { ...req, method: 'DELETE', path: `${prefix}/Contacts/${FIRST + (i % BigInt(RECORDS))}/actions/share` };
        },
      },
    ],
  });
}

const summarize = (r) => ({
  requestsPerSecond: Math.round(r.requests.average),
  latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
  total: r.requests.total,
  '2xx': r['2xx'],
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});

const results = { machine: `${process.platform} ${process.arch}, node ${process.version}`, durationSeconds: DURATION, connections: CONNECTIONS };

// 1. Sandbox vs Prism mock -------------------------------------------------------------------
{
  const prism = await startPrism();
  const sandbox = await startSandboxProcess();
  await load(prism.url, '', 10, 2); // warm-up
  await load(sandbox.url, '/crm/v8', 10, 2);
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const p = await measure(prism.url, '', prism.pid);
    const s = await measure(sandbox.url, '/crm/v8', sandbox.pid);
    rounds.push({ p, s, ratio: s.r.requests.average / p.r.requests.average });
  }
  const stats = await sandbox.stats();
  await Promise.all([prism.stop(), sandbox.stop()]);

  const last = rounds.at(-1);
  results.prismMock = { ...summarize(last.p.r), cpuUsPerRequest: median(rounds.map((x) => x.p.cpuUsPerRequest)) };
  results.sandbox = { ...summarize(last.s.r), cpuUsPerRequest: median(rounds.map((x) => x.s.cpuUsPerRequest)), requestValidation: true, byStatus: stats.byStatus };
  results.rounds = rounds.map((x) => ({ prismMock: Math.round(x.p.r.requests.average), sandbox: Math.round(x.s.r.requests.average), ratio: +x.ratio.toFixed(1) }));
  results.ratio = +median(rounds.map((x) => x.ratio)).toFixed(1);
  results.cpuPerRequestRatio = +(results.prismMock.cpuUsPerRequest / results.sandbox.cpuUsPerRequest).toFixed(1);
  results.target = 'sandbox >= 8x prism mock';
}

// 2. 200 connections against a concurrency limit -------------------------------------------
{
  const sandbox = await startSandboxProcess(['--concurrency-limit', '25', '--latency-ms', '5']);
  n = 0n;
  const r = await load(sandbox.url, '/crm/v8', 200, DURATION);
  const stats = await sandbox.stats();
  await sandbox.stop();
  const modelled = (stats.revoke.succeeded ?? 0) + (stats.revoke.nothingToRevoke ?? 0) + (stats.rerun.scheduled ?? 0) + (stats.rerun.busy ?? 0) + stats.rateLimited;
  results.twoHundredConnections = {
    ...summarize(r),
    concurrencyLimit: 25,
    maxInFlightPerToken: stats.maxInFlightPerToken,
    byStatus: stats.byStatus,
    rateLimited429: stats.rateLimited,
    unmodelledAnswers: stats.requests - modelled,
    target: '0 errors, 0 timeouts, every answer modelled (200, 400 documented, 429)',
  };
}

console.log(JSON.stringify(results, null, 2));
