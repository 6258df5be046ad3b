import { createTokenSource, type AuthOptions, type TokenSource } from './auth.js';
import { resolveEndpoints, type DataCenter, type Environment } from './endpoints.js';
import {
  AbortError,
  ConnectionError,
  SchedulerBusyError,
  TimeoutError,
  ZohoApiError,
  ServerError,
  errorFromStatus,
  type OperationName,
} from './errors.js';
import type {
  GetDataSharingRulesSummaryData,
  RerunDataSharingRulesData,
  RevokeSharedRecordData,
  SharingRulesSummary,
  StatusObject,
} from './generated/index.js';
import { RETRY_DEFAULTS, attemptDeadline, backoffDelayMs, parseRetryAfter, sleep, type RetryOptions } from './retry.js';
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
  fetch?: typeof globalThis.fetch;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  retry?: RetryOptions;
  /** Extra headers on every API request (e.g. Prism's `Prefer`). `Authorization` cannot be overridden. */
  headers?: Record<string, string>;
  /** Instrumentation. Events never carry tokens or secrets. */
  onEvent?: (event: ClientEvent) => void;
}

export type ClientEvent =
  | { type: 'request'; operation: OperationName; method: string; url: string; attempt: number }
  | { type: 'response'; operation: OperationName; status: number; attempt: number; durationMs: number }
  | { type: 'retry'; operation: OperationName; attempt: number; delayMs: number; reason: string }
  | { type: 'token-refresh'; ok: boolean };

export interface CallOptions {
  signal?: AbortSignal;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

export interface RerunResult extends StatusObject {
  /**
   * True when a retried rerun was answered CANNOT_PROCESS: an earlier attempt (or another caller)
   * already scheduled the computation, so the rules are being rerun as asked.
   */
  alreadyScheduled: boolean;
}

export interface RevokeResult extends StatusObject {
  details: StatusObject['details'] & { id?: string };
}

export interface ZohoCrmClient {
  /** POST /settings/data_sharing/rules/actions/run?module= : schedule a rerun of the module's sharing rules. */
  rerunDataSharingRules(input: { module: string }, options?: CallOptions): Promise<RerunResult>;
  /** GET /settings/data_sharing/rules/actions/summary?module= : the rule count and whether a computation runs; null when the module has no rules. */
  getDataSharingRulesSummary(input: { module: string }, options?: CallOptions): Promise<SharingRulesSummary | null>;
  /** DELETE /{module}/{recordId}/actions/share : revoke every share of one record. */
  revokeSharedRecord(input: { module: string; recordId: string | bigint }, options?: CallOptions): Promise<RevokeResult>;
}

// Path templates, checked against the generated operation types.
const RERUN_URL: RerunDataSharingRulesData['url'] = '/settings/data_sharing/rules/actions/run';
const SUMMARY_URL: GetDataSharingRulesSummaryData['url'] = '/settings/data_sharing/rules/actions/summary';
const REVOKE_URL: RevokeSharedRecordData['url'] = '/{module_api_name}/{record_id}/actions/share';

interface Call {
  operation: OperationName;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** Safe to repeat after any failure (true for DELETE and GET). The rerun POST is not. */
  idempotent: boolean;
}

export function createZohoCrmClient(options: ClientOptions): ZohoCrmClient {
  if (!options || typeof options !== 'object') throw new TypeError('createZohoCrmClient: expected an options object');
  const endpoints = resolveEndpoints(options);
  const baseUrl = (options.baseUrl ?? endpoints.apiBaseUrl).replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new TypeError(`maxRetries: expected an integer >= 0, got ${maxRetries}`);
  if (!(timeoutMs > 0)) throw new TypeError(`timeoutMs: expected a number > 0, got ${timeoutMs}`);
  const retry = { ...RETRY_DEFAULTS, ...options.retry };
  const onEvent = options.onEvent;
  const extraHeaders = options.headers ?? {};
  const tokens: TokenSource = createTokenSource(options.auth, {
    tokenUrl: options.tokenUrl ?? endpoints.tokenUrl,
    fetch: fetchImpl,
    timeoutMs,
    onRefresh: onEvent && ((ok) => onEvent({ type: 'token-refresh', ok })),
  });

  async function send(call: Call, callOptions: CallOptions = {}): Promise<{ status: number; body: any; retried: boolean }> {
    const { signal } = callOptions;
    const url = baseUrl + call.path;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new AbortError(`${call.operation} aborted`, { cause: signal.reason });
      const token = await tokens.get(signal);
      const deadline = attemptDeadline(timeoutMs, signal);
      const started = performance.now();
      onEvent?.({ type: 'request', operation: call.operation, method: call.method, url, attempt });
      let res: Response;
      let text: string;
      try {
        res = await fetchImpl(url, {
          method: call.method,
          headers: { ...extraHeaders, ...callOptions.headers, accept: 'application/json', authorization: `Zoho-oauthtoken ${token}` },
          signal: deadline.signal,
        });
        text = await res.text();
      } catch (cause) {
        if (signal?.aborted) throw new AbortError(`${call.operation} aborted`, { cause: signal.reason });
        const failure = deadline.timedOut
          ? new TimeoutError(`${call.operation}: no answer within ${timeoutMs} ms`)
          : new ConnectionError(`${call.operation}: could not reach ${new URL(url).origin}`, { cause, refused: isRefused(cause) });
        // A refused connection never reached Zoho; anything else may have been processed.
        const safe = call.idempotent || (failure instanceof ConnectionError && failure.refused);
        if (safe && attempt < maxRetries) {
          await pause(call, attempt, backoffDelayMs(attempt, retry), failure.name, signal);
          continue;
        }
        throw failure;
      } finally {
        deadline.dispose();
      }
      onEvent?.({ type: 'response', operation: call.operation, status: res.status, attempt, durationMs: performance.now() - started });
      const body = parseBody(text);
      const status = statusObjectOf(body);
      const failed = res.status >= 400 || (status !== undefined && status.status === 'error');
      if (!failed) return { status: res.status, body, retried: attempt > 0 };

      if (res.status === 401 && status?.code === 'INVALID_TOKEN' && !refreshed && tokens.invalidate(token)) {
        // One reactive refresh; it does not count as a retry.
        refreshed = true;
        attempt--;
        continue;
      }
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      const error = status
        ? errorFromStatus(call.operation, res.status, status, { body, headers: res.headers, retryAfterMs })
        : nonZohoError(call.operation, res, body);
      const retryable = res.status === 429 || (res.status >= 500 && call.idempotent);
      if (retryable && attempt < maxRetries) {
        const delay = retryAfterMs !== undefined ? Math.min(retryAfterMs, retry.maxRetryAfterMs) : backoffDelayMs(attempt, retry);
        await pause(call, attempt, delay, `${res.status} ${error.code}`, signal);
        continue;
      }
      if (error instanceof SchedulerBusyError && attempt > 0 && call.operation === 'rerunDataSharingRules') {
        return { status: res.status, body, retried: true };
      }
      throw error;
    }
  }

