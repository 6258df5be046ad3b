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
  isZohoCrmError,
  type OperationName,
} from '@zcrm-sharing/client';
import { createNodeFetch } from '@zcrm-sharing/client/node';
import { MAX_RATE_LIMIT_WAIT_MS } from './bulk/limiter.js';
import { CliError, usageError } from './cli-error.js';
import { hintFor, type AuthKind } from './hints.js';
import { CONNECTION } from './commands/shared-options.js';
import { readConfig, resolveCredentials, type Credentials } from './credentials.js';
import type { Interrupt } from './interrupt.js';
import { int, type Values } from './option-values.js';
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
  /** Which credentials the calls use, and where they go (`--dc us` or `--base-url`; undefined with --sandbox): the hints' wording. */
  auth: AuthKind;
  dc: string | undefined;
  /** Each `api_domain` a token refresh reports, before the call waiting for that token is sent. */
  apiDomains: { listen(fn: (apiDomain: string) => void): void };
  /** API calls answered so far (every HTTP answer, 429s and retries included): the API credits used. */
  credits(): number;
  close(): Promise<void>;
}

/** Longest Retry-After a bulk run reads (24 days, a timer's range): it waits MAX_RATE_LIMIT_WAIT_MS at most, but says when to resume. */
const BULK_RETRY_AFTER_CAP_MS = 24 * 86_400_000;

/** The connection flags, parsed and checked: the same checks with and without --sandbox. */
export interface ConnectionSettings {
  timeoutMs: number;
  maxRetries: number;
  dc: DataCenter;
  environment: Environment;
  apiVersion: string | undefined;
  baseUrl: string | undefined;
  /** `--base-url`, else the one `--dc`, `--environment` and `--api-version` select. */
  apiBaseUrl: string;
  tokenUrl: string | undefined;
  /** With --sandbox: the embedded sandbox's settings. */
  sandbox: { latencyMs: number; concurrencyLimit: number | undefined } | undefined;
}

const ENVIRONMENTS: Environment[] = ['production', 'sandbox', 'developer'];
const SANDBOX_ONLY = ['sandbox-latency-ms', 'sandbox-concurrency-limit'];
/** Flags that name another API than the embedded sandbox: refused with --sandbox rather than ignored. */
const NOT_WITH_SANDBOX = ['base-url', 'token-url'];

/**
 * Every connection flag checked, before anything starts (the embedded sandbox included), so that
 * `--dc xx --sandbox` is the same usage error as `--dc xx`. The config file's data centre is read
 * only for Zoho, never under --sandbox.
 */
export function connectionSettings(values: Values): ConnectionSettings {
  const sandbox = Boolean(values.sandbox);
  const misplaced = sandbox ? NOT_WITH_SANDBOX.filter((o) => values[o] !== undefined) : SANDBOX_ONLY.filter((o) => values[o] !== undefined);
  if (misplaced.length) {
    const flags = misplaced.map((o) => `--${o}`).join(', ');
    throw usageError(sandbox ? `${flags}: not with --sandbox (the embedded sandbox is the API and its token URL)` : `${flags}: only with --sandbox`);
  }
  const dcFlag = values.dc as string | undefined;
  const dc = dcFlag ?? (sandbox ? undefined : readConfigOrUsage().dc) ?? 'us';
  if (!DATA_CENTER_CODES.includes(dc as DataCenter)) throw usageError(`--dc: expected one of ${DATA_CENTER_CODES.join(', ')}, got ${JSON.stringify(dc)}${dcFlag === undefined ? ' (from the config file)' : ''}`);
  const environment = (values.environment as string | undefined) ?? 'production';
  if (!ENVIRONMENTS.includes(environment as Environment)) throw usageError(`--environment: expected ${ENVIRONMENTS.join(', ')}, got ${JSON.stringify(environment)}`);
  const apiVersion = values['api-version'] as string | undefined;
  let selected: string;
  try {
    selected = resolveEndpoints({ dataCenter: dc as DataCenter, environment: environment as Environment, ...(apiVersion ? { apiVersion } : {}) }).apiBaseUrl;
  } catch (e) {
    throw usageError(`--api-version: ${(e as Error).message}`);
  }
  const baseUrl = urlOption(values, 'base-url');
  const tokenUrl = urlOption(values, 'token-url');
  return {
    timeoutMs: int(values, 'timeout-ms', CONNECTION),
    maxRetries: int(values, 'max-retries', CONNECTION),
    dc: dc as DataCenter,
    environment: environment as Environment,
    apiVersion,
    baseUrl,
    apiBaseUrl: baseUrl ?? selected,
    tokenUrl,
    sandbox: sandbox
      ? {
          latencyMs: int(values, 'sandbox-latency-ms', CONNECTION),
          concurrencyLimit: values['sandbox-concurrency-limit'] === undefined ? undefined : int(values, 'sandbox-concurrency-limit', CONNECTION),
        }
      : undefined,
  };
}

function urlOption(values: Values, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw as string);
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw usageError(`--${name}: expected an http(s) URL, got ${JSON.stringify(raw)}`);
  return raw as string;
}

