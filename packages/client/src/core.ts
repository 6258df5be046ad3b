// The client's core: options, the token, and the one request loop every operation goes through
// (deadline, transport, judging the answer, the reactive refresh, retries). Operations are separate
// functions over it (src/operations/), so an app that calls one of them carries only that one.
import { createTokenSource, type CoreAuthOptions } from './auth.js';
import { resolveApiBase, type DataCenter, type Environment } from './endpoints.js';
import { AbortError, ConnectionError, InvalidInputError, TimeoutError, type OperationName, type ZohoCrmError } from './errors.js';
import { errorFromResponse, errorStatusOf, factsOf, type Refine, type ResponseFacts } from './internal/response.js';
import { API_VERSIONS } from './generated/zoho.js';
import { DIRECT, requesterFor } from './http.js';
import { createSecretSet } from './redact.js';
import { MAX_TIMER_MS, attemptDeadline, wait } from './internal/deadline.js';
import { RETRY_DEFAULTS, backoffDelayMs, parseRetryAfter, type RetryOptions } from './retry.js';
import type { Checked } from './shape.js';

/** Everything but `auth`: shared by `createZohoCrmClient` and `createZohoCrmCore`. */
export interface ConnectionOptions {
  /** Default `us`. */
  dataCenter?: DataCenter;
  /** Default `production`. */
  environment?: Environment;
  /** Default `v8` (the data sharing rule endpoints exist from v8 only). One of the spec's versions, v2 to v8. */
  apiVersion?: string;
  /** The full API base including `/crm/{version}`; overrides dataCenter/environment/apiVersion (mocks, the sandbox). */
  baseUrl?: string;
  /** Overrides the data centre's OAuth token URL. */
  tokenUrl?: string;
  /**
   * The transport. Default: the global `fetch`. It is called with `redirect: 'manual'` and must not
   * follow redirects (`@zcrm-sharing/client/node`'s `createNodeFetch` never does).
   */
  fetch?: typeof globalThis.fetch;
  /** Per attempt, the whole body included. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  retry?: RetryOptions;
  /** Largest response body read; past it the connection is dropped and the call fails. Default 1 MiB. */
  maxResponseBytes?: number;
  /**
   * Extra headers on every API request (e.g. Prism's `Prefer`). `Authorization` and `Accept` cannot be
   * overridden; a header the transport owns (Host, Content-Length, Connection...), a name HTTP cannot
   * carry or a value with a control character (CR, LF, NUL...) or one past Latin-1 is refused with
   * InvalidInputError naming it.
   */
  headers?: Record<string, string>;
  /** Instrumentation. Events never carry tokens or secrets. */
  onEvent?: (event: ClientEvent) => void;
}

export interface CoreOptions extends ConnectionOptions {
  auth: CoreAuthOptions;
}

/** What `onEvent` receives: each request, response, retry and token refresh (never a token or secret). */
export type ClientEvent =
  | { type: 'request'; operation: OperationName; method: string; url: string; attempt: number }
  | { type: 'response'; operation: OperationName; status: number; attempt: number; durationMs: number }
  | { type: 'retry'; operation: OperationName; attempt: number; delayMs: number; reason: string }
  /** `apiDomain`: the org's API origin the token grant reported (Zoho's `api_domain`), when it sent one. */
  | { type: 'token-refresh'; ok: boolean; apiDomain?: string };

/** Per-call options, the last argument of every operation. */
export interface CallOptions {
  /** Aborts the call, and any wait before a retry or for a token, with AbortError. */
  signal?: AbortSignal;
  /** Extra headers for this call (over the client's `headers`; the same rules). */
  headers?: Record<string, string>;
}

/** One call of an operation, as its module describes it. */
export interface Call<T> {
  operation: OperationName;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** After the base URL, query included. */
  path: string;
  /** A JSON request body (sent as `application/json`). */
  body?: string;
  /** The API versions that have the operation (the spec's). */
  versions: readonly string[];
  /** Safe to repeat after any failure (true for DELETE and GET). The rerun POST is not. */
  idempotent: boolean;
  /** The documented success, or why this answer is not it. */
  accept: (r: ResponseFacts) => Checked<T>;
  /** The operation's own reading of some 4xx codes. */
  refine?: Refine;
}

