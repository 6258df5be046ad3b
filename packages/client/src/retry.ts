import { AbortError, TimeoutError, type OperationName, type ZohoCrmError } from './errors.js';

export interface RetryOptions {
  /** First backoff ceiling; doubles each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 8 s. */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured, here and in `RateLimitError.retryAfterMs`; longer values are capped. Default 60 s. */
  maxRetryAfterMs?: number;
  /**
   * Whether to retry after `error` (`attempt` retries made so far; never called once `maxRetries` is
   * reached). `context.byDefault` is the built-in rule: 429 and refused connections always; 5xx,
   * timeouts and other connection errors only for the idempotent calls (revoke, summary).
   * `context.delayMs` is the wait before that retry (Retry-After, capped, or the backoff).
   */
  shouldRetry?: (error: ZohoCrmError, attempt: number, context: { operation: OperationName; byDefault: boolean; delayMs: number }) => boolean;
}

export const RETRY_DEFAULTS = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/** setTimeout fires at once for anything above this (a signed 32-bit count of ms: 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^attempt)). */
export function backoffDelayMs(attempt: number, options: typeof RETRY_DEFAULTS, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` as milliseconds, at most `capMs`: delta-seconds, or an HTTP date (RFC 9110: the
 * IMF-fixdate and the two obsolete forms, all starting with a day name). Undefined when absent or
 * unreadable. Huge values are capped, never overflowed.
 */
export function parseRetryAfter(value: string | null, capMs: number, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Math.ceil(parseFloat(text) * 1000); // Infinity for absurd lengths: capped below
  else if (/^[A-Za-z]{3}/.test(text) && text.length <= 64) ms = Date.parse(text) - now;
  else return undefined;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(0, ms), capMs);
}

/**
 * Resolves after `ms`, or, given a `promise`, with it unless `ms` passes first (TimeoutError). Rejects
 * with AbortError when `signal` aborts first; a promise's work goes on, only this wait ends. `ms` is
 * clamped to what a timer can hold.
 */
export function wait<T = void>(ms: number, signal?: AbortSignal, what = 'wait', promise?: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => settle(() => reject(new AbortError(`${what} aborted`, { cause: signal!.reason })));
    if (signal?.aborted) return onAbort();
    timer = setTimeout(
      () => settle(promise ? () => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)) : (resolve as () => void)),
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    promise?.then(
      (v) => settle(() => resolve(v)),
      (e: unknown) => settle(() => reject(e)),
    );
  });
}

/**
 * A per-attempt deadline linked to the caller's signal. Unlike `AbortSignal.timeout` + `AbortSignal.any`,
 * it is released as soon as the attempt ends (`dispose`), so a long run of calls does not keep every
 * finished request alive until its timer would have fired (measured: 322 MiB peak over 20,000 calls).
 * `abort()` drops the request (and its connection) early, e.g. when a body grows past its cap.
 */
export function attemptDeadline(
  timeoutMs: number,
  signal?: AbortSignal,
): { signal: AbortSignal; readonly timedOut: boolean; abort(): void; dispose(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, Math.min(timeoutMs, MAX_TIMER_MS));
  const onAbort = () => controller.abort(signal!.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    abort: () => controller.abort(new DOMException('response refused', 'AbortError')),
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
