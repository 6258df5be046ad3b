import { parseArgs } from 'node:util';
import { applyConfig, CONFIG_DEFAULTS, ConfigError, type SandboxConfig } from './config.js';
import { startSandbox, type SandboxOptions } from './server.js';
import { DEMO_CREDENTIALS, demoSeed } from './seed.js';

const USAGE = `zcrm-sandbox: a local Zoho CRM sandbox for the data sharing endpoints

Usage: zcrm-sandbox [options]

  --port N                 port to listen on (default 4011; 0 picks a free one)
  --host H                 address to bind (default 127.0.0.1)
  --seed FILE              seed JSON (tokens, clients, modules, directory, records); default: demo data
  --demo-records N         records in the demo seed (default 3000)
  --state FILE             keep the state (shares, reruns, tokens, credits) in FILE across restarts
  --rerun-duration-ms N    how long a rerun computes (default 3000)
  --concurrency-limit N    API calls in flight per org before 429
  --retry-after S          Retry-After seconds on 429 answers
  --daily-credits N        API calls per org per rolling 24 h before 429
  --latency-ms N           time every API call spends in the server (at most 60000)
  --error-rate R           share of API calls answered 500 INTERNAL_ERROR (0..1)
  --token-ttl S            lifetime of minted access tokens (default 3600)
  --no-validate            skip request validation against the spec
  -h, --help               this help

Environment: ZCRM_SANDBOX_ADMIN_TOKEN, when set, is required (Authorization: Bearer ...) on /__sandbox/*.
`;

function exit(code: number, message: string): never {
  process.stderr.write(`zcrm-sandbox: ${message}\n`);
  process.exit(code);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, 'demo-records': { type: 'string' }, state: { type: 'string' },
      'rerun-duration-ms': { type: 'string' }, 'concurrency-limit': { type: 'string' }, 'retry-after': { type: 'string' },
      'daily-credits': { type: 'string' }, 'latency-ms': { type: 'string' }, 'error-rate': { type: 'string' },
      'token-ttl': { type: 'string' }, 'no-validate': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (e) {
  exit(2, `${(e as Error).message}\n\n${USAGE}`);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function integer(flag: string, min: number, max: number): number | undefined {
  const value = values[flag] as string | undefined;
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) exit(2, `--${flag}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

// The settings' ranges live in config.ts; a flag's value is checked there, and its message names the flag.
const FLAGS: [keyof SandboxConfig, string][] = [
  ['rerunDurationMs', 'rerun-duration-ms'], ['concurrencyLimit', 'concurrency-limit'], ['retryAfterSeconds', 'retry-after'],
  ['dailyCredits', 'daily-credits'], ['latencyMs', 'latency-ms'], ['errorRate', 'error-rate'], ['accessTokenTtlSeconds', 'token-ttl'],
];
const settings: Partial<SandboxConfig> = { validateRequests: !values['no-validate'] };
for (const [key, flag] of FLAGS) {
  const value = values[flag] as string | undefined;
  if (value === undefined) continue;
  const n = value.trim() === '' ? NaN : Number(value);
  try {
    applyConfig(CONFIG_DEFAULTS, { [key]: n });
  } catch (e) {
    if (e instanceof ConfigError) exit(2, `--${flag}: ${e.message.replace(/^config\.\w+: /, '')}`);
    throw e;
  }
  (settings as Record<string, unknown>)[key] = n;
}

const opts: SandboxOptions = {
  ...settings,
  port: integer('port', 0, 65535) ?? 4011,
  host: (values.host as string | undefined) ?? '127.0.0.1',
  seed: (values.seed as string | undefined) ?? demoSeed({ records: integer('demo-records', 0, 10_000_000) ?? 3000 }),
  ...(values.state !== undefined ? { statePath: values.state as string } : {}),
  ...(process.env.ZCRM_SANDBOX_ADMIN_TOKEN ? { adminToken: process.env.ZCRM_SANDBOX_ADMIN_TOKEN } : {}),
};

/**
 * The demo seed's credentials, to paste: they are fake and public (DEMO_CREDENTIALS). A seed file's tokens
 * are the user's and are never printed.
 */
function credentialsBanner(apiBaseUrl: string): string {
  if (values.seed !== undefined) return `  credentials: those of ${values.seed as string} (not printed)\n`;
  const c = DEMO_CREDENTIALS;
  return [
    '  demo credentials (fake, the demo seed\'s):',
    `    access token:  ${c.accessToken}`,
    `    client id:     ${c.clientId}`,
    `    client secret: ${c.clientSecret}`,
    `    refresh token: ${c.refreshToken}`,
    `  try: curl -H 'Authorization: Zoho-oauthtoken ${c.accessToken}' '${apiBaseUrl}/settings/data_sharing/rules/actions/summary?module=Leads'`,
    '',
  ].join('\n');
}

try {
  const sandbox = await startSandbox(opts);
  process.stdout.write(`zcrm-sandbox listening on ${sandbox.url}\n  API base:  ${sandbox.apiBaseUrl}\n  token URL: ${sandbox.tokenUrl}\n${credentialsBanner(sandbox.apiBaseUrl)}`);
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`zcrm-sandbox: ${signal}, stopping\n`);
    sandbox.close().then(
      () => process.exit(0),
      (e: Error) => exit(1, e.message),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  exit(1, (e as Error).message);
}
