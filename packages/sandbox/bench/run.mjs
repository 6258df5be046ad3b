// Sandbox benchmark (not a test). Run: pnpm --filter @zcrm-sharing/sandbox bench
//  1. Request rate and latency of the sandbox (request validation on) against `prism mock` serving the
//     same spec: same load tool (autocannon), same request mix, same connections and duration, same run.
//     Each server runs in its own process; the load runs in this one.
//  2. 200 concurrent connections against the sandbox with a per-token concurrency limit of 25 (Zoho's
//     Enterprise ceiling): every answer must be a modelled one (200, 400 nothing-to-revoke, 429); no
//     socket errors, no timeouts, nothing else.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, startPrism } from '@zcrm-sharing/openapi/testing/prism';

const BIN = fileURLToPath(new URL('../bin/zcrm-sandbox.js', import.meta.url));
const TOKEN = '1000.sandbox-demo.access-token'; // the demo seed's fake sandbox token
const FIRST = 4150868000001148212n;
const RECORDS = 400_000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

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
  await load(prism.url, '', 10, 2); // warm-up
  const p = await load(prism.url, '', CONNECTIONS, DURATION);
  await prism.stop();

  const sandbox = await startSandboxProcess();
  n = 0n;
  await load(sandbox.url, '/crm/v8', 10, 2);
  const s = await load(sandbox.url, '/crm/v8', CONNECTIONS, DURATION);
  const stats = await sandbox.stats();
  await sandbox.stop();

  results.prismMock = summarize(p);
  results.sandbox = { ...summarize(s), requestValidation: true, byStatus: stats.byStatus };
  results.ratio = +(s.requests.average / p.requests.average).toFixed(1);
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
