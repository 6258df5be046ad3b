import { createTokenSource, type AuthOptions } from './auth.js';
import { resolveEndpoints, type DataCenter, type Environment } from './endpoints.js';
import { AbortError, ConnectionError, TimeoutError, errorFromResponse, errorStatusOf, type OperationName, type ResponseFacts, type ZohoCrmError } from './errors.js';
import type {
  GetDataSharingRulesSummaryData,
  RerunDataSharingRulesData,
  RevokeSharedRecordData,
  SharingRulesSummary,
  StatusObject,
} from './generated/index.js';
import { readResponse } from './http.js';
import { createSecretSet } from './redact.js';
import { checkRerun, checkRevoke, checkSummary, type Checked } from './responses.js';
import { MAX_TIMER_MS, RETRY_DEFAULTS, attemptDeadline, backoffDelayMs, wait, type RetryOptions } from './retry.js';
import { validateModule, validateRecordId, validateRevocableModule } from './validate.js';

export interface ClientOptions {
  auth: AuthOptions;
  /** Default `us`. */
  dataCenter?: DataCenter;
  /** Default `production`. */
  environment?: Environment;
  /** Default `v8` (the data sharing rule endpoints exist from v8 only). */
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
  /** Extra headers on every API request (e.g. Prism's `Prefer`). `Authorization` cannot be overridden. */
  headers?: Record<string, string>;
  /** Instrumentation. Events never carry tokens or secrets. */
  onEvent?: (event: ClientEvent) => void;
}

export type ClientEvent =
  | { type: 'request'; operation: OperationName; method: string; url: string; attempt: number }
  | { type: 'response'; operation: OperationName; status: number; attempt: number; durationMs: number }
  | { type: 'retry'; operation: OperationName; attempt: number; delayMs: number; reason: string }
  /** `apiDomain`: the org's API origin the token grant reported (Zoho's `api_domain`), when it sent one. */
  | { type: 'token-refresh'; ok: boolean; apiDomain?: string };

