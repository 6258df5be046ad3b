// The client the commands use: credentials, data centre or --base-url, the node:http transport, the
// retry policy, or the embedded sandbox with --sandbox.
import {
  createZohoCrmClient,
  DATA_CENTER_CODES,
  redactSecrets,
  resolveEndpoints,
  type ClientOptions,
  type DataCenter,
  type Environment,
  type RetryOptions,
  type ZohoCrmClient,
} from '@zcrm-sharing/client';
import { createNodeFetch } from '@zcrm-sharing/client/node';
import { CliError, usageError } from './cli-error.js';
import { readConfig, resolveCredentials, type Credentials } from './credentials.js';
import type { Interrupt } from './interrupt.js';
import { MAX_RATE_LIMIT_WAIT_MS } from './limiter.js';
import { intOption, type Values } from './options.js';
import type { Output } from './output.js';

/** Where the calls go, as the journal's header names it. */
export interface ApiTarget {
  origin: string;
  version: string;
}

/** The embedded sandbox's port changes every run: journals name it by what it is. */
const EMBEDDED_SANDBOX: ApiTarget = { origin: 'embedded sandbox (--sandbox)', version: 'v8' };

export interface Connection {
  client: ZohoCrmClient;
  api: ApiTarget;
  /** Each `api_domain` a token refresh reports, before the call waiting for that token is sent. */
  apiDomains: { listen(fn: (apiDomain: string) => void): void };
  close(): Promise<void>;
}

/** Longest Retry-After a bulk run reads (24 days, a timer's range): it waits MAX_RATE_LIMIT_WAIT_MS at most, but says when to resume. */
const BULK_RETRY_AFTER_CAP_MS = 24 * 86_400_000;

function dcAndEnvironment(values: Values): { dc: DataCenter; environment: Environment } {
  const dc = (values.dc as string | undefined) ?? readConfigOrUsage().dc ?? 'us';
  if (!DATA_CENTER_CODES.includes(dc as DataCenter)) throw usageError(`--dc: expected one of ${DATA_CENTER_CODES.join(', ')}, got ${JSON.stringify(dc)}`);
  const environment = (values.environment as string | undefined) ?? 'production';
  if (!['production', 'sandbox', 'developer'].includes(environment)) throw usageError(`--environment: expected production, sandbox or developer, got ${JSON.stringify(environment)}`);
  return { dc: dc as DataCenter, environment: environment as Environment };
}

function readConfigOrUsage() {
  try {
    return readConfig();
  } catch (e) {
    throw usageError((e as Error).message);
  }
}

/** The API base URL the flags select, without credentials (a dry run checks a journal's header with it). */
export function resolveApi(values: Values): ApiTarget {
  if (values.sandbox) return EMBEDDED_SANDBOX;
  let base: string;
  try {
    if (values['base-url']) base = values['base-url'] as string;
    else {
      const { dc, environment } = dcAndEnvironment(values);
      base = resolveEndpoints({ dataCenter: dc, environment, ...(values['api-version'] ? { apiVersion: values['api-version'] as string } : {}) }).apiBaseUrl;
    }
    const url = new URL(base);
    return { origin: url.origin, version: /\/crm\/([^/]+)\/?$/.exec(url.pathname)?.[1] ?? url.pathname };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw usageError(`${values['base-url'] ? '--base-url' : '--api-version'}: ${(e as Error).message}`);
  }
}

/**
 * The client, over the node:http transport. After the first Ctrl-C it starts no retry wait, and it
 * never waits longer than MAX_RATE_LIMIT_WAIT_MS for one. A bulk run keeps 429s for its own limiter
 * (`rateLimitsToCaller`), which reads their Retry-After up to two days to say when to resume.
 */
export async function connect(values: Values, out: Output, interrupt: Interrupt, rateLimitsToCaller: boolean): Promise<Connection> {
  const transport = createNodeFetch({ maxSockets: 64 });
  const listeners: ((apiDomain: string) => void)[] = [];
  const retry: RetryOptions = {
    ...(rateLimitsToCaller ? { maxRetryAfterMs: BULK_RETRY_AFTER_CAP_MS } : {}),
    shouldRetry: (e, _attempt, { byDefault, delayMs }) =>
      byDefault && !interrupt.stop.aborted && delayMs <= MAX_RATE_LIMIT_WAIT_MS && !(rateLimitsToCaller && e.kind === 'rate_limit'),
  };
  const common: Partial<ClientOptions> = {
    timeoutMs: intOption(values, 'timeout-ms', 30_000, 1, 3_600_000),
    maxRetries: intOption(values, 'max-retries', 2, 0, 20),
    fetch: transport,
    retry,
    onEvent: (e) => {
      if (e.type === 'token-refresh' && e.ok && e.apiDomain) for (const fn of listeners) fn(e.apiDomain);
    },
  };
  const apiDomains = { listen: (fn: (apiDomain: string) => void) => void listeners.push(fn) };
  if (values.sandbox) {
    const { startSandbox, demoSeed, DEMO_CREDENTIALS } = await import('@zcrm-sharing/sandbox');
    const latencyMs = intOption(values, 'sandbox-latency-ms', 0, 0, 60_000);
    const limit = values['sandbox-concurrency-limit'] === undefined ? undefined : intOption(values, 'sandbox-concurrency-limit', 5, 1, 1000);
    const sandbox = await startSandbox({ seed: demoSeed(), rerunDurationMs: 3000, latencyMs, ...(limit ? { concurrencyLimit: limit } : {}) });
    out.info(out.color.dim(`using the embedded sandbox at ${sandbox.url} (demo data; no Zoho account involved)`));
    const auth = { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken };
    // Its api_domain is its random port: not an org to hold a journal to.
    const client = createZohoCrmClient({ ...common, onEvent: undefined, auth, baseUrl: sandbox.apiBaseUrl, tokenUrl: sandbox.tokenUrl });
    out.redact = client.redact;
    return {
      client,
      api: EMBEDDED_SANDBOX,
      apiDomains,
      close: async () => {
        transport.close();
        await sandbox.close();
      },
    };
  }
  let auth: Credentials | undefined;
  try {
    auth = resolveCredentials();
  } catch (e) {
    throw usageError((e as Error).message);
  }
  // Until the client exists, the credentials themselves are what must never be printed.
  const credentials = auth && Object.values(auth);
  if (credentials) out.redact = (text) => redactSecrets(text, credentials);
  if (!auth) {
    throw usageError(
      'no Zoho credentials. Either add --sandbox to try it against the embedded local sandbox, or set ZOHO_ACCESS_TOKEN, ' +
        'or ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN, or run `zcrm-sharing config set`.',
    );
  }
  const api = resolveApi(values);
  const { dc, environment } = dcAndEnvironment(values);
  const options: ClientOptions = { ...common, auth, dataCenter: dc, environment };
  if (values['api-version']) options.apiVersion = values['api-version'] as string;
  if (values['base-url']) options.baseUrl = values['base-url'] as string;
  if (values['token-url']) options.tokenUrl = values['token-url'] as string;
  let client: ZohoCrmClient;
  try {
    client = createZohoCrmClient(options);
  } catch (e) {
    throw usageError((e as Error).message);
  }
  out.redact = client.redact;
  return { client, api, apiDomains, close: async () => transport.close() };
}
