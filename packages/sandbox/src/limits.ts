// The org's limits, as Zoho counts them: API credits per rolling 24 hours and calls in flight, both
// per org (every token of the org together, so two apps sharing an org share its budget).
import type { Caller } from './auth.js';
import type { SandboxConfig } from './config.js';
import { fail, type Reply } from './reply.js';
import type { SpecOperation } from './spec.js';
import type { SandboxState } from './state.js';

const DAY_MS = 86_400_000;

/** Admits a call (returns the function that ends it) or answers 429 TOO_MANY_REQUESTS. */
export function admit(op: SpecOperation, caller: Caller, state: SandboxState, config: SandboxConfig, now: number): (() => void) | Reply {
  const org = state.org(caller.org);
  const { stats } = state;
  const tooMany = (name: string) => {
    stats.rateLimited++;
    return fail(op, name, config.retryAfterSeconds !== undefined ? { 'retry-after': String(config.retryAfterSeconds) } : {});
  };
  if (config.dailyCredits !== undefined) {
    if (now - org.credits.start > DAY_MS) org.credits = { start: now, used: 0 };
    if (org.credits.used >= config.dailyCredits) return tooMany('TOO_MANY_REQUESTS_CREDITS');
  }
  if (config.concurrencyLimit !== undefined && org.inFlight >= config.concurrencyLimit) return tooMany('TOO_MANY_REQUESTS');

  const byToken = (state.inFlightByToken.get(caller.token) ?? 0) + 1;
  state.inFlightByToken.set(caller.token, byToken);
  org.inFlight++;
  stats.inFlight++;
  stats.maxInFlightPerOrg = Math.max(stats.maxInFlightPerOrg, org.inFlight);
  stats.maxInFlightPerToken = Math.max(stats.maxInFlightPerToken, byToken);
  org.credits.used++;
  stats.creditsUsed++;
  if (config.dailyCredits !== undefined) state.onChange(); // the credit window survives a restart
  let released = false;
  return () => {
    if (released) return;
    released = true;
    org.inFlight--;
    stats.inFlight--;
    const left = (state.inFlightByToken.get(caller.token) ?? 1) - 1;
    if (left > 0) state.inFlightByToken.set(caller.token, left);
    else state.inFlightByToken.delete(caller.token);
  };
}