/** Where the core keeps its request loop: operations reach it through this key. */
export const SEND: unique symbol = Symbol('send');

/** What the operation functions take: `createZohoCrmCore()` or `createZohoCrmClient()`. */
export interface ZohoCrmCore {
  /** Removes every secret this client knows (credentials, each access token obtained) from `text`. */
  redact(text: string): string;
  /** @internal The request loop. */
  readonly [SEND]: <T>(call: Call<T>, options?: CallOptions) => Promise<T>;
}

const inRange = (name: string, v: number, min: number, max: number) => {
  if (!(v >= min && v <= max)) throw new TypeError(`${name}: expected a number from ${min} to ${max}, got ${v}`);
  return v;
};

/**
 * The client without its operations, for apps that want the smallest bundle: pass it to the
 * operation functions (`revokeSharedRecord(zoho, {...})`). Auth: `{ accessToken }`,
 * `{ getAccessToken }` or `refreshTokenGrant({...})`.
 */
export function createZohoCrmCore(options: CoreOptions): ZohoCrmCore {
  if (!options || typeof options !== 'object') throw new TypeError('options: expected an object');
  const endpoints = resolveApiBase(options);
  const baseUrl = (options.baseUrl ?? endpoints.apiBaseUrl).replace(/\/+$/, '');
  // The version the calls go to, when the base URL says (`.../crm/v8`); a mock's bare origin does not.
  const version = /\/crm\/(v[\d.]+)$/.exec(baseUrl)?.[1];
  const request = requesterFor(options.fetch ?? globalThis.fetch);
  // The runtime's fetch and @zcrm-sharing/client/node hold a socket for each request in flight, which
  // keeps the process alive; another fetch (a mock) may not, so there the attempt's timer does.
  const held = !options.fetch || DIRECT in options.fetch;
  const timeoutMs = inRange('timeoutMs', options.timeoutMs ?? 30_000, 1, MAX_TIMER_MS);
  const maxBytes = inRange('maxResponseBytes', options.maxResponseBytes ?? 1 << 20, 1, Infinity);
  const maxRetries = Math.floor(inRange('maxRetries', options.maxRetries ?? 2, 0, 100));
  const { shouldRetry, ...delays } = options.retry ?? {};
  const retry = { ...RETRY_DEFAULTS, ...delays };
  inRange('retry.maxRetryAfterMs', retry.maxRetryAfterMs, 0, MAX_TIMER_MS);
  const { onEvent } = options;
  const extraHeaders = lowerCased(options.headers, 'headers');
  const auth = (options.auth ?? {}) as Record<string, unknown>;
  const secrets = createSecretSet([auth.accessToken, auth.clientSecret, auth.refreshToken]);
  const tokens = createTokenSource(options.auth, {
    tokenUrl: options.tokenUrl,
    dataCenter: endpoints.dataCenter,
    request,
    timeoutMs,
    maxResponseBytes: maxBytes,
    secrets,
    onRefresh: onEvent && ((ok, apiDomain) => onEvent({ type: 'token-refresh', ok, ...(apiDomain && { apiDomain }) })),
  });

  async function send<T>(call: Call<T>, { signal, headers }: CallOptions = {}): Promise<T> {
    const { operation, method, versions, idempotent } = call;
    if (version && (API_VERSIONS as readonly string[]).includes(version) && !versions.includes(version)) {
      throw new InvalidInputError('apiVersion', `one of ${versions.join(', ')} (${operation} exists in those)`, version);
    }
    const url = baseUrl + call.path;
    const callHeaders = lowerCased(headers, 'headers');
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new AbortError(`${operation} aborted`, { cause: signal.reason });
      const pending = tokens.get(signal);
      const token = typeof pending === 'string' ? pending : await pending;
      const deadline = attemptDeadline(timeoutMs, signal, held);
      const started = onEvent && performance.now();
      onEvent?.({ type: 'request', operation, method, url, attempt });
      let facts: ResponseFacts | undefined;
      // Set on every path that does not return (a failed request, or an answer that is not the success).
      let error: ZohoCrmError;
      let byDefault: boolean;
      let delay: number | undefined;
      try {
        // Names lower-cased, so that a caller's `Authorization` cannot sit beside (and be sent with) the client's.
        const sent: Record<string, string> = extraHeaders || callHeaders ? { ...extraHeaders, ...callHeaders } : {};
        sent.accept = 'application/json';
        sent.authorization = `Zoho-oauthtoken ${token}`;
        if (call.body !== undefined) sent['content-type'] = 'application/json';
        facts = factsOf(await request({ url, method, headers: sent, body: call.body, maxBytes }, deadline), secrets.redact);
      } catch (cause) {
        if (signal?.aborted) throw new AbortError(`${operation} aborted`, { cause: signal.reason });
        const refused = !deadline.timedOut && isRefused(cause);
        // Refused: nothing reached the server. Otherwise the connection failed or was cut before a whole answer (which may follow a request that arrived).
        error = deadline.timedOut
          ? new TimeoutError(`${operation}: no answer within ${timeoutMs} ms`)
          : new ConnectionError(`${operation}: ${refused ? 'could not reach' : 'no whole answer from'} ${new URL(url).origin}`, { cause, refused });
        // A refused connection never reached Zoho; anything else may have been processed.
        byDefault = idempotent || refused;
      } finally {
        deadline.dispose();
      }
      if (facts) {
        const { status } = facts;
        onEvent?.({ type: 'response', operation, status, attempt, durationMs: performance.now() - started! });
        const checked = call.accept(facts);
        if (checked.ok) return checked.value;
        if (status === 401 && errorStatusOf(facts.json)?.code === 'INVALID_TOKEN' && !refreshed && tokens.invalidate(token)) {
          // One reactive refresh; it does not count as a retry.
          refreshed = true;
          attempt--;
          continue;
        }
        delay = parseRetryAfter(facts.header('retry-after'), retry.maxRetryAfterMs);
        error = errorFromResponse(operation, facts, checked.problem, delay, call.refine);
        byDefault = status === 429 || (status >= 500 && idempotent);
      }
      if (attempt >= maxRetries) throw error!;
      delay ??= backoffDelayMs(attempt, retry);
      if (!(shouldRetry ? shouldRetry(error!, attempt, { operation, byDefault: byDefault!, delayMs: delay }) : byDefault!)) throw error!;
      onEvent?.({ type: 'retry', operation, attempt: attempt + 1, delayMs: delay, reason: error!.kind });
      await wait(delay, signal, operation);
    }
  }

  return { redact: secrets.redact, [SEND]: send };
}

