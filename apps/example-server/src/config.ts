import { credentialsFromEnv, DATA_CENTER_CODES, ENVIRONMENTS, InvalidInputError, type Credentials, type DataCenter, type Environment } from '@zcrm-sharing/client';
import { isLoopback, hostName, type AdminCredential } from './http/security.js';

/** A bad environment variable. The message names it and never contains a secret's value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** The client's credential sets: an access token, or the refresh-token grant. */
export type ZohoCredentials = Credentials;

export interface ZohoConnection {
  auth: ZohoCredentials;
  dataCenter: DataCenter;
  environment: Environment;
  apiVersion: string;
  baseUrl?: string;
  tokenUrl?: string;
}

export interface AppConfig {
  port: number;
  host: string;
  /** Undefined: the webhook answers 503 until one is set. */
  webhookSecret: string | undefined;
  /** Undefined: no Zoho credentials, so the embedded sandbox is used. */
  zoho: ZohoConnection | undefined;
  revokeConcurrency: number;
  jobLogSize: number;
  jobRetentionMs: number;
  queueLimit: number;
  dedupeWindowMs: number;
  /** The SQLite store's folder (absolute or relative to the working directory). */
  dataDir: string;
  /** Set: the queue and the cap live in Postgres (several instances). */
  databaseUrl: string | undefined;
  /** Undefined: the default (the listen address, localhost, 127.0.0.1). */
  allowedHosts: string[] | undefined;
  /** Undefined: no login (allowed on loopback only). */
  admin: AdminCredential | undefined;
  shutdownGraceMs: number;
  callDeadlineMs: number;
  /** START_AFRESH=1: see ENV_VARS. */
  startAfresh: boolean;
  /** Transient failures are retried for this long after a delivery (the rest of the policy: DEFAULTS.retry). */
  retry: { windowMs: number };
}

/**
 * Every default, once: loadConfig (the environment), createExampleServer (its options) and the
 * README's table read them from here. `port` is PORT's default; the library itself listens on a
 * free port unless given one.
 */
export const DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  revokeConcurrency: 4,
  jobLogSize: 1000,
  jobRetentionMs: 7 * 24 * 3_600_000,
  dataDir: 'data',
  queueLimit: 10_000,
  dedupeWindowMs: 60_000,
  shutdownGraceMs: 10_000,
  /**
   * The longest a webhook job's revoke can last: the client's 30 s per attempt x 3 attempts, plus its
   * backoff. A call a stop or a crash cut short holds its slot until this long after it started.
   */
  callDeadlineMs: 120_000,
  /**
   * A webhook job whose revoke failed transiently (Zoho or the network down, a 5xx, a 429) waits
   * 2 s, 4 s, 8 s ... up to 10 min (with jitter) between attempts, for at most a day after its
   * delivery and at most 150 attempts: at most 450 Zoho calls with the client's own 2 retries each.
   */
  retry: { baseDelayMs: 2_000, maxDelayMs: 600_000, windowMs: 86_400_000, maxAttempts: 150 },
} as const;

type Widen<T> = T extends number ? number : T extends string ? string : { -readonly [K in keyof T]: Widen<T[K]> };
type Defaults = { -readonly [K in keyof typeof DEFAULTS]: Widen<(typeof DEFAULTS)[K]> };

/** The settings that have a default, each from `options` when set there, else from DEFAULTS. */
export function withDefaults(options: Partial<Record<keyof Defaults, unknown>>): Defaults {
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    const value = options[key as keyof Defaults];
    // An object (retry) is merged field by field: `{ retry: { windowMs } }` keeps the other defaults.
    if (value !== undefined) out[key] = typeof value === 'object' && value !== null ? { ...(out[key] as object), ...value } : value;
  }
  return out as Defaults;
}

