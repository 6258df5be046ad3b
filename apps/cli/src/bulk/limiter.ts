// The bulk run's concurrency: how many revokes are in flight, found from Zoho's answers, and the rule
// that tells a concurrency 429 from a spent credit budget. Pure: the runner tells it what happened and
// does the waiting.
//
// Finding the level (auto mode), as TCP finds a window: from AUTO_START it grows by one per success
// (doubling per round: 5, 10, 20, 25 in three rounds, not twenty) until the first 429, or a round at
// `max` without one; that 429 ends the doubling and brings the concurrency back to just under the
// level the call was sent at. The other calls sent above that level in the same round get 429s too:
// they say nothing new, so they do not count towards the streak rule below (they are still remembered
// per level). From then on it grows by one per round of successes up to the ceiling, and probes one
// above a settled ceiling now and then. `--concurrency N` (pinned) starts at N and never doubles.
//
// A halving (the streak rule below) is undone when a call sent after the streak's first 429 succeeds:
// Zoho took a call after refusing that one, so the 429s were a round over the cap, not a cap that
// dropped far or a spent budget (then every later call is refused too). The CLI counts a call in
// flight until it has processed its answer, Zoho until it answered, so after a burst of answers the
// CLI's level runs a few above Zoho's: a round sent over the cap comes back as a burst of 429s with
// no success between them, and the streak rule halved the concurrency to 2 at a cap of 20 (330 ms to
// grow back, one per round). Each call carries its place in the send order, to tell which came after.
//
// Zoho answers both limits with the same 429 TOO_MANY_REQUESTS (documented bodies differ only in
// wording, and no Retry-After is documented), so they are told apart by behaviour:
//   - a 429 whose Retry-After is longer than the longest wait the limiter makes (60 s) means the
//     budget is spent: the server itself says this is not a slot freeing up;
//   - otherwise it is taken as the concurrency cap: the id is sent again (at concurrency 1 after a
//     wait: Retry-After, or 1 s doubling), and the limiter lowers its ceiling to just under the level
//     the call was sent at once 429s are common there (two, and a quarter of its last 16 outcomes):
//     a 429 now and then at a level that works is noise (another app of the org), not a cap;
//   - a 429 that persists at concurrency 1, the call alone in flight, through those bounded retries
//     (BUDGET_AFTER of them in a row) means the budget is spent: no concurrency cap refuses one call.

/** The longest wait after a 429; a Retry-After beyond it means the org's credits are spent. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;
/** 429s in a row with a single call in flight, retried with backoff, before the budget counts as spent. */
export const BUDGET_AFTER = 5;
/** The Free edition's limit, where `--concurrency auto` starts. */
export const AUTO_START = 5;
/** Ultimate's limit, the default `--max-concurrency`. */
export const DEFAULT_MAX_CONCURRENCY = 25;
/** Successes at a settled level before probing one above it; doubled after each probe that failed. */
const PROBE_AFTER = 200;
const PROBE_AFTER_MAX = 12_800;
/** Outcomes remembered per concurrency level (bits of a Uint16: 1 = a 429). */
const HISTORY = 16;
/** 429s in a row, no success between, from which each one halves the concurrency. */
const STREAK_HALVES = 5;
/** The share of 429s among a level's recent outcomes that marks it as over the cap. */
const CAP_SHARE = 0.25;

export type RateLimitVerdict =
  /** Send the id again, not before `waitMs` from now. */
  | { kind: 'retry'; waitMs: number }
  /** Stop the run: the org's API credits are spent. `resumeAfterMs` when the server said when. */
  | { kind: 'budget_spent'; reason: string; resumeAfterMs?: number | undefined };

export interface LimiterStats {
  mode: 'auto' | 'pinned';
  start: number;
  max: number;
  /** The concurrency now. */
  limit: number;
  /** The highest concurrency Zoho accepted without 429 since the last one, as far as the limiter knows. */
  ceiling: number;
  rateLimited: number;
  /** When the limiter first settled under a 429: the concurrency, and the 429s it had taken by then. */
  settled?: { limit: number; after429s: number } | undefined;
  probes: number;
}