// A caller's header must be one HTTP can carry as given (a token for a name; no CR, LF, NUL or other
// control character in a value, which would split the request or be refused by the transport), and
// not one that frames the message or the connection: the transport owns those, and one given here
// would hang or break the exchange.
const TOKEN = /^[\w!#$%&'*+.^`|~-]+$/;
const OWNED = /^(host|content-length|transfer-encoding|connection|keep-alive|upgrade|te|trailer|expect|proxy-.*)$/i;

/** `headers` with lower-case names; undefined when there are none. A header it cannot send as given: InvalidInputError naming it. */
function lowerCased(headers: Record<string, string> | undefined, field: string): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers !== 'object' || !headers) throw new InvalidInputError(field, 'an object of header names and values', headers);
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value: unknown = headers[name];
    const named = !TOKEN.test(name) ? 'an HTTP header name' : OWNED.test(name) ? 'a header the transport does not own (not Host, Content-Length, Connection...)' : '';
    // What a header line carries: tab, visible ASCII, space and Latin-1 (as node:http and fetch check it).
    if (named || typeof value !== 'string' || /[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      throw new InvalidInputError(`${field}[${JSON.stringify(name)}]`, named || 'a string of tab, space and visible Latin-1 characters (no CR, LF, NUL)', named ? name : value);
    }
    out[name.toLowerCase()] = value;
  }
  return out;
}

// How each runtime's fetch says "connection refused": Node and Bun with a code, Deno only in the
// message ("tcp connect error: Connection refused (os error 111)"; Windows: "actively refused").
const REFUSED = /\b(connection|actively) refused\b/i;

/** Whether a failed request's error, or one of its causes (at most 5 deep), is a refused connection. */
export function isRefused(err: unknown): boolean {
  for (let e: any = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (e.code === 'ECONNREFUSED' || (e.code === undefined && REFUSED.test(e.message))) return true;
  }
  return false;
}
