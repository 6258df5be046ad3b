import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { loadSeed, shareScopeName, type SandboxSeed } from './seed.js';

export interface SandboxOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A seed object or a JSON file path. Default: demoSeed(). */
  seed?: SandboxSeed | string;
  /** How long a rerun computes. Default 3000 ms. */
  rerunDurationMs?: number;
  /** In-flight API calls allowed per access token; over it 429 TOO_MANY_REQUESTS. Default: no limit. */
  concurrencyLimit?: number;
  /** Sent as Retry-After on 429 answers when set. */
  retryAfterSeconds?: number;
  /** API calls allowed per rolling 24 h; over it 429. Default: no limit. */
  dailyCredits?: number;
  /** Time every API call spends in the server, counted from its arrival and holding its concurrency slot. Default 0. */
  latencyMs?: number;
  /** Share of API calls answered 500 INTERNAL_ERROR, decided before anything changes. Default 0. */
  errorRate?: number;
  /** Lifetime of tokens minted by POST /oauth/v2/token. Default 3600 s. */
  accessTokenTtlSeconds?: number;
  /** Check path and query parameters against the spec's schemas. Default true. */
  validateRequests?: boolean;
  /** The clock for reruns, token expiry and the credit window (ms since the epoch). Default Date.now; tests pass a manual one. */
  now?: () => number;
  /** Called with every response the sandbox sends (tests use it to check responses against the spec). */
  onResponse?: (entry: { method: string; path: string; status: number; body: unknown; headers: Record<string, string> }) => void;
}

export type SandboxConfig = Required<Pick<SandboxOptions, 'rerunDurationMs' | 'latencyMs' | 'errorRate' | 'accessTokenTtlSeconds' | 'validateRequests'>> &
  Pick<SandboxOptions, 'concurrencyLimit' | 'retryAfterSeconds' | 'dailyCredits'>;

export interface RecordState {
  module: string;
  id: string;
  shares: number;
  revokeCalls: number;
  revokeSuccesses: number;
}

export interface SandboxStats {
  requests: number;
  byStatus: Record<string, number>;
  rerun: { calls: number; scheduled: number; busy: number };
  revoke: { calls: number; succeeded: number; nothingToRevoke: number };
  inFlight: number;
  maxInFlightPerToken: number;
  rateLimited: number;
  injectedErrors: number;
  tokenRefreshes: number;
  creditsUsed: number;
}

export interface Sandbox {
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  /** `${url}/crm/v8`: what a client's baseUrl takes. */
  apiBaseUrl: string;
  /** `${url}/oauth/v2/token` */
  tokenUrl: string;
  config: SandboxConfig;
  stats(): SandboxStats;
  record(module: string, id: string): RecordState | undefined;
  /** Every access token expires now: the next call answers 401 INVALID_TOKEN; refreshing works. */
  expireTokens(): void;
  configure(patch: Partial<SandboxConfig>): SandboxConfig;
  /** Back to the seed's state, counters zeroed. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Resolves `ms` after `since` (a performance.now() time), so parsing counts towards it. Node's timers
 * fire about 1 ms late (a 20 ms setTimeout answered in 21.4 ms here), so the timer stops 2 ms short
 * and the rest is polled between I/O turns.
 */
function serviceTime(since: number, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const left = since + ms - performance.now();
      if (left <= 0.05) resolve();
      else if (left > 2.5) setTimeout(check, Math.floor(left - 2));
      else setImmediate(check);
    };
    check();
  });
}