export class ConcurrencyLimiter {
  /** How many calls may be in flight now. */
  limit: number;
  /** Where it started: AUTO_START in auto mode (at most `max`), else `max`. */
  readonly start: number;
  private ceiling: number;
  private learned = false;
  /** Doubling per round until the first 429 (auto mode only). */
  private slowStart: boolean;
  /** Set when the first 429 ended the doubling: 429s of calls sent above it are that round's overshoot, until the concurrency next moves. */
  private overshootAbove: number | undefined;
  /** The first halving of the current streak: the concurrency before it, and the send of the streak's first 429. */
  private halved: { from: number; after: number } | undefined;
  private streakFrom = Infinity; // the send of the current streak's first 429
  private successes = 0; // at this level since the last change
  private sinceProbe = 0;
  private probeAfter = PROBE_AFTER;
  private probing = false;
  private alone429s = 0; // 429s in a row with one call in flight
  private streak429 = 0; // 429s since the last success
  private rateLimited = 0;
  private probes = 0;
  private settled: LimiterStats['settled'];
  private readonly history: Uint16Array;
  private readonly outcomes: Uint8Array;

  constructor(
    readonly mode: 'auto' | 'pinned',
    /** The most it ever runs: --max-concurrency in auto mode, N with --concurrency N. */
    readonly max: number,
  ) {
    this.start = mode === 'auto' ? Math.min(AUTO_START, max) : max;
    this.limit = this.start;
    this.slowStart = mode === 'auto';
    this.ceiling = max;
    this.history = new Uint16Array(max + 1);
    this.outcomes = new Uint8Array(max + 1);
  }

  private note(level: number, rateLimited: boolean): void {
    const l = Math.max(0, Math.min(level, this.max));
    this.history[l] = ((this.history[l]! << 1) | (rateLimited ? 1 : 0)) & 0xffff;
    if (this.outcomes[l]! < HISTORY) this.outcomes[l]!++;
  }

  /** Whether 429s are common at `level`: two at least, and a quarter of its last outcomes. */
  private overCap(level: number): boolean {
    const l = Math.max(0, Math.min(level, this.max));
    const n = this.outcomes[l]!;
    let bits = this.history[l]! & ((1 << n) - 1);
    let count = 0;
    for (; bits; bits &= bits - 1) count++;
    return count >= 2 && count >= CAP_SHARE * n;
  }

  /**
   * A success for a call sent while `inFlightAtSend` calls (itself included) were in flight.
   * `sent`: its place in the send order (1, 2, ...; unknown: it undoes no halving).
   */
  succeeded(inFlightAtSend = this.limit, sent = -Infinity): void {
    this.note(inFlightAtSend, false);
    this.alone429s = 0;
    this.streak429 = 0;
    if (this.halved && sent > this.halved.after) {
      // Sent after a 429 of the streak that halved it, and taken: that streak was a round over the cap.
      this.limit = Math.max(this.limit, Math.min(this.halved.from, this.ceiling));
      this.halved = undefined;
    }
    if (this.probing && ++this.successes >= this.limit) {
      // A full round one above the old ceiling without a 429: that level works.
      this.probing = false;
      this.ceiling = this.limit;
      this.probeAfter = PROBE_AFTER;
    }
    if (this.probing) return;
    if (this.slowStart) {
      // One more per success: the concurrency doubles each round, until a 429 or a round at the
      // ceiling without one (nothing more to find: a later 429 is the rules' below to judge).
      if (this.limit < this.ceiling) this.limit++;
      else if (++this.successes >= this.limit) {
        this.slowStart = false;
        this.successes = 0;
      }
    } else if (this.limit < this.ceiling) {
      // Grow by one per round of successes (a round: as many calls as are in flight).
      if (++this.successes >= this.limit) {
        this.limit++;
        this.successes = 0;
        this.overshootAbove = undefined;
      }
    } else if (this.learned && this.limit < this.max && ++this.sinceProbe >= this.probeAfter) {
      this.probing = true;
      this.probes++;
      this.sinceProbe = 0;
      this.successes = 0;
      this.limit++;
    }
  }