function readConfigOrUsage() {
  try {
    return readConfig();
  } catch (e) {
    throw usageError((e as Error).message);
  }
}

/** The API base URL the flags select, without credentials (a dry run checks a journal's header with it). */
export function resolveApi(settings: ConnectionSettings): ApiTarget {
  if (settings.sandbox) return EMBEDDED_SANDBOX;
  // Both URLs were checked by connectionSettings.
  const url = new URL(settings.apiBaseUrl);
  return { origin: url.origin, version: /\/crm\/([^/]+)\/?$/.exec(url.pathname)?.[1] ?? url.pathname };
}

/**
 * The client, over the node:http transport. After the first Ctrl-C it starts no retry wait, and it
 * never waits longer than MAX_RATE_LIMIT_WAIT_MS for one. A bulk run keeps 429s for its own limiter
 * (`rateLimitsToCaller`), which reads their Retry-After up to two days to say when to resume.
 */
export async function connect(settings: ConnectionSettings, out: Output, interrupt: Interrupt, rateLimitsToCaller: boolean): Promise<Connection> {
  const transport = createNodeFetch({ maxSockets: 64 });
  const listeners: ((apiDomain: string) => void)[] = [];
  // Every HTTP answer to an API call (429s and retries included): what the run costs in API credits.
  let answered = 0;
  const credits = () => answered;
  const retry: RetryOptions = {
    ...(rateLimitsToCaller ? { maxRetryAfterMs: BULK_RETRY_AFTER_CAP_MS } : {}),
    shouldRetry: (e, _attempt, { byDefault, delayMs }) =>
      byDefault && !interrupt.stop.aborted && delayMs <= MAX_RATE_LIMIT_WAIT_MS && !(rateLimitsToCaller && e.kind === 'rate_limit'),
  };
  const common: Partial<ClientOptions> = {
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    fetch: transport,
    retry,
    onEvent: (e) => {
      if (e.type === 'response') answered++;
      else if (e.type === 'token-refresh' && e.ok && e.apiDomain) for (const fn of listeners) fn(e.apiDomain);
    },
  };
  const apiDomains = { listen: (fn: (apiDomain: string) => void) => void listeners.push(fn) };
  if (settings.sandbox) {
    const { startSandbox, demoSeed, DEMO_CREDENTIALS } = await import('@zcrm-sharing/sandbox');
    const { latencyMs, concurrencyLimit } = settings.sandbox;
    const sandbox = await startSandbox({ seed: demoSeed(), rerunDurationMs: 3000, latencyMs, ...(concurrencyLimit ? { concurrencyLimit } : {}) });
    out.info(out.color.dim(`using the embedded sandbox at ${sandbox.url} (demo data; no Zoho account involved)`));
    const auth = { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken };
    // Its api_domain is its random port: not an org to hold a journal to.
    const client = createZohoCrmClient({ ...common, onEvent: (e) => void (e.type === 'response' && answered++), auth, baseUrl: sandbox.apiBaseUrl, tokenUrl: sandbox.tokenUrl });
    out.redact = client.redact;
    return {
      client,
      api: EMBEDDED_SANDBOX,
      auth: 'sandbox',
      dc: undefined,
      apiDomains,
      credits,
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
  const api = resolveApi(settings);
  const options: ClientOptions = { ...common, auth, dataCenter: settings.dc, environment: settings.environment };
  if (settings.apiVersion) options.apiVersion = settings.apiVersion;
  if (settings.baseUrl) options.baseUrl = settings.baseUrl;
  if (settings.tokenUrl) options.tokenUrl = settings.tokenUrl;
  let client: ZohoCrmClient;
  try {
    client = createZohoCrmClient(options);
  } catch (e) {
    throw usageError((e as Error).message);
  }
  out.redact = client.redact;
  const kind: AuthKind = 'accessToken' in auth ? 'access-token' : 'refresh-token';
  return { client, api, auth: kind, dc: settings.baseUrl ? '--base-url' : `--dc ${settings.dc}`, apiDomains, credits, close: async () => transport.close() };
}

/**
 * A command's calls: the connection its flags select (`conn`: where they go, the credits used), closed
 * when `fn` ends. An answer about the request (auth, scope, permission, module, URL) is worded by the
 * hints, as the bulk run words it.
 */
export async function withClient<T>(values: Values, out: Output, interrupt: Interrupt, what: { operation: OperationName; module?: string }, fn: (client: ZohoCrmClient, conn: Connection) => Promise<T>): Promise<T> {
  const conn = await connect(connectionSettings(values), out, interrupt, false);
  try {
    return await fn(conn.client, conn);
  } catch (e) {
    const hint = isZohoCrmError(e) && e.kind !== 'unexpected_response' ? hintFor(e, { ...what, auth: conn.auth, dc: conn.dc }) : undefined;
    if (hint) throw new CliError(hint.exit, out.redact(hint.message), '', { cause: e });
    throw e;
  } finally {
    await conn.close();
  }
}