/** Every variable read, with its default, for the README and `--help`-like messages. */
export const ENV_VARS = {
  PORT: `port to listen on (default ${DEFAULTS.port}; 0 picks a free one)`,
  HOST: `interface to listen on (default ${DEFAULTS.host}); anything but loopback requires ADMIN_PASSWORD`,
  ALLOWED_HOSTS: 'comma-separated host names the admin page and /api answer to and that an Origin may name (default: HOST, localhost, 127.0.0.1)',
  ADMIN_PASSWORD: 'HTTP basic auth password for the admin page and /api (at least 12 characters); required unless HOST is loopback',
  ADMIN_USER: 'the basic auth user name (default admin)',
  DATA_DIR: `folder of the SQLite job store, created with mode 0700 (default ./${DEFAULTS.dataDir})`,
  START_AFRESH: '1: start even though DATA_DIR\'s marker (store-id) names a store whose file is missing or different: the file found, or a new empty one, becomes the store (its jobs are whatever it holds). Only on purpose; unset it afterwards',
  DATABASE_URL: 'postgres://... : the job queue (pg-boss) and the concurrency cap in Postgres, shared by every instance on it; DATA_DIR is then unused',
  WEBHOOK_SECRET: 'shared secret the webhook caller sends in X-Webhook-Secret (or a `secret` body field); at least 16 characters; unset: the webhook answers 503',
  ZOHO_ACCESS_TOKEN: 'a Zoho OAuth access token (not refreshed)',
  ZOHO_CLIENT_ID: 'with ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN: the refresh-token grant',
  ZOHO_CLIENT_SECRET: 'see ZOHO_CLIENT_ID',
  ZOHO_REFRESH_TOKEN: 'see ZOHO_CLIENT_ID',
  ZOHO_DC: `data centre: ${DATA_CENTER_CODES.join(', ')} (default us)`,
  ZOHO_ENVIRONMENT: `org type: ${ENVIRONMENTS.join(', ')} (default production)`,
  ZOHO_API_VERSION: 'default v8 (the rule endpoints exist from v8 only)',
  ZOHO_BASE_URL: 'full API base including /crm/{version}; overrides ZOHO_DC, ZOHO_ENVIRONMENT and ZOHO_API_VERSION',
  ZOHO_TOKEN_URL: "OAuth token URL; overrides the data centre's",
  REVOKE_CONCURRENCY: `most Zoho calls in flight at once (default ${DEFAULTS.revokeConcurrency}, under the Free edition limit of 5; at most 25)`,
  JOB_LOG_SIZE: `finished webhook jobs kept in the store and shown on the page, newest first (default ${DEFAULTS.jobLogSize})`,
  JOB_RETENTION_HOURS: `finished webhook jobs older than this are deleted (default ${DEFAULTS.jobRetentionMs / 3_600_000})`,
  WEBHOOK_QUEUE_LIMIT: `most webhook jobs queued or running; over it the webhook answers 503 (default ${DEFAULTS.queueLimit})`,
  SHUTDOWN_GRACE_SECONDS: `on SIGTERM/SIGINT, how long in-flight Zoho calls may finish while new deliveries get 503 (default ${DEFAULTS.shutdownGraceMs / 1000})`,
  CALL_DEADLINE_SECONDS: `the longest a webhook job's revoke can last, the client's retries included: a call a stop or a crash cut short keeps its slot taken until this long after it started, across a restart (default ${DEFAULTS.callDeadlineMs / 1000})`,
  RETRY_WINDOW_HOURS: `a webhook job whose revoke fails transiently (Zoho or the network down, a 5xx, a 429) is tried again with backoff for this long after its delivery (default ${DEFAULTS.retry.windowMs / 3_600_000}; at most ${DEFAULTS.retry.maxAttempts} attempts)`,
  WEBHOOK_DEDUPE_MS: `a delivery for a record revoked less than this long ago joins that job (default ${DEFAULTS.dedupeWindowMs}; 0 = off)`,
} as const;


const MIN_SECRET_LENGTH = 16;
const MIN_PASSWORD_LENGTH = 12;

type Env = Record<string, string | undefined>;