  async function pause(call: Call, attempt: number, delayMs: number, reason: string, signal?: AbortSignal): Promise<void> {
    onEvent?.({ type: 'retry', operation: call.operation, attempt: attempt + 1, delayMs, reason });
    try {
      await sleep(delayMs, signal);
    } catch {
      throw new AbortError(`${call.operation} aborted`, { cause: signal?.reason });
    }
  }

  return {
    async rerunDataSharingRules(input, callOptions) {
      const module = validateModule(input?.module);
      const { body, retried } = await send(
        { operation: 'rerunDataSharingRules', method: 'POST', path: `${RERUN_URL}?module=${encodeURIComponent(module)}`, idempotent: false },
        callOptions,
      );
      const result = statusObjectOf(body)!;
      return { ...result, alreadyScheduled: retried && result.code === 'CANNOT_PROCESS' };
    },

    async getDataSharingRulesSummary(input, callOptions) {
      const module = validateModule(input?.module);
      const { status, body } = await send(
        { operation: 'getDataSharingRulesSummary', method: 'GET', path: `${SUMMARY_URL}?module=${encodeURIComponent(module)}`, idempotent: true },
        callOptions,
      );
      if (status === 204 || body === undefined) return null;
      const list: SharingRulesSummary[] = body.sharing_rules_summary ?? [];
      return list.find((s) => s.module?.api_name === module) ?? list[0] ?? null;
    },

    async revokeSharedRecord(input, callOptions) {
      const module = validateRevocableModule(input?.module);
      const recordId = validateRecordId(input?.recordId);
      const path = REVOKE_URL.replace('{module_api_name}', encodeURIComponent(module)).replace('{record_id}', encodeURIComponent(recordId));
      const { body } = await send({ operation: 'revokeSharedRecord', method: 'DELETE', path, idempotent: true }, callOptions);
      return statusObjectOf(body) as RevokeResult;
    },
  };
}

function parseBody(text: string): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The status object of either envelope: bare, in `share`, or first in `sharing_rules[]`. */
function statusObjectOf(body: any): StatusObject | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const candidate = body.share ?? (Array.isArray(body.sharing_rules) ? body.sharing_rules[0] : body);
  if (candidate && typeof candidate === 'object' && typeof candidate.code === 'string') {
    return { code: candidate.code, details: candidate.details ?? {}, message: candidate.message ?? '', status: candidate.status };
  }
  return undefined;
}

function nonZohoError(operation: OperationName, res: Response, body: unknown): ZohoApiError {
  const init = {
    status: res.status,
    code: `HTTP_${res.status}`,
    message: `${operation}: HTTP ${res.status} without a Zoho status object`,
    details: {},
    body,
    requestId: res.headers.get('x-request-id') ?? undefined,
    headers: res.headers,
  };
  return res.status >= 500 ? new ServerError(init) : new ZohoApiError(init);
}

function isRefused(err: unknown): boolean {
  for (let e: any = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (e.code === 'ECONNREFUSED') return true;
  }
  return false;
}