  /**
   * A 429 for a call sent while `inFlightAtSend` calls (itself included) were in flight.
   * `retryAfterMs`: the server's Retry-After, if it sent one. `sent`: its place in the send order
   * (unknown: no success undoes a halving it takes part in).
   */
  rateLimitedAt(inFlightAtSend: number, retryAfterMs: number | undefined, sent = Infinity): RateLimitVerdict {
    this.rateLimited++;
    this.note(inFlightAtSend, true);
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RATE_LIMIT_WAIT_MS) {
      return { kind: 'budget_spent', reason: `Zoho answered 429 with Retry-After ${Math.round(retryAfterMs / 1000)} s, longer than a concurrency slot takes to free`, resumeAfterMs: retryAfterMs };
    }
    if (inFlightAtSend <= 1) {
      if (++this.alone429s >= BUDGET_AFTER) {
        return { kind: 'budget_spent', reason: `Zoho answered 429 ${this.alone429s} times in a row to a call sent alone (concurrency 1), after waiting between them`, resumeAfterMs: retryAfterMs };
      }
    } else this.alone429s = 0;
    const overshoot = this.overshootAbove !== undefined && inFlightAtSend > this.overshootAbove;
    if (this.slowStart) {
      // The first 429: the doubling overshot (or another app's 429 came first); just under where it came.
      this.slowStart = false;
      this.successes = 0;
      this.limit = Math.max(1, Math.min(this.limit, inFlightAtSend - 1));
      this.overshootAbove = this.limit;
    }
    if (this.probing && inFlightAtSend > this.ceiling) {
      // The probe found the old ceiling was right: back to it, probe half as often.
      this.probing = false;
      this.probeAfter = Math.min(this.probeAfter * 2, PROBE_AFTER_MAX);
      this.successes = 0;
      this.limit = Math.min(this.limit, this.ceiling);
    } else if (this.overCap(inFlightAtSend)) {
      const ceiling = Math.max(1, Math.min(this.ceiling, inFlightAtSend - 1));
      // A new, lower ceiling: the level just left worked until now (or the 429s there were another
      // app's, now and then), so it is probed again soon; the backoff was for the old ceiling's probes.
      if (ceiling < this.ceiling) this.probeAfter = PROBE_AFTER;
      this.ceiling = ceiling;
      this.successes = 0;
      this.sinceProbe = 0;
      if (!this.learned) {
        this.learned = true;
        this.settled = { limit: this.ceiling, after429s: this.rateLimited };
      }
      this.limit = Math.min(this.limit, this.ceiling);
    }
    // 429s in a row with no success between them, at whatever levels: the cap dropped far (another
    // app took it), or the budget is spent. Halve at each one from the fifth, rather than wait for
    // every level to show it (under load the calls in flight spread over many levels).
    // (Not the doubling's overshoot: the limiter already came down for it.)
    if (!overshoot) {
      this.streakFrom = ++this.streak429 === 1 ? sent : Math.min(this.streakFrom, sent);
      if (this.streak429 >= STREAK_HALVES) {
        // The streak's first halving is remembered, for a success to undo (with the halvings after it).
        if (this.streak429 === STREAK_HALVES) this.halved = { from: this.limit, after: this.streakFrom };
        this.limit = Math.max(1, Math.floor(this.limit / 2));
      }
    }
    if (this.limit !== this.overshootAbove) this.overshootAbove = undefined;
    // Only a call sent alone waits before its retry: above that, a slot frees when any call ends.
    const waitMs = inFlightAtSend <= 1 ? (retryAfterMs ?? 1000 * 2 ** (this.alone429s - 1)) : (retryAfterMs ?? 0);
    return { kind: 'retry', waitMs };
  }

  stats(): LimiterStats {
    return {
      mode: this.mode,
      start: this.start,
      max: this.max,
      limit: this.limit,
      ceiling: this.ceiling,
      rateLimited: this.rateLimited,
      settled: this.settled,
      probes: this.probes,
    };
  }
}
