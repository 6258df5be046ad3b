import type { OperationName, ZohoCrmError } from './errors.js';

/** How failed calls are retried (the `retry` option); the number of retries is `maxRetries`. */
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
   * timeouts and other connection errors only for the idempotent calls (revoke, the summary, a record's shares).
   * `context.delayMs` is the wait before that retry (Retry-After, capped, or the backoff).
   */
  shouldRetry?: (error: ZohoCrmError, attempt: number, context: { operation: OperationName; byDefault: boolean; delayMs: number }) => boolean;
}

export const RETRY_DEFAULTS = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

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