const VERSIONS = new Set(['v2', 'v2.1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
const NOTHING_TO_REVOKE = 'No sharing through this record is available to revoke.';

type Status = { code: string; details: Record<string, unknown>; message: string; status: 'success' | 'error' };
const err = (code: string, message: string, details: Record<string, unknown> = {}): Status => ({ code, details, message, status: 'error' });

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

// The spec's parameter schemas, compiled once: request validation uses exactly what the spec says.
function compileParamValidators() {
  const spec = createRequire(import.meta.url)('@zcrm-sharing/openapi/openapi.json');
  const ajv = new Ajv({ strict: false });
  const schemas = spec.components.schemas;
  return { module: ajv.compile(schemas.ModuleApiName), recordId: ajv.compile(schemas.RecordId) };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = loadSeed(options.seed);
  const config: SandboxConfig = {
    rerunDurationMs: options.rerunDurationMs ?? 3000,
    latencyMs: options.latencyMs ?? 0,
    errorRate: options.errorRate ?? 0,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    validateRequests: options.validateRequests ?? true,
    concurrencyLimit: options.concurrencyLimit,
    retryAfterSeconds: options.retryAfterSeconds,
    dailyCredits: options.dailyCredits,
  };
  const valid = compileParamValidators();
  const now = options.now ?? Date.now;

  // --- state ------------------------------------------------------------------------------
  type Token = { scopes: Set<string>; expiresAt: number; profile: string };
  let tokens = new Map<string, Token>();
  let records = new Map<string, RecordState>();
  let reruns = new Map<string, number>(); // module -> computation end (ms)
  const modules = new Map((seed.modules ?? []).map((m) => [m.apiName, m]));
  const clients = new Map((seed.clients ?? []).map((c) => [c.clientId, c]));
  const inFlight = new Map<string, number>();
  let stats: SandboxStats;
  let creditWindow = { start: now(), used: 0 };

  function reset() {
    tokens = new Map(
      (seed.tokens ?? []).map((t) => [t.accessToken, { scopes: new Set(t.scopes), expiresAt: t.expiresAt ? Date.parse(t.expiresAt) : Infinity, profile: t.profile ?? 'admin' }]),
    );
    records = new Map(
      (seed.records ?? []).map((r) => [r.id, { module: r.module, id: r.id, shares: r.shares?.length ?? 0, revokeCalls: 0, revokeSuccesses: 0 }]),
    );
    reruns = new Map();
    inFlight.clear();
    creditWindow = { start: now(), used: 0 };
    stats = {
      requests: 0,
      byStatus: {},
      rerun: { calls: 0, scheduled: 0, busy: 0 },
      revoke: { calls: 0, succeeded: 0, nothingToRevoke: 0 },
      inFlight: 0,
      maxInFlightPerToken: 0,
      rateLimited: 0,
      injectedErrors: 0,
      tokenRefreshes: 0,
      creditsUsed: 0,
    };
  }
  reset();

  // --- Zoho API -----------------------------------------------------------------------------
  function authenticate(header: string | undefined): { token: string; scopes: Set<string>; profile: string } | Reply {
    if (!header) return new Reply(401, err('AUTHENTICATION_FAILURE', 'Authentication failed'));
    const match = /^Zoho-oauthtoken\s+(\S+)$/.exec(header);
    // Zoho wants the Zoho-oauthtoken prefix; any other scheme is treated as no token at all.
    if (!match) return new Reply(401, err('AUTHENTICATION_FAILURE', 'Authentication failed'));
    const token = tokens.get(match[1]!);
    if (!token || token.expiresAt <= now()) return new Reply(401, err('INVALID_TOKEN', 'invalid oauth token'));
    return { token: match[1]!, scopes: token.scopes, profile: token.profile };
  }

  function moduleParam(url: URL): string | Reply {
    const module = url.searchParams.get('module');
    if (module === null || module === '') {
      return new Reply(400, err('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'module' }));
    }
    if ((config.validateRequests && !valid.module(module)) || !modules.has(module) || modules.get(module)!.supported === false) {
      return new Reply(400, err('INVALID_DATA', 'the module name given seems to be invalid', { param_name: 'module' }));
    }
    return module;
  }

  function rerun(url: URL, scopes: Set<string>): Reply {
    stats.rerun.calls++;
    if (!scopes.has('ZohoCRM.settings.data_sharing.UPDATE') && !scopes.has('ZohoCRM.settings.data_sharing.ALL')) {
      return new Reply(401, err('OAUTH_SCOPE_MISMATCH', 'Unauthorized'));
    }
    const module = moduleParam(url);
    if (module instanceof Reply) return module;
    if ((reruns.get(module) ?? 0) > now()) {
      stats.rerun.busy++;
      return new Reply(400, err('CANNOT_PROCESS', 'The scheduler is currently running'));
    }
    if (injectFault()) return internalError();
    reruns.set(module, now() + config.rerunDurationMs);
    stats.rerun.scheduled++;
    return new Reply(200, { sharing_rules: [{ code: 'SCHEDULED', details: {}, message: 'Rerun successfully scheduled', status: 'success' }] });
  }

  function summary(url: URL, scopes: Set<string>): Reply {
    if (!scopes.has('ZohoCRM.settings.data_sharing.READ') && !scopes.has('ZohoCRM.settings.data_sharing.ALL')) {
      return new Reply(401, err('OAUTH_SCOPE_MISMATCH', 'Unauthorized'));
    }
    const module = moduleParam(url);
    if (module instanceof Reply) return module;
    const m = modules.get(module)!;
    if (!m.ruleCount) return new Reply(204, undefined);
    return new Reply(200, {
      sharing_rules_summary: [
        { module: { api_name: m.apiName, id: m.id }, rule_computation_status: (reruns.get(module) ?? 0) > now(), rule_count: m.ruleCount },
      ],
    });
  }

  function revoke(moduleName: string, id: string, scopes: Set<string>, profile: string): Reply {
    stats.revoke.calls++;
    const m = modules.get(moduleName);
    const scopeMismatch = () => new Reply(401, err('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'));
    if ((config.validateRequests && !valid.module(moduleName)) || !m) {
      return new Reply(400, err('INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: 0 }));
    }
    if (m.supported === false) return new Reply(400, err('INVALID_MODULE', 'The given module is not supported in API', { resource_path_index: 0 }));
    if (m.revocable === false) return scopeMismatch();
    const scope = shareScopeName(m.apiName, m.custom ?? false);
    if (!scopes.has(`ZohoCRM.share.${scope}.DELETE`) && !scopes.has(`ZohoCRM.share.${scope}.ALL`)) return scopeMismatch();
    if (profile === 'no-share-permission') return new Reply(403, err('NO_PERMISSION', 'Permission denied to delete records'));
    if (profile === 'read-only') return new Reply(400, err('AUTHORIZATION_FAILED', 'User does not have sufficient privilege to delete records'));
    const record = (!config.validateRequests || valid.recordId(id)) && records.get(id);
    if (!record || record.module !== m.apiName) {
      return new Reply(400, err('INVALID_DATA', 'ENTITY_ID_INVALID', { resource_path_index: 1 }));
    }
    record.revokeCalls++;
    if (record.shares === 0) {
      stats.revoke.nothingToRevoke++;
      return new Reply(400, err('BAD_REQUEST', NOTHING_TO_REVOKE));
    }
    // Decided before the change: a 500 means nothing happened, never half of it.
    if (injectFault()) return internalError();
    record.shares = 0;
    record.revokeSuccesses++;
    stats.revoke.succeeded++;
    return new Reply(200, { share: { code: 'SUCCESS', details: { id: record.id }, message: 'Sharing Revoked', status: 'success' } });
  }

  function injectFault(): boolean {
    if (config.errorRate > 0 && Math.random() < config.errorRate) {
      stats.injectedErrors++;
      return true;
    }
    return false;
  }
  const internalError = () => new Reply(500, err('INTERNAL_ERROR', 'Internal Server Error'));
  const tooMany = (message: string) => {
    stats.rateLimited++;
    return new Reply(429, err('TOO_MANY_REQUESTS', message), config.retryAfterSeconds !== undefined ? { 'retry-after': String(config.retryAfterSeconds) } : {});
  };

  async function api(req: IncomingMessage, url: URL, segments: string[], arrived: number): Promise<Reply> {
    // segments: after /crm/{version}/
    const version = segments.shift()!;
    const path = segments.join('/');
    const isRule = path === 'settings/data_sharing/rules/actions/run' || path === 'settings/data_sharing/rules/actions/summary';
    const isShare = segments.length === 4 && segments[2] === 'actions' && segments[3] === 'share' && segments[0] !== 'settings';
    if (!VERSIONS.has(version) || (!isRule && !isShare) || (isRule && version !== 'v8')) {
      return new Reply(404, err('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'));
    }
    const expected = path.endsWith('/run') ? 'POST' : path.endsWith('/summary') ? 'GET' : 'DELETE';
    if (req.method !== expected) return new Reply(400, err('INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'));
    const auth = authenticate(req.headers.authorization);
    if (auth instanceof Reply) return auth;

    if (config.dailyCredits !== undefined) {
      if (now() - creditWindow.start > 86_400_000) creditWindow = { start: now(), used: 0 };
      if (creditWindow.used >= config.dailyCredits) {
        return tooMany('You have exhausted the API credits for the last 24 hours. Please try again later.');
      }
    }
    const inflight = inFlight.get(auth.token) ?? 0;
    if (config.concurrencyLimit !== undefined && inflight >= config.concurrencyLimit) {
      return tooMany('You have exceeded the concurrency limit. Please try again later.');
    }
    inFlight.set(auth.token, inflight + 1);
    stats.inFlight++;
    stats.maxInFlightPerToken = Math.max(stats.maxInFlightPerToken, inflight + 1);
    creditWindow.used++;
    stats.creditsUsed++;
    try {
      // The call's time in the server, counted from its arrival: a plain setTimeout(latencyMs) after
      // parsing made every call ~1.7 ms longer than asked (measured at 20 ms), skewing limit tests.
      if (config.latencyMs > 0) await serviceTime(arrived, config.latencyMs);
      if (path.endsWith('/run')) return rerun(url, auth.scopes);
      if (path.endsWith('/summary')) return summary(url, auth.scopes);
      return revoke(decodeURIComponent(segments[0]!), decodeURIComponent(segments[1]!), auth.scopes, auth.profile);
    } finally {
      inFlight.set(auth.token, (inFlight.get(auth.token) ?? 1) - 1);
      stats.inFlight--;
    }
  }

  // --- OAuth --------------------------------------------------------------------------------
  async function oauthToken(req: IncomingMessage): Promise<Reply> {
    if (req.method !== 'POST') return new Reply(405, { error: 'invalid_request' });
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'refresh_token') return new Reply(400, { error: 'unsupported_grant_type' });
    const client = clients.get(form.get('client_id') ?? '');
    // Zoho Accounts answers these with HTTP 200 and an `error` field: clients must test for access_token.
    if (!client || client.clientSecret !== form.get('client_secret')) return new Reply(200, { error: 'invalid_client' });
    if (client.refreshToken !== form.get('refresh_token')) return new Reply(200, { error: 'invalid_code' });
    const accessToken = `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
    tokens.set(accessToken, { scopes: new Set(client.scopes), expiresAt: now() + config.accessTokenTtlSeconds * 1000, profile: 'admin' });
    stats.tokenRefreshes++;
    return new Reply(200, { access_token: accessToken, api_domain: origin, token_type: 'Bearer', expires_in: config.accessTokenTtlSeconds });
  }

  // --- admin (not Zoho's API) ---------------------------------------------------------------
  async function admin(req: IncomingMessage, segments: string[]): Promise<Reply> {
    const [what, a, b] = segments;
    if (what === 'stats' && req.method === 'GET') return new Reply(200, sandbox.stats());
    if (what === 'records' && req.method === 'GET' && a && b) {
      const r = sandbox.record(decodeURIComponent(a), decodeURIComponent(b));
      return r ? new Reply(200, r) : new Reply(404, { error: 'no such record' });
    }
    if (what === 'tokens' && a === 'expire' && req.method === 'POST') {
      sandbox.expireTokens();
      return new Reply(200, { expired: true });
    }
    if (what === 'config' && (req.method === 'PATCH' || req.method === 'GET')) {
      if (req.method === 'GET') return new Reply(200, config);
      try {
        return new Reply(200, sandbox.configure(JSON.parse((await readBody(req)) || '{}')));
      } catch (e) {
        return new Reply(400, { error: (e as Error).message });
      }
    }
    if (what === 'reset' && req.method === 'POST') {
      sandbox.reset();
      return new Reply(200, { reset: true });
    }
    return new Reply(404, { error: 'unknown sandbox admin endpoint' });
  }

  // --- HTTP ---------------------------------------------------------------------------------
  async function route(req: IncomingMessage, arrived: number): Promise<Reply> {
    const url = new URL(req.url ?? '/', origin);
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments[0] === 'crm' && segments.length >= 2) return api(req, url, segments.slice(1), arrived);
    if (url.pathname === '/oauth/v2/token') return oauthToken(req);
    if (segments[0] === '__sandbox') return admin(req, segments.slice(1));
    return new Reply(404, err('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'));
  }

  const server = createServer((req, res) => {
    route(req, performance.now()).then(
      (reply) => send(req, res, reply),
      () => send(req, res, internalError()),
    );
  });
  // Many clients keep connections open between calls; don't let Node's defaults cut them.
  server.keepAliveTimeout = 30_000;

  function send(req: IncomingMessage, res: ServerResponse, reply: Reply) {
    stats.requests++;
    stats.byStatus[reply.status] = (stats.byStatus[reply.status] ?? 0) + 1;
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const headers: Record<string, string> = { ...reply.headers };
    if (text) headers['content-type'] = 'application/json;charset=UTF-8';
    res.writeHead(reply.status, headers).end(text);
    options.onResponse?.({ method: req.method ?? 'GET', path: req.url ?? '/', status: reply.status, body: reply.body, headers });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const sandbox: Sandbox = {
    url: origin,
    apiBaseUrl: `${origin}/crm/v8`,
    tokenUrl: `${origin}/oauth/v2/token`,
    config,
    stats: () => structuredClone(stats),
    record: (module, id) => {
      const r = records.get(id);
      return r && r.module === module ? { ...r } : undefined;
    },
    expireTokens() {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    configure(patch) {
      const allowed = ['rerunDurationMs', 'latencyMs', 'errorRate', 'accessTokenTtlSeconds', 'validateRequests', 'concurrencyLimit', 'retryAfterSeconds', 'dailyCredits'];
      for (const [key, value] of Object.entries(patch)) {
        if (!allowed.includes(key)) throw new Error(`config: unknown option ${key}; expected one of ${allowed.join(', ')}`);
        if (key === 'validateRequests' ? typeof value !== 'boolean' : value !== null && value !== undefined && !(typeof value === 'number' && value >= 0)) {
          throw new Error(`config.${key}: expected ${key === 'validateRequests' ? 'a boolean' : 'a number >= 0 (or null to switch it off)'}`);
        }
        (config as Record<string, unknown>)[key] = value ?? undefined;
      }
      return { ...config };
    },
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sandbox;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 64 * 1024) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
