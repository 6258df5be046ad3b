import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AbortError,
  NothingToRevokeError,
  createZohoCrmClient,
  redactSecrets,
  validateModule,
  validateRecordId,
  validateRevocableModule,
  type ClientEvent,
  type ClientOptions,
  type ZohoCrmClient,
} from '@zcrm-sharing/client';
import { createNodeFetch } from '@zcrm-sharing/client/node';
import { openBackend, type Backend, type BackendOptions } from './backend.js';
import { DEFAULTS } from './config.js';
import { withSlot } from './limiter.js';
import { answerForError, describeError, type ErrorAnswer } from './http-errors.js';
import type { Job } from './jobs.js';
import { createLogger, stdoutWriter, type LogWriter, type Logger } from './log.js';
import { BASIC_REALM, basicAuthMatches, crossSite, defaultAllowedHosts, hostAllowed, isLoopback, type AdminCredential } from './security.js';
import { RequestProblem, SECRET_HEADER, parseFields, presentedSecret, readBody, revokeRequestOf, secretMatches } from './webhook.js';

export interface ExampleServerOptions {
  /** How to reach Zoho (or the sandbox): passed to createZohoCrmClient. Default transport: `@zcrm-sharing/client/node`. */
  zoho: ClientOptions;
  /** Shown on /healthz and the admin page. Default `zoho`. */
  mode?: 'zoho' | 'sandbox';
  /** Default 0 (a free port). main.ts passes PORT (default 3000). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The webhook's shared secret. Unset: the webhook answers 503. */
  webhookSecret?: string | undefined;
  /** Most Zoho calls in flight at once, webhook jobs and API calls together. Default 4. */
  revokeConcurrency?: number;
  /** Finished webhook jobs kept (the newest). Default 1,000. */
  jobLogSize?: number;
  /** ...and for at most this long. Default 7 days. */
  jobRetentionMs?: number;
  /** The SQLite store's folder (created with mode 0700). Default `data/` in the working directory. Ignored with `databaseUrl`. */
  dataDir?: string;
  /** Postgres: the queue (pg-boss) and the concurrency cap shared by every instance on it. */
  databaseUrl?: string | undefined;
  /** pg-boss timings (tests shorten them). */
  postgres?: BackendOptions['postgres'];
  /** Replaces openBackend (the benchmark's in-memory baseline). */
  backend?: (options: BackendOptions) => Promise<Backend>;
  /**
   * Host names (no port) the admin page and /api answer to, and that an Origin may name. Default:
   * the listen address, `localhost`, `127.0.0.1`. A request for any other Host is refused (403).
   */
  allowedHosts?: string[];
  /**
   * HTTP basic auth for the admin page and /api. Required when `host` is not a loopback address.
   * `/healthz` stays open; the webhook keeps its own secret.
   */
  admin?: AdminCredential | undefined;
  /** Most webhook jobs queued or running. Default 10,000. */
  queueLimit?: number;
  /** See RevokeQueueOptions.dedupeWindowMs. Default 60 s. */
  dedupeWindowMs?: number;
  /** Receives each JSON log line. Default: stdout. */
  log?: LogWriter;
  /** More strings never to log (the auth secrets in `zoho.auth`, the webhook secret and the admin password are always included). */
  secrets?: string[];
  /** On close(), how long in-flight Zoho calls may take before they are aborted. Default 10 s. */
  shutdownGraceMs?: number;
}

export interface ExampleServer {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  logger: Logger;
  /** Webhook jobs: queued or running first, then finished ones, newest first. */
  jobs(): Promise<Job[]>;
  /** Resolves when no webhook job is queued or running (in the store: with Postgres, on any instance). */
  idle(): Promise<void>;
  /** Stops listening and starting jobs, lets in-flight calls finish (up to the grace period). Queued jobs stay in the store. */
  close(): Promise<void>;
}

interface Answer {
  status: number;
  /** JSON-serialised unless `raw` is set. */
  body?: unknown;
  raw?: { data: string; type: string };
  headers?: Record<string, string>;
}