/** Reads and checks the configuration. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  // An empty variable (`PORT=`) counts as unset, as most shells and container tools mean it.
  const get = (name: keyof typeof ENV_VARS): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const port = integer('PORT', get('PORT'), DEFAULTS.port, 0, 65_535);
  const host = get('HOST') ?? DEFAULTS.host;
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) throw new ConfigError('HOST', `expected a host name or IP address, got ${show(host)}`);

  const webhookSecret = env.WEBHOOK_SECRET === undefined || env.WEBHOOK_SECRET === '' ? undefined : env.WEBHOOK_SECRET;
  if (webhookSecret !== undefined && webhookSecret.length < MIN_SECRET_LENGTH) {
    // The value is a secret: say how long it is, never what it is.
    throw new ConfigError(
      'WEBHOOK_SECRET',
      `expected at least ${MIN_SECRET_LENGTH} characters (e.g. the output of \`openssl rand -hex 32\`), got ${webhookSecret.length}`,
    );
  }

  const revokeConcurrency = integer('REVOKE_CONCURRENCY', get('REVOKE_CONCURRENCY'), DEFAULTS.revokeConcurrency, 1, 25);
  const jobLogSize = integer('JOB_LOG_SIZE', get('JOB_LOG_SIZE'), DEFAULTS.jobLogSize, 1, 100_000);
  const jobRetentionMs = integer('JOB_RETENTION_HOURS', get('JOB_RETENTION_HOURS'), DEFAULTS.jobRetentionMs / 3_600_000, 1, 24 * 366) * 3_600_000;
  const queueLimit = integer('WEBHOOK_QUEUE_LIMIT', get('WEBHOOK_QUEUE_LIMIT'), DEFAULTS.queueLimit, 1, 1_000_000);
  const dedupeWindowMs = integer('WEBHOOK_DEDUPE_MS', get('WEBHOOK_DEDUPE_MS'), DEFAULTS.dedupeWindowMs, 0, 86_400_000);

  const shutdownGraceMs = integer('SHUTDOWN_GRACE_SECONDS', get('SHUTDOWN_GRACE_SECONDS'), DEFAULTS.shutdownGraceMs / 1000, 0, 3600) * 1000;
  const callDeadlineMs = integer('CALL_DEADLINE_SECONDS', get('CALL_DEADLINE_SECONDS'), DEFAULTS.callDeadlineMs / 1000, 1, 3600) * 1000;
  const retryWindowMs = integer('RETRY_WINDOW_HOURS', get('RETRY_WINDOW_HOURS'), DEFAULTS.retry.windowMs / 3_600_000, 1, 24 * 30) * 3_600_000;
  const dataDir = get('DATA_DIR') ?? DEFAULTS.dataDir;
  const afresh = get('START_AFRESH');
  if (afresh !== undefined && afresh !== '1' && afresh !== '0') throw new ConfigError('START_AFRESH', `expected 1 (or 0), got ${show(afresh)}`);
  const startAfresh = afresh === '1';
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // It may hold a password: never echo it.
    throw new ConfigError('DATABASE_URL', 'expected a postgres:// or postgresql:// connection URL');
  }

  let allowedHosts: string[] | undefined;
  const hostsVar = get('ALLOWED_HOSTS');
  if (hostsVar !== undefined) {
    allowedHosts = hostsVar.split(',').map((h) => h.trim()).filter(Boolean);
    const bad = allowedHosts.find((h) => hostName(h) !== h.toLowerCase());
    if (bad !== undefined || !allowedHosts.length) throw new ConfigError('ALLOWED_HOSTS', `expected host names without ports, comma-separated (e.g. crm-tools.example.com,localhost), got ${show(bad ?? hostsVar)}`);
  }

  const password = env.ADMIN_PASSWORD === undefined || env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD;
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
    throw new ConfigError('ADMIN_PASSWORD', `expected at least ${MIN_PASSWORD_LENGTH} characters (e.g. the output of \`openssl rand -base64 18\`), got ${password.length}`);
  }
  const user = get('ADMIN_USER') ?? 'admin';
  if (user.includes(':')) throw new ConfigError('ADMIN_USER', 'must not contain ":" (basic auth separates the user from the password with it)');
  if (!password && !isLoopback(host)) {
    throw new ConfigError('ADMIN_PASSWORD', `is required because HOST is ${show(host)}, not a loopback address: anyone who can reach it could revoke sharing from the admin page and /api. Set ADMIN_PASSWORD (at least ${MIN_PASSWORD_LENGTH} characters), or listen on 127.0.0.1 behind your own proxy`);
  }
  const admin = password ? { user, password } : undefined;

  return {
    port, host, webhookSecret, zoho: zohoConnection(env, get), revokeConcurrency, jobLogSize, jobRetentionMs, queueLimit, dedupeWindowMs,
    dataDir, databaseUrl, allowedHosts, admin, shutdownGraceMs, callDeadlineMs, startAfresh, retry: { windowMs: retryWindowMs },
  };
}

function zohoConnection(env: Env, get: (name: keyof typeof ENV_VARS) => string | undefined): ZohoConnection | undefined {
  // The client's one rule (the CLI applies it too): an access token or the refresh-token trio, never
  // both, never part of the trio; the error names the variables, never a value.
  let auth: ZohoCredentials | undefined;
  try {
    auth = credentialsFromEnv(env);
  } catch (e) {
    if (e instanceof InvalidInputError) throw new ConfigError(e.field, e.message);
    throw e;
  }

  const connectionVars = ['ZOHO_DC', 'ZOHO_ENVIRONMENT', 'ZOHO_API_VERSION', 'ZOHO_BASE_URL', 'ZOHO_TOKEN_URL'] as const;
  if (!auth) {
    // Connection settings without credentials almost always mean a forgotten token, not "use the sandbox".
    const stray = connectionVars.find((name) => get(name) !== undefined);
    if (stray) {
      throw new ConfigError(stray, 'is set but there are no Zoho credentials: set ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN (or unset it to use the embedded sandbox)');
    }
    return undefined;
  }

  const dc = (get('ZOHO_DC') ?? 'us').toLowerCase();
  if (!DATA_CENTER_CODES.includes(dc as DataCenter)) throw new ConfigError('ZOHO_DC', `expected one of ${DATA_CENTER_CODES.join(', ')}, got ${show(dc)}`);
  const environment = (get('ZOHO_ENVIRONMENT') ?? 'production').toLowerCase();
  if (!ENVIRONMENTS.includes(environment as Environment)) throw new ConfigError('ZOHO_ENVIRONMENT', `expected one of ${ENVIRONMENTS.join(', ')}, got ${show(environment)}`);
  const apiVersion = get('ZOHO_API_VERSION') ?? 'v8';
  if (!/^v\d+(\.\d+)?$/.test(apiVersion)) throw new ConfigError('ZOHO_API_VERSION', `expected a version like v8 or v2.1, got ${show(apiVersion)}`);

  const connection: ZohoConnection = { auth, dataCenter: dc as DataCenter, environment: environment as Environment, apiVersion };
  const baseUrl = get('ZOHO_BASE_URL');
  if (baseUrl !== undefined) connection.baseUrl = httpUrl('ZOHO_BASE_URL', baseUrl, 'an http(s) URL such as https://www.zohoapis.eu/crm/v8');
  const tokenUrl = get('ZOHO_TOKEN_URL');
  if (tokenUrl !== undefined) connection.tokenUrl = httpUrl('ZOHO_TOKEN_URL', tokenUrl, 'an http(s) URL such as https://accounts.zoho.eu/oauth/v2/token');
  return connection;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got ${show(raw)}`);
  return n;
}

function httpUrl(name: string, raw: string, expected: string): string {
  // Anything with an @ may carry credentials (https://user:pass@host): never echo it.
  const shown = raw.includes('@') ? 'a value containing "@"' : show(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `expected ${expected}, got ${shown}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, `expected ${expected}, got ${shown}`);
  if (url.username || url.password) throw new ConfigError(name, 'must not contain a user name or password');
  return raw;
}

function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
}