export interface CallOptions {
  /** Aborts the call, and any wait before a retry or for a token, with AbortError. */
  signal?: AbortSignal;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** A scheduled rerun (Zoho's SCHEDULED status object), or a module without rules (Zoho's 204: nothing to rerun). */
export type RerunResult = (StatusObject & { outcome: 'scheduled' }) | { outcome: 'no_rules' };

/** Zoho's SUCCESS status object; `details.id` is the record id sent, checked. */
export interface RevokeResult extends StatusObject {
  details: StatusObject['details'] & { id: string };
}

export interface ZohoCrmClient {
  /** POST /settings/data_sharing/rules/actions/run?module= : schedule a rerun of the module's sharing rules. */
  rerunDataSharingRules(input: { module: string }, options?: CallOptions): Promise<RerunResult>;
  /** GET /settings/data_sharing/rules/actions/summary?module= : the rule count and whether a computation runs; null when the module has no rules. */
  getDataSharingRulesSummary(input: { module: string }, options?: CallOptions): Promise<SharingRulesSummary | null>;
  /** DELETE /{module}/{recordId}/actions/share : revoke every share of one record. */
  revokeSharedRecord(input: { module: string; recordId: string | bigint }, options?: CallOptions): Promise<RevokeResult>;
  /** Removes every secret this client knows (credentials, each access token obtained) from `text`. */
  redact(text: string): string;
}

// Path templates, checked against the generated operation types.
const RERUN_URL: RerunDataSharingRulesData['url'] = '/settings/data_sharing/rules/actions/run';
const SUMMARY_URL: GetDataSharingRulesSummaryData['url'] = '/settings/data_sharing/rules/actions/summary';
const REVOKE_URL: RevokeSharedRecordData['url'] = '/{module_api_name}/{record_id}/actions/share';

interface Call<T> {
  operation: OperationName;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** Safe to repeat after any failure (true for DELETE and GET). The rerun POST is not. */
  idempotent: boolean;
  /** The documented success, or why this answer is not it. */
  accept: (r: ResponseFacts) => Checked<T>;
}

const inRange = (name: string, v: number, min: number, max: number) => {
  if (!(v >= min && v <= max)) throw new TypeError(`${name}: expected a number from ${min} to ${max}, got ${v}`);
  return v;
};

export function createZohoCrmClient(options: ClientOptions): ZohoCrmClient {
  if (!options || typeof options !== 'object') throw new TypeError('createZohoCrmClient: expected an options object');
  const endpoints = resolveEndpoints(options);
  const baseUrl = (options.baseUrl ?? endpoints.apiBaseUrl).replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = inRange('timeoutMs', options.timeoutMs ?? 30_000, 1, MAX_TIMER_MS);
  const maxResponseBytes = inRange('maxResponseBytes', options.maxResponseBytes ?? 1 << 20, 1, Infinity);
  const maxRetries = Math.floor(inRange('maxRetries', options.maxRetries ?? 2, 0, 100));
  const { shouldRetry, ...delays } = options.retry ?? {};
  const retry = { ...RETRY_DEFAULTS, ...delays };
  inRange('retry.maxRetryAfterMs', retry.maxRetryAfterMs, 0, MAX_TIMER_MS);
  const onEvent = options.onEvent;
  const extraHeaders = options.headers ?? {};
  const auth = (options.auth ?? {}) as Record<string, unknown>;
  const secrets = createSecretSet([auth.accessToken, auth.clientSecret, auth.refreshToken]);
  const tokens = createTokenSource(options.auth, {
    tokenUrl: options.tokenUrl ?? endpoints.tokenUrl,
    fetch: fetchImpl,
    timeoutMs,
    maxResponseBytes,
    secrets,
    onRefresh: onEvent && ((ok, apiDomain) => onEvent(apiDomain ? { type: 'token-refresh', ok, apiDomain } : { type: 'token-refresh', ok })),
  });
  const aborted = (call: Call<unknown>, signal: AbortSignal) => new AbortError(`${call.operation} aborted`, { cause: signal.reason });

  async function send<T>(call: Call<T>, callOptions: CallOptions = {}): Promise<T> {
    const { signal } = callOptions;
    const url = baseUrl + call.path;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw aborted(call, signal);
      const token = await tokens.get(signal);
      const deadline = attemptDeadline(timeoutMs, signal);
      const started = performance.now();
      onEvent?.({ type: 'request', operation: call.operation, method: call.method, url, attempt });
      let facts: ResponseFacts | undefined;
      // Set on every path that does not return (a failed fetch, or an answer that is not the success).
      let failure!: { error: ZohoCrmError; byDefault: boolean; delay?: number | undefined };
      try {
        const res = await fetchImpl(url, {
          method: call.method,
          headers: { ...extraHeaders, ...callOptions.headers, accept: 'application/json', authorization: `Zoho-oauthtoken ${token}` },
          signal: deadline.signal,
          // The token goes to the API host or nowhere.
          redirect: 'manual',
        });
        facts = await readResponse(res, { maxBytes: maxResponseBytes, retryAfterCapMs: retry.maxRetryAfterMs, redact: secrets.redact, drop: deadline.abort });
      } catch (cause) {
        if (signal?.aborted) throw aborted(call, signal);
        const error = deadline.timedOut
          ? new TimeoutError(`${call.operation}: no answer within ${timeoutMs} ms`)
          : new ConnectionError(`${call.operation}: could not reach ${new URL(url).origin}`, { cause, refused: isRefused(cause) });
        // A refused connection never reached Zoho; anything else may have been processed.
        failure = { error, byDefault: call.idempotent || (error instanceof ConnectionError && error.refused) };
      } finally {
        deadline.dispose();
      }
      if (facts) {
        onEvent?.({ type: 'response', operation: call.operation, status: facts.status, attempt, durationMs: performance.now() - started });
        const checked = call.accept(facts);
        if (checked.ok) return checked.value;
        if (facts.status === 401 && errorStatusOf(facts.json)?.code === 'INVALID_TOKEN' && !refreshed && tokens.invalidate(token)) {
          // One reactive refresh; it does not count as a retry.
          refreshed = true;
          attempt--;
          continue;
        }
        failure = {
          error: errorFromResponse(call.operation, facts, checked.problem),
          byDefault: facts.status === 429 || (facts.status >= 500 && call.idempotent),
          delay: facts.retryAfterMs,
        };
      }
      const { error, byDefault } = failure;
      if (attempt >= maxRetries) throw error;
      const delay = failure.delay ?? backoffDelayMs(attempt, retry);
      if (!(shouldRetry ? shouldRetry(error, attempt, { operation: call.operation, byDefault, delayMs: delay }) : byDefault)) throw error;
      onEvent?.({ type: 'retry', operation: call.operation, attempt: attempt + 1, delayMs: delay, reason: error.kind });
      await wait(delay, signal, call.operation);
    }
  }

  return {
    async rerunDataSharingRules(input, callOptions) {
      const module = validateModule(input?.module);
      return send(
        {
          operation: 'rerunDataSharingRules',
          method: 'POST',
          path: `${RERUN_URL}?module=${encodeURIComponent(module)}`,
          idempotent: false,
          accept: (r): Checked<RerunResult> => {
            const c = checkRerun(r);
            return c.ok ? { ok: true, value: c.value ? { ...c.value, outcome: 'scheduled' } : { outcome: 'no_rules' } } : c;
          },
        },
        callOptions,
      );
    },

    async getDataSharingRulesSummary(input, callOptions) {
      const module = validateModule(input?.module);
      return send(
        {
          operation: 'getDataSharingRulesSummary',
          method: 'GET',
          path: `${SUMMARY_URL}?module=${encodeURIComponent(module)}`,
          idempotent: true,
          accept: (r) => checkSummary(r, module),
        },
        callOptions,
      );
    },

    async revokeSharedRecord(input, callOptions) {
      const module = validateRevocableModule(input?.module);
      const recordId = validateRecordId(input?.recordId);
      const path = REVOKE_URL.replace('{module_api_name}', encodeURIComponent(module)).replace('{record_id}', encodeURIComponent(recordId));
      return send({ operation: 'revokeSharedRecord', method: 'DELETE', path, idempotent: true, accept: (r) => checkRevoke(r, recordId) }, callOptions);
    },

    redact: secrets.redact,
  };
}

function isRefused(err: unknown): boolean {
  for (let e: any = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (e.code === 'ECONNREFUSED') return true;
  }
  return false;
}
