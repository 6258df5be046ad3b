// The example server, composed: the Zoho client, the webhook queue and the Zoho call slots
// (queue/backend.ts), the routes (routes/), the HTTP plumbing (http/), and an orderly close.
import { AbortError, redactSecrets, type ClientOptions } from '@zcrm-sharing/client';
import { withSlot } from './concurrency/limiter.js';
import { withDefaults } from './config.js';
import { adminGate } from './http/gate.js';
import { httpServer, listen, type HttpServer } from './http/requests.js';
import { defaultAllowedHosts, isLoopback, type AdminCredential } from './http/security.js';
import { createLogger, stdoutWriter, type LogWriter, type Logger } from './log.js';
import { openBackend, type Backend, type BackendOptions } from './queue/backend.js';
import type { RetryPolicy } from './queue/backoff.js';
import { isStoreUnavailable } from './queue/unavailable.js';
import type { Job } from './queue/jobs.js';
import { apiRoutes } from './routes/api.js';
import { pageRoutes } from './routes/pages.js';
import { webhookRoute } from './routes/webhook.js';
import { zohoClient } from './zoho-client.js';

export interface ExampleServerOptions {
  /** How to reach Zoho (or the sandbox): passed to createZohoCrmClient. Default transport: `@zcrm-sharing/client/node`. */
  zoho: ClientOptions;
  /** Shown on /healthz and the admin page. Default `zoho`. */
  mode?: 'zoho' | 'sandbox';
  /** Default 0 (a free port). main.ts passes PORT. */
  port?: number;
  /** Default: DEFAULTS.host. */
  host?: string;
  /** The webhook's shared secret. Unset: the webhook answers 503. */
  webhookSecret?: string | undefined;
  /** Most Zoho calls in flight at once, webhook jobs and API calls together. Default: DEFAULTS.revokeConcurrency. */
  revokeConcurrency?: number;
  /** Finished webhook jobs kept (the newest). Default: DEFAULTS.jobLogSize. */
  jobLogSize?: number;
  /** ...and for at most this long. Default: DEFAULTS.jobRetentionMs. */
  jobRetentionMs?: number;
  /** The SQLite store's folder (created with mode 0700). Default: DEFAULTS.dataDir, in the working directory. Ignored with `databaseUrl`. */
  dataDir?: string;
  /** Use the SQLite store found in `dataDir` (or a new, empty one) even though the folder's marker says another store was there (START_AFRESH). */
  startAfresh?: boolean;
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
  /** Most webhook jobs queued or running. Default: DEFAULTS.queueLimit. */
  queueLimit?: number;
  /** A delivery for a record revoked less than this long ago joins that job (0: off). Default: DEFAULTS.dedupeWindowMs. */
  dedupeWindowMs?: number;
  /** Receives each JSON log line. Default: stdout. */
  log?: LogWriter;
  /** More strings never to log (the auth secrets in `zoho.auth`, the webhook secret and the admin password are always included). */
  secrets?: string[];
  /** The longest a webhook job's revoke can last (client retries included): a call a stop or crash cut short holds its slot this long after its start. Default: DEFAULTS.callDeadlineMs. */
  callDeadlineMs?: number;
  /** Transient failures (Zoho or the network down, 5xx, 429): how long and how often a webhook job is tried again. Default: DEFAULTS.retry. */
  retry?: Partial<RetryPolicy>;
  /** The retry backoff's jitter source (tests fix it). Default Math.random. */
  random?: () => number;
  /** On close(), how long in-flight Zoho calls may take before they are aborted. Default: DEFAULTS.shutdownGraceMs. */
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

export async function createExampleServer(options: ExampleServerOptions): Promise<ExampleServer> {
  // PORT's default is main's; the library listens on a free port unless given one.
  const o = withDefaults({ ...options, port: options.port ?? 0 });
  const mode = options.mode ?? 'zoho';
  const webhookSecret = options.webhookSecret || undefined;
  // The client knows its credentials and every token it obtains; the webhook secret and any extra
  // secrets are added here. Every log line and every answer goes through this.
  const extraSecrets = [webhookSecret, options.admin?.password, ...(options.secrets ?? [])];
  const redact = (text: string) => client.redact(redactSecrets(text, extraSecrets));
  const logger = createLogger(options.log ?? stdoutWriter, redact);
  const { client, close: closeTransport } = zohoClient(options.zoho, o.revokeConcurrency, logger);

  const admin = options.admin?.password ? options.admin : undefined;
  if (!isLoopback(o.host) && !admin) {
    throw new TypeError(`host ${o.host} is not a loopback address: the admin page and /api need the admin credential (admin.password) there`);
  }
  const allowedHosts = new Set((options.allowedHosts?.length ? options.allowedHosts : defaultAllowedHosts(o.host)).map((h) => h.toLowerCase()));

  // Aborted when close()'s grace period ends: API calls still waiting or in flight give up.
  const shutdown = new AbortController();
  const backend = await (options.backend ?? openBackend)({
    concurrency: o.revokeConcurrency,
    databaseUrl: options.databaseUrl,
    dataDir: o.dataDir,
    startAfresh: options.startAfresh === true,
    ...(options.postgres ? { postgres: options.postgres } : {}),
    // The call's deadline is a bound, not a hope: a call still unanswered near it (the client's
    // retries and Retry-After waits included) is stopped before its slot's lease can run out.
    revoke: (module, recordId, signal) => client.revokeSharedRecord({ module, recordId }, { signal: AbortSignal.any([signal, AbortSignal.timeout(callBudgetMs(o.callDeadlineMs))]) }),
    retry: o.retry,
    callDeadlineMs: o.callDeadlineMs,
    ...(options.random ? { random: options.random } : {}),
    records: { logSize: o.jobLogSize, retentionMs: o.jobRetentionMs, queueLimit: o.queueLimit, dedupeWindowMs: o.dedupeWindowMs, now: Date.now },
    onFinished: (job) => {
      const fields = { jobId: job.id, module: job.module, recordId: job.recordId, status: job.status, deliveries: job.deliveries, attempts: job.attempts, interruptions: job.interruptions, error: job.error };
      (job.status === 'failed' ? logger.warn : logger.info)('webhook job finished', fields);
    },
    onPause: (reason) => (reason ? logger.error('webhook queue paused: no job is taken until this is fixed', { reason: reason.message, error: reason.error }) : logger.info('webhook queue resumed')),
    // pg-boss reports some errors as plain objects ({ message, stack, queue }), not Errors.
    onError: (err) => {
      const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown; code?: unknown };
      const fields = { errorName: typeof e.name === 'string' ? e.name : typeof err, message: typeof e.message === 'string' ? e.message : String(err), ...(typeof e.code === 'string' ? { code: e.code } : {}) };
      // The store out of reach passes (the instance reconnects by itself): a warning, not an error.
      (isStoreUnavailable(err) ? logger.warn : logger.error)('webhook job store error', fields);
    },
  }).catch((err: unknown) => {
    closeTransport();
    throw err;
  });
  const { queue, slots } = backend;
  if (queue.counters.resumed) logger.warn('webhook jobs found in flight after a stop: resumed', { resumed: queue.counters.resumed, store: queue.location });