interface Context {
  req: IncomingMessage;
  params: string[];
  /** Extra fields for this request's log line. */
  log: Record<string, unknown>;
}

type Handler = (ctx: Context) => Promise<Answer> | Answer;

const PUBLIC_DIR = new URL('../public/', import.meta.url);
const readPublic = (name: string) => readFileSync(new URL(name, PUBLIC_DIR), 'utf8');

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export async function createExampleServer(options: ExampleServerOptions): Promise<ExampleServer> {
  const concurrency = options.revokeConcurrency ?? DEFAULTS.revokeConcurrency;
  const graceMs = options.shutdownGraceMs ?? 10_000;
  const mode = options.mode ?? 'zoho';
  const webhookSecret = options.webhookSecret || undefined;
  // The client knows its credentials and every token it obtains; the webhook secret and any extra
  // secrets are added here. Every log line and every answer goes through this.
  const extraSecrets = [webhookSecret, options.admin?.password, ...(options.secrets ?? [])];
  const redact = (text: string) => client.redact(redactSecrets(text, extraSecrets));
  const logger = createLogger(options.log ?? stdoutWriter, redact);
  const userOnEvent = options.zoho.onEvent;
  // Keep-alive node:http: undici's fetch costs several times its CPU per call (see the client's bench).
  const transport = options.zoho.fetch ? undefined : createNodeFetch({ maxSockets: concurrency });
  const client: ZohoCrmClient = createZohoCrmClient({
    ...options.zoho,
    ...(transport ? { fetch: transport } : {}),
    onEvent: (event: ClientEvent) => {
      if (event.type === 'retry') logger.warn('zoho retry', { operation: event.operation, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
      if (event.type === 'token-refresh') (event.ok ? logger.info : logger.warn)('zoho token refresh', { ok: event.ok });
      userOnEvent?.(event);
    },
  });

  const host = options.host ?? DEFAULTS.host;
  const admin = options.admin?.password ? options.admin : undefined;
  if (!isLoopback(host) && !admin) {
    throw new TypeError(`host ${host} is not a loopback address: the admin page and /api need the admin credential (admin.password) there`);
  }
  const allowedHosts = new Set((options.allowedHosts?.length ? options.allowedHosts : defaultAllowedHosts(host)).map((h) => h.toLowerCase()));

  // Aborted when close()'s grace period ends: API calls still waiting or in flight give up.
  const shutdown = new AbortController();
  const backend = await (options.backend ?? openBackend)({
    concurrency,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir ?? DEFAULTS.dataDir,
    ...(options.postgres ? { postgres: options.postgres } : {}),
    revoke: (module, recordId, signal) => client.revokeSharedRecord({ module, recordId }, { signal }),
    records: {
      logSize: options.jobLogSize ?? DEFAULTS.jobLogSize,
      retentionMs: options.jobRetentionMs ?? DEFAULTS.jobRetentionMs,
      queueLimit: options.queueLimit ?? DEFAULTS.queueLimit,
      dedupeWindowMs: options.dedupeWindowMs ?? DEFAULTS.dedupeWindowMs,
      now: Date.now,
    },
    onFinished: (job) => {
      const fields = { jobId: job.id, module: job.module, recordId: job.recordId, status: job.status, deliveries: job.deliveries, attempts: job.attempts, interruptions: job.interruptions, error: job.error };
      (job.status === 'failed' ? logger.warn : logger.info)('webhook job finished', fields);
    },
    onError: (err) => logger.error('webhook job store error', { errorName: err instanceof Error ? err.name : typeof err, message: err instanceof Error ? err.message : String(err) }),
  }).catch((err: unknown) => {
    transport?.close();
    throw err;
  });
  const { queue, slots } = backend;
  if (queue.counters.resumed) logger.warn('webhook jobs found in flight after a stop: resumed', { resumed: queue.counters.resumed, store: queue.location });
  const pages = { html: readPublic('index.html'), js: readPublic('admin.js'), css: readPublic('admin.css') };
  const started = Date.now();
  let stopping = false;

  /** A Zoho call for a person waiting on it: served before queued webhook jobs. */
  const zohoCall = <T>(fn: (signal: AbortSignal) => Promise<T>) => withSlot(slots, 'high', () => fn(shutdown.signal), shutdown.signal);
  const fail = (ctx: Context, err: unknown): Answer => {
    const answer: ErrorAnswer = answerForError(err);
    const summary = describeError(err);
    ctx.log.error = summary.type;
    if (summary.zohoCode) ctx.log.zohoCode = summary.zohoCode;
    if (answer.status === 500) ctx.log.errorName = err instanceof Error ? err.name : typeof err;
    return answer.headers ? { status: answer.status, body: answer.body, headers: answer.headers } : { status: answer.status, body: answer.body };
  };

  // --- handlers ---------------------------------------------------------------------------------
  const page: Handler = () => ({ status: 200, raw: { data: pages.html, type: 'text/html; charset=utf-8' }, headers: { 'content-security-policy': PAGE_CSP } });
  const script: Handler = () => ({ status: 200, raw: { data: pages.js, type: 'text/javascript; charset=utf-8' } });
  const styles: Handler = () => ({ status: 200, raw: { data: pages.css, type: 'text/css; charset=utf-8' } });

  const health: Handler = async () => ({
    status: stopping ? 503 : 200,
    body: {
      status: stopping ? 'stopping' : 'ok',
      mode,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      webhook: { enabled: webhookSecret !== undefined },
      admin: { login: admin !== undefined },
      zohoConcurrency: { max: concurrency, active: slots.active, waiting: slots.waiting, shared: queue.kind === 'postgres' },
      queue: { store: queue.kind, ...(await queue.counts()) },
    },
  });

  const jobs: Handler = async () => ({
    status: 200,
    body: { mode, store: queue.kind, concurrency, ...(await queue.counts()), counters: { ...queue.counters }, jobs: await queue.jobs() },
  });

  const webhook: Handler = async (ctx) => {
    const { req } = ctx;
    if (!webhookSecret) {
      return { status: 503, body: { error: 'webhook_disabled', message: 'the webhook is off: set WEBHOOK_SECRET to turn it on' } };
    }
    const unauthorized: Answer = { status: 401, body: { error: 'unauthorized', message: `missing or wrong webhook secret (send it in the ${SECRET_HEADER} header)` } };
    // The header is checked before the body is read: an unauthenticated caller learns nothing else.
    const header = req.headers[SECRET_HEADER];
    const headerChecked = typeof header === 'string' && header !== '';
    if (headerChecked && !secretMatches(header, webhookSecret)) return unauthorized;
    let fields: Record<string, unknown>;
    try {
      fields = parseFields(req.headers['content-type'], await readBody(req));
    } catch (err) {
      if (!headerChecked) return unauthorized;
      if (err instanceof RequestProblem) return { status: err.status, body: err.body };
      throw err;
    }
    if (!headerChecked && !secretMatches(presentedSecret(req, fields), webhookSecret)) return unauthorized;
    delete fields.secret;

    let input;
    try {
      input = revokeRequestOf(fields);
    } catch (err) {
      return fail(ctx, err);
    }
    // Resolves once the job (or the delivery joined to one) is committed to the store.
    const result = await queue.submit(input.module, input.recordId);
    if (!result.accepted) {
      ctx.log.rejected = result.reason;
      const message = result.reason === 'closed' ? 'the server is stopping' : 'the revoke queue is full; deliver again later';
      return { status: 503, headers: { 'retry-after': result.reason === 'closed' ? '5' : '30' }, body: { error: result.reason, message } };
    }
    const { job, coalesced } = result;
    ctx.log.jobId = job.id;
    ctx.log.coalesced = coalesced;
    return {
      status: 202,
      body: { accepted: true, jobId: job.id, coalesced, status: job.status, module: job.module, recordId: job.recordId },
    };
  };

  const rerun: Handler = async (ctx) => {
    try {
      const module = validateModule(ctx.params[0], 'module');
      const r = await zohoCall((signal) => client.rerunDataSharingRules({ module }, { signal }));
      if (r.outcome === 'no_rules') return { status: 200, body: { module, scheduled: false, noRules: true, message: `${module} has no data sharing rules: nothing to rerun` } };
      return { status: 202, body: { module, scheduled: true, noRules: false, zohoCode: r.code, message: r.message } };
    } catch (err) {
      return fail(ctx, err);
    }
  };

  const status: Handler = async (ctx) => {
    try {
      const module = validateModule(ctx.params[0], 'module');
      const summary = await zohoCall((signal) => client.getDataSharingRulesSummary({ module }, { signal }));
      if (!summary) return { status: 200, body: { module, ruleCount: 0, computing: false, done: true, noRules: true } };
      const computing = summary.rule_computation_status === true;
      return { status: 200, body: { module, ruleCount: summary.rule_count, computing, done: !computing, noRules: false } };
    } catch (err) {
      return fail(ctx, err);
    }
  };

  const revoke: Handler = async (ctx) => {
    let module: string;
    let recordId: string;
    try {
      // Checked before waiting for a Zoho slot, with the client's own validators.
      module = validateRevocableModule(ctx.params[0], 'module');
      recordId = validateRecordId(ctx.params[1], 'recordId');
    } catch (err) {
      return fail(ctx, err);
    }
    try {
      const r = await zohoCall((signal) => client.revokeSharedRecord({ module, recordId }, { signal }));
      return { status: 200, body: { module, recordId, revoked: true, alreadyNotShared: false, zohoCode: r.code, message: r.message } };
    } catch (err) {
      if (err instanceof NothingToRevokeError) {
        ctx.log.outcome = 'already_not_shared';
        return { status: 200, body: { module, recordId, revoked: false, alreadyNotShared: true, zohoCode: err.code, message: err.message } };
      }
      return fail(ctx, err);
    }
  };

  // `admin`: the page and the API, for a person's browser: Host allow-list, then the admin login.
  // The webhook (its own secret) and /healthz (for load balancers) are not.
  const routes: { pattern: RegExp; methods: Record<string, Handler>; admin: boolean; mutating?: boolean }[] = [
    { pattern: /^\/$/, methods: { GET: page }, admin: true },
    { pattern: /^\/admin\.js$/, methods: { GET: script }, admin: true },
    { pattern: /^\/admin\.css$/, methods: { GET: styles }, admin: true },
    { pattern: /^\/healthz$/, methods: { GET: health }, admin: false },
    { pattern: /^\/api\/jobs$/, methods: { GET: jobs }, admin: true },
    { pattern: /^\/webhooks\/zoho\/revoke-sharing$/, methods: { POST: webhook }, admin: false },
    { pattern: /^\/api\/modules\/([^/]+)\/sharing-rules\/rerun$/, methods: { POST: rerun }, admin: true, mutating: true },
    { pattern: /^\/api\/modules\/([^/]+)\/sharing-rules\/status$/, methods: { GET: status }, admin: true },
    { pattern: /^\/api\/records\/([^/]+)\/([^/]+)\/sharing$/, methods: { DELETE: revoke }, admin: true, mutating: true },
  ];

  /** The admin routes' gate, before anything else about the request is looked at. */
  function refused(req: IncomingMessage, ctx: Context, mutating: boolean): Answer | undefined {
    if (!hostAllowed(req, allowedHosts)) {
      ctx.log.refused = 'host';
      return { status: 403, body: { error: 'host_not_allowed', message: 'this Host is not on the allow-list (ALLOWED_HOSTS)' } };
    }
    if (admin && !basicAuthMatches(req.headers.authorization, admin)) {
      ctx.log.refused = 'login';
      return { status: 401, headers: { 'www-authenticate': BASIC_REALM }, body: { error: 'login_required', message: 'the admin page and /api need the admin login (ADMIN_PASSWORD)' } };
    }
    // A page elsewhere in the browser must not drive the admin API (a form POST needs no CORS preflight).
    if (mutating && crossSite(req, allowedHosts)) {
      ctx.log.refused = 'cross_site';
      return { status: 403, body: { error: 'cross_site_request', message: 'the admin API only accepts requests from its own page' } };
    }
    return undefined;
  }

  async function route(req: IncomingMessage, ctx: Context, pathname: string): Promise<Answer> {
    for (const r of routes) {
      const match = r.pattern.exec(pathname);
      if (!match) continue;
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const handler = r.methods[method];
      // The admin gate first, even for a method the route lacks (a 405 would tell a stranger what is there).
      const gate = r.admin ? refused(req, ctx, handler !== undefined && r.mutating === true) : undefined;
      if (gate) return gate;
      if (!handler) {
        const allow = Object.keys(r.methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');
        return { status: 405, headers: { allow }, body: { error: 'method_not_allowed', message: `${req.method} is not allowed here; use ${allow}` } };
      }
      try {
        ctx.params = match.slice(1).map((p) => decodeURIComponent(p));
      } catch {
        return { status: 400, body: { error: 'invalid_input', field: 'path', expected: 'valid percent-encoding', message: 'path: malformed percent-encoding' } };
      }
      return handler(ctx);
    }
    return { status: 404, body: { error: 'not_found', message: `no route for ${req.method} ${pathname}` } };
  }

  function send(res: ServerResponse, requestId: string, answer: Answer): void {
    const headers: Record<string, string> = { ...COMMON_HEADERS, 'x-request-id': requestId, ...answer.headers };
    let data = '';
    if (answer.raw) {
      headers['content-type'] = answer.raw.type;
      data = answer.raw.data;
    } else if (answer.body !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      // Defence in depth: no known secret leaves in an answer either.
      data = redact(JSON.stringify({ ...(answer.body as object), requestId }));
    }
    if (stopping) headers.connection = 'close';
    headers['content-length'] = String(Buffer.byteLength(data));
    res.writeHead(answer.status, headers).end(data);
  }

  const server = createServer((req, res) => {
    const t0 = performance.now();
    const requestId = randomUUID();
    // Only the path: query strings are not used here and could carry anything.
    const pathname = (req.url ?? '/').split('?')[0]!;
    const ctx: Context = { req, params: [], log: {} };
    res.once('close', () => {
      logger.info('request', {
        requestId,
        method: req.method,
        path: pathname,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - t0) * 10) / 10,
        remoteAddress: req.socket.remoteAddress,
        userAgent: req.headers['user-agent'],
        ...ctx.log,
      });
    });
    const answer: Promise<Answer> = stopping
      ? Promise.resolve({ status: 503, headers: { 'retry-after': '5' }, body: { error: 'shutting_down', message: 'the server is stopping' } })
      : route(req, ctx, pathname);
    answer.then(
      (a) => send(res, requestId, a),
      (err: unknown) => {
        ctx.log.errorName = err instanceof Error ? err.name : typeof err;
        if (!res.headersSent) send(res, requestId, { status: 500, body: { error: 'internal', message: 'internal error' } });
        else res.destroy();
      },
    );
  });
  server.keepAliveTimeout = 5_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await backend.close(0);
    transport?.close();
    throw err;
  }
  const { port, address } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    logger,
    jobs: () => queue.jobs(),
    idle: () => queue.idle(),
    close() {
      closing ??= (async () => {
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => shutdown.abort(new AbortError('the server is stopping')), graceMs);
        let left = { queued: 0, running: 0 };
        try {
          left = await backend.close(graceMs);
          // In-flight API calls finish (or are aborted when the grace period ends); then every connection goes.
          await Promise.race([closed, new Promise((r) => setTimeout(r, graceMs).unref())]);
        } finally {
          clearTimeout(timer);
          server.closeAllConnections();
          transport?.close();
        }
        await closed;
        // Nothing is lost: say what waits in the store for the next start.
        if (left.queued + left.running > 0) logger.info('webhook jobs left in the store: they resume at the next start', { ...left, store: queue.location });
      })();
      return closing;
    },
  };
}
