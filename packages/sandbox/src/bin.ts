import { parseArgs } from 'node:util';
import { startSandbox, type SandboxOptions } from './server.js';
import { demoSeed } from './seed.js';

const USAGE = `zcrm-sandbox: a local Zoho CRM sandbox for the data sharing endpoints

Usage: zcrm-sandbox [options]

  --port N                 port to listen on (default 4011; 0 picks a free one)
  --host H                 address to bind (default 127.0.0.1)
  --seed FILE              seed JSON (tokens, clients, modules, records); default: demo data
  --demo-records N         records in the demo seed (default 3000)
  --rerun-duration-ms N    how long a rerun computes (default 3000)
  --concurrency-limit N    in-flight calls per token before 429
  --retry-after S          Retry-After seconds on 429 answers
  --daily-credits N        calls per rolling 24 h before 429
  --latency-ms N           added latency per API call
  --error-rate R           share of calls answered 500 INTERNAL_ERROR (0..1)
  --token-ttl S            lifetime of minted access tokens (default 3600)
  --no-validate            skip request validation against the spec
  -h, --help               this help
`;

function number(name: string, value: string | undefined, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) {
    process.stderr.write(`zcrm-sandbox: --${name}: expected a number between 0 and ${max}, got ${JSON.stringify(value)}\n`);
    process.exit(2);
  }
  return n;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, 'demo-records': { type: 'string' },
      'rerun-duration-ms': { type: 'string' }, 'concurrency-limit': { type: 'string' }, 'retry-after': { type: 'string' },
      'daily-credits': { type: 'string' }, 'latency-ms': { type: 'string' }, 'error-rate': { type: 'string' },
      'token-ttl': { type: 'string' }, 'no-validate': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (e) {
  process.stderr.write(`zcrm-sandbox: ${(e as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const opts: SandboxOptions = {
  port: number('port', values.port as string | undefined, 65535) ?? 4011,
  host: (values.host as string | undefined) ?? '127.0.0.1',
  seed: (values.seed as string | undefined) ?? demoSeed({ records: number('demo-records', values['demo-records'] as string | undefined) ?? 3000 }),
  validateRequests: !values['no-validate'],
};
const optional: [keyof SandboxOptions, string, number?][] = [
  ['rerunDurationMs', 'rerun-duration-ms'], ['concurrencyLimit', 'concurrency-limit'], ['retryAfterSeconds', 'retry-after'],
  ['dailyCredits', 'daily-credits'], ['latencyMs', 'latency-ms'], ['errorRate', 'error-rate', 1], ['accessTokenTtlSeconds', 'token-ttl'],
];
for (const [key, flag, max] of optional) {
  const n = number(flag, values[flag] as string | undefined, max);
  if (n !== undefined) (opts as Record<string, unknown>)[key] = n;
}

try {
  const sandbox = await startSandbox(opts);
  process.stdout.write(`zcrm-sandbox listening on ${sandbox.url}\n  API base:  ${sandbox.apiBaseUrl}\n  token URL: ${sandbox.tokenUrl}\n`);
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`zcrm-sandbox: ${signal}, stopping\n`);
    sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  process.stderr.write(`zcrm-sandbox: ${(e as Error).message}\n`);
  process.exit(1);
}