  let stopping = false;
  const routes = [
    ...pageRoutes(),
    ...apiRoutes({
      client,
      zohoCall: (fn) => withSlot(slots, 'high', (lost) => fn(AbortSignal.any([shutdown.signal, lost])), shutdown.signal),
      queue,
      slots,
      mode,
      concurrency: o.revokeConcurrency,
      webhookEnabled: webhookSecret !== undefined,
      adminLogin: admin !== undefined,
      started: Date.now(),
      stopping: () => stopping,
    }),
    webhookRoute(webhookSecret, queue),
  ];
  const http = httpServer({ routes, gate: adminGate(allowedHosts, admin), logger, redact, stopping: () => stopping });
  const { server } = http;

  let address: { url: string; port: number };
  try {
    address = await listen(server, o.port, o.host);
  } catch (err) {
    await backend.close(0);
    closeTransport();
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    ...address,
    logger,
    jobs: () => queue.jobs(),
    idle: () => queue.idle(),
    close() {
      closing ??= (async () => {
        stopping = true;
        await stop(http, backend, shutdown, o.shutdownGraceMs, logger);
        closeTransport();
      })();
      return closing;
    },
  };
}

/**
 * Stops taking jobs; in-flight calls get the grace period, then are aborted. The server keeps
 * listening meanwhile, answering every request 503 with Retry-After (a load balancer or Zoho
 * delivers again, elsewhere or later); then every connection goes.
 */
async function stop({ server, drained }: HttpServer, backend: Backend, shutdown: AbortController, graceMs: number, logger: Logger): Promise<void> {
  // Idle keep-alive connections stay open (a client may be sending on one right now); each answer
  // while stopping carries `connection: close`.
  const timer = setTimeout(() => shutdown.abort(new AbortError('the server is stopping')), graceMs);
  let left = { queued: 0, running: 0 };
  try {
    // Webhook jobs and API calls in flight finish, or are aborted when the grace period ends.
    let graceOver: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => (graceOver = setTimeout(r, graceMs)));
    [left] = await Promise.all([backend.close(graceMs), Promise.race([drained(), grace])]);
    clearTimeout(graceOver);
  } finally {
    clearTimeout(timer);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
  // Nothing is lost: say what waits in the store for the next start.
  if (left.queued + left.running > 0) logger.info('webhook jobs left in the store: they resume at the next start', { ...left, store: backend.queue.location });
}

/**
 * How long a webhook job's call may run: its deadline less a margin (a tenth, at most 5 s) for the
 * stopped request to leave and the clocks' slack, so it ends before the slot's lease (held from the
 * claim for the whole deadline) can be given to another call.
 */
export function callBudgetMs(callDeadlineMs: number): number {
  return Math.max(1, callDeadlineMs - Math.min(5_000, callDeadlineMs / 10));
}
