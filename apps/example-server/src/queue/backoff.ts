// How long a transient failure waits before its job is tried again, and when to give up. Each
// attempt costs Zoho API credits (one call, plus the client's own retries), hence both bounds.
export interface RetryPolicy {
  /** The first wait; each later one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A job is not tried again once this long has passed since its delivery. */
  windowMs: number;
  /** ...nor after this many attempts. */
  maxAttempts: number;
}

/**
 * The wait after `attempts` attempts: min(max, base x 2^(attempts-1)), with "equal jitter" (half
 * fixed, half random) so that many jobs failing together do not come back together.
 */
export function retryDelay(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** When to try again, or undefined: the attempts or the window are spent. */
export function nextAttemptAt(policy: RetryPolicy, job: { attempts: number; receivedAt: number }, now: number, random?: () => number): number | undefined {
  if (job.attempts >= policy.maxAttempts) return undefined;
  const at = now + retryDelay(policy, job.attempts, random);
  return at - job.receivedAt > policy.windowMs ? undefined : at;
}
