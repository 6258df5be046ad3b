// The adaptive limiter, on virtual time: against a simulated Zoho with a concurrency cap it finds the
// cap by itself, from the Free edition's 5 up to --max-concurrency, doubling per round until the first
// 429, with few 429s; and the rule that tells a concurrency 429 from a spent credit budget.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { AUTO_START, BUDGET_AFTER, ConcurrencyLimiter, DEFAULT_MAX_CONCURRENCY, MAX_RATE_LIMIT_WAIT_MS } from '../src/bulk/limiter.ts';

interface Server {
  /** Calls in flight it serves; beyond them 429 (after 1 ms). */
  cap: number;
  /** The cap becomes `cap` once `after` calls were served (another app of the org, an edition change). */
  then?: { after: number; cap: number };
  latency?: number;
  /** Share of calls answered 429 whatever the load (seeded). */
  noise?: number;
  /** Calls it serves before its credits are spent: every later call is a 429. */
  credits?: number;
  /** Answers later by (calls in flight at send) % spread ms, so answers do not come in lockstep. */
  spread?: number;
  /**
   * The CLI's time (ms) to process one answer: answers that come together wait their turn, and Zoho
   * counts a call out when it answers, the CLI once it has processed the answer, so after a burst the
   * CLI's count runs ahead of Zoho's.
   */
  cost?: number;
}

/**
 * A discrete-event run of `calls` revokes against a simulated server, on virtual time. Ends when
 * every call succeeded or the limiter says the budget is spent.
 */
function simulate(limiter: ConcurrencyLimiter, server: Server | number, calls: number, latency = 20, noise = 0) {
  const { cap: firstCap, then, credits = Infinity, spread = 1, cost = 0, ...o } = typeof server === 'number' ? { cap: server, latency, noise } : server;
  const ms = o.latency ?? latency;
  let seed = 42;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  let now = 0;
  let pausedUntil = 0;
  let serverInFlight = 0;
  let served = 0;
  let inFlight = 0;
  let toSend = calls;
  let done = 0;
  let maxInFlight = 0;
  let sends = 0;
  let maxLimit = limiter.limit;
  let rateLimited = 0;
  let budgetSpent = false;
  /** When as many calls as the first cap allows (at most the limiter's max) were first in flight. */
  let fullAt: number | undefined;
  const full = Math.min(firstCap, limiter.max);
  const events: { at: number; ok: boolean; atSend: number; sent: number }[] = [];
  while (done < calls && !budgetSpent) {
    while (inFlight < limiter.limit && toSend > 0 && now >= pausedUntil) {
      toSend--;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (inFlight >= full) fullAt ??= now;
      const cap = then && served >= then.after ? then.cap : firstCap;
      // With a processing cost, Zoho holds the calls it has not answered yet, whatever the CLI has processed.
      if (cost) serverInFlight = events.filter((x) => x.ok && x.at > now).length;
      const ok = served < credits && serverInFlight < cap && !(o.noise && rand() < o.noise);
      if (ok) (serverInFlight++, served++);
      events.push({ at: now + (ok ? ms : 1) + (inFlight % spread), ok, atSend: inFlight, sent: ++sends });
    }
    events.sort((a, b) => a.at - b.at);
    const e = events.shift();
    if (!e) {
      now = pausedUntil;
      continue;
    }
    now = Math.max(now, e.at) + cost;
    inFlight--;
    if (e.ok) {
      serverInFlight--;
      done++;
      limiter.succeeded(e.atSend, e.sent);
    } else {
      rateLimited++;
      const v = limiter.rateLimitedAt(e.atSend, undefined, e.sent);
      if (v.kind === 'budget_spent') budgetSpent = true;
      else pausedUntil = Math.max(pausedUntil, now + v.waitMs);
      toSend++;
    }
    maxLimit = Math.max(maxLimit, limiter.limit);
  }
  return { ms: now, maxInFlight, maxLimit, fullAt, rateLimited, budgetSpent, stats: limiter.stats(), rate: (calls / now) * 1000, ceilingRate: (firstCap / ms) * 1000 };
}

describe('--concurrency auto', () => {
  it.each([[5], [10], [15], [20], [25]])('finds a cap of %i: settles there after one round of overshoot at most, >= 0.97 of the ceiling over 20,000 calls, 429s under 0.5%', (cap) => {
    const r = simulate(new ConcurrencyLimiter('auto', DEFAULT_MAX_CONCURRENCY), cap, 20_000);
    expect(r.stats.limit).toBe(cap);
    if (cap < DEFAULT_MAX_CONCURRENCY) {
      expect(r.stats.settled?.limit).toBe(cap);
      // The doubling's last round: the calls it sent above the cap (at most as many as the cap, or as
      // --max-concurrency leaves above it), and the one that settles it.
      expect(r.stats.settled?.after429s).toBeLessThanOrEqual(Math.min(cap, DEFAULT_MAX_CONCURRENCY - cap) + 1);
    } else expect(r.stats.rateLimited).toBe(0); // Ultimate's 25 is the default maximum: never over it
    expect(r.maxInFlight).toBeLessThanOrEqual(2 * cap);
    expect(r.rate / r.ceilingRate).toBeGreaterThanOrEqual(0.97);
    expect(r.stats.rateLimited).toBeLessThan(20_000 * 0.005);
  });

  it.each([[10], [15], [20], [25]])('reaches a cap of %i in as many rounds as it takes to double from 5 there (20 for 25 when it grew one per round)', (cap) => {
    const r = simulate(new ConcurrencyLimiter('auto', DEFAULT_MAX_CONCURRENCY), cap, 2_000);
    const rounds = Math.ceil(Math.log2(cap / AUTO_START)); // 1 for 10, 2 for 15 and 20, 3 for 25
    // A round is one latency (20 ms) and the 1 ms a 429 takes.
    expect(r.fullAt).toBeLessThanOrEqual(rounds * 21);
  });

  it('starts at the Free edition\'s 5 and grows one per success (doubling per round) up to --max-concurrency, no further', () => {
    const limiter = new ConcurrencyLimiter('auto', 12);
    expect(limiter.limit).toBe(AUTO_START);
    const seen = [limiter.limit];
    for (let i = 0; i < 1000; i++) {
      limiter.succeeded();
      seen.push(limiter.limit);
    }
    // 10 after the first round of 5 successes, 12 (the max) two successes later, then held.
    expect(seen.slice(0, 9)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 12]);
    expect(Math.max(...seen)).toBe(12);
    expect(new ConcurrencyLimiter('auto', 3).limit).toBe(3);
  });

  it("the doubling's first 429 brings it back under the level the call was sent at; the rest of that round's 429s (above it) do not halve it; a streak under it still does", () => {
    const limiter = new ConcurrencyLimiter('auto', 25);
    for (let i = 0; i < 5; i++) limiter.succeeded(i + 1);
    expect(limiter.limit).toBe(10);
    // The round's calls sent at 8, 9 and 10 come back 429, five 429s in a row with no success between.
    for (const level of [8, 9, 10, 9, 10]) expect(limiter.rateLimitedAt(level, undefined)).toEqual({ kind: 'retry', waitMs: 0 });
    // Back under 8, not halved; 9 and 10 had two 429s each: over the cap.
    expect(limiter.stats()).toMatchObject({ limit: 7, ceiling: 8 });
    // No more doubling: one per round from here.
    for (let i = 0; i < 6; i++) limiter.succeeded(7);
    expect(limiter.limit).toBe(7);
    limiter.succeeded(7);
    expect(limiter.limit).toBe(8);
    // 429s at the level it runs at now, five in a row: the cap dropped far, halve.
    for (let i = 0; i < 5; i++) limiter.rateLimitedAt(8, undefined);
    expect(limiter.limit).toBeLessThanOrEqual(4);
  });

  it.each([[5], [10], [15], [20], [25]])("a cap of %i, with the CLI processing answers one at a time (its count runs ahead of Zoho's after a burst): found and held, >= 0.975 of the ceiling", (cap) => {
    // 0.2 ms per answer; a burst of 20 answers keeps the last waiting 4 ms. The rounds after the
    // doubling's come back as bursts of 429s with no success between them.
    const r = simulate(new ConcurrencyLimiter('auto', DEFAULT_MAX_CONCURRENCY), { cap, cost: 0.2 }, 5_000);
    expect(r.stats.limit).toBe(cap);
    expect(r.rate / r.ceilingRate).toBeGreaterThanOrEqual(0.975);
    expect(r.stats.rateLimited).toBeLessThan(5_000 * 0.01);
  });

  it('a halving is undone when a call sent after the first 429 of its streak succeeds', () => {
    // The trace of a bench run at a cap of 20 (bench/run.mjs): settled at 24 (the CLI's count held 4
    // answers it had not processed), the next round came back as a burst of 429s at 24 and 23, and the
    // streak rule halved to 2; growing back one per round took 330 ms.
    const limiter = new ConcurrencyLimiter('auto', 25);
    let sent = 0;
    for (let i = 0; i < 20; i++) limiter.succeeded(limiter.limit, ++sent);
    limiter.rateLimitedAt(25, undefined, ++sent);
    expect(limiter.limit).toBe(24);
    for (let i = 0; i < 20; i++) limiter.succeeded(24, ++sent);
    const round = sent;
    // Calls round+1 to round+9 sent at 24 and 23; the even ones are refused, in a burst.
    for (const [n, level] of [[2, 24], [4, 24], [6, 24], [8, 23], [9, 23]] as const) limiter.rateLimitedAt(level, undefined, round + n);
    expect(limiter.limit).toBeLessThanOrEqual(12);
    // A call sent before the streak's first 429 succeeding says nothing about it.
    limiter.succeeded(24, round + 1);
    expect(limiter.limit).toBeLessThanOrEqual(12);
    // One sent after it taken: back to where it was, under the ceiling the 429s at 23 brought down.
    limiter.succeeded(24, round + 3);
    expect(limiter.stats()).toMatchObject({ limit: 22, ceiling: 22 });
  });

  it('a halving stays when no call sent after its streak began succeeds (spent credits: Zoho refuses every later call)', () => {
    const limiter = new ConcurrencyLimiter('auto', 25);
    let sent = 0;
    for (let i = 0; i < 1000; i++) limiter.succeeded(limiter.limit, ++sent);
    const last = sent;
    // The budget runs out: the calls sent from here are refused; 10 sent before it come back later, taken.
    for (let i = 0; i < 5; i++) limiter.rateLimitedAt(25, undefined, ++sent);
    const halved = limiter.limit;
    expect(halved).toBeLessThanOrEqual(12);
    for (let i = 0; i < 10; i++) limiter.succeeded(25, last - i);
    expect(limiter.limit).toBe(halved);
  });

  it('a cap found is held: after settling, the only 429s are one per probe above it', () => {
    const r = simulate(new ConcurrencyLimiter('auto', DEFAULT_MAX_CONCURRENCY), 12, 20_000);
    expect(r.stats).toMatchObject({ limit: 12, ceiling: 12, settled: { limit: 12 } });
    expect(r.stats.rateLimited - r.stats.settled!.after429s).toBe(r.stats.probes);
  });

  it('probes gently above a settled level, and follows a cap that rises (an edition upgrade)', () => {
    const limiter = new ConcurrencyLimiter('auto', 25);
    const first = simulate(limiter, 10, 20_000);
    // Probes back off (doubling intervals): a handful over 20,000 calls, each costing one 429.
    expect(first.stats.probes).toBeGreaterThan(0);
    expect(first.stats.probes).toBeLessThanOrEqual(8);
    expect(first.stats.rateLimited).toBe(first.stats.probes + first.stats.settled!.after429s);
    const upgraded = simulate(limiter, 15, 40_000);
    expect(upgraded.stats.limit).toBe(15);
  });

  it('429s now and then at a level that works (3% of calls, e.g. another app of the org) are not taken for a lower cap', () => {
    const r = simulate(new ConcurrencyLimiter('auto', DEFAULT_MAX_CONCURRENCY), 20, 20_000, 20, 0.03);
    expect(r.stats.ceiling).toBeGreaterThanOrEqual(18);
    expect(r.rate / r.ceilingRate).toBeGreaterThanOrEqual(0.85);
  });

  it('a cap that drops mid-run (another app takes part of it) is followed down', () => {
    const limiter = new ConcurrencyLimiter('auto', DEFAULT_MAX_CONCURRENCY);
    simulate(limiter, 20, 10_000);
    const after = simulate(limiter, 12, 10_000);
    expect(after.stats.ceiling).toBeLessThanOrEqual(12);
    expect(after.rate / after.ceilingRate).toBeGreaterThanOrEqual(0.9);
  });

  it('a 429 now and then at a level that worked changes nothing; common there, the ceiling drops under it; a streak with no success halves; never below 1', () => {
    const limiter = new ConcurrencyLimiter('auto', 25);
    for (let i = 0; i < 1000; i++) limiter.succeeded(limiter.limit);
    expect(limiter.limit).toBe(25);
    for (let i = 0; i < 3; i++) limiter.rateLimitedAt(25, undefined); // 3 of its last 16 outcomes: noise
    expect(limiter.stats()).toMatchObject({ limit: 25, ceiling: 25 });
    limiter.rateLimitedAt(25, undefined); // a quarter: over the cap
    expect(limiter.stats()).toMatchObject({ limit: 24, ceiling: 24 });
    limiter.rateLimitedAt(24, undefined); // the fifth in a row, no success between: halve
    expect(limiter.limit).toBe(12);
    for (let i = 0; i < 10; i++) limiter.rateLimitedAt(2, undefined);
    expect(limiter.limit).toBe(1);
  });
});

describe('against any cap, changing or not (generated)', () => {
  const runs = fc.record({
    mode: fc.constantFrom('auto' as const, 'pinned' as const),
    max: fc.integer({ min: 1, max: 40 }),
    cap: fc.integer({ min: 1, max: 40 }),
    /** The cap it changes to, and after how many calls served (0: from the start). */
    then: fc.record({ cap: fc.integer({ min: 1, max: 40 }), after: fc.integer({ min: 0, max: 3_000 }) }),
    spread: fc.integer({ min: 1, max: 4 }),
    latency: fc.integer({ min: 5, max: 40 }),
  });

  test.prop([runs], { numRuns: 100 })(
    'never above max, never a concurrency cap taken for spent credits, within one of the cap in the end; the doubling never above twice the cap it meets',
    ({ mode, max, cap, then, spread, latency }) => {
      const limiter = new ConcurrencyLimiter(mode, max);
      // Enough calls after the change for the probes to climb to a raised cap (their backoff included).
      const r = simulate(limiter, { cap, then, spread, latency }, then.after + 20_000);
      expect(r.maxLimit).toBeLessThanOrEqual(max);
      expect(r.maxInFlight).toBeLessThanOrEqual(max);
      expect(r.budgetSpent).toBe(false);
      const target = Math.min(then.cap, max);
      expect(Math.abs(r.stats.limit - target), JSON.stringify(r.stats)).toBeLessThanOrEqual(1);
      expect(r.stats.ceiling).toBeGreaterThanOrEqual(target);
      if (mode === 'auto' && then.after > 0) {
        // Before the cap changed: started at 5 (or max), doubled at most once past the cap it met.
        const first = simulate(new ConcurrencyLimiter(mode, max), { cap, spread, latency }, Math.min(then.after, 500));
        expect(first.maxInFlight).toBeLessThanOrEqual(Math.max(limiter.start, Math.min(max, 2 * cap)));
      }
    },
  );
});

describe('--concurrency N', () => {
  it('pins it: starts at N, never above, and comes back to N after 429s', () => {
    const limiter = new ConcurrencyLimiter('pinned', 10);
    expect(limiter.limit).toBe(10);
    const r = simulate(limiter, 10, 20_000);
    expect([r.maxInFlight, r.stats.rateLimited]).toEqual([10, 0]);
    const lowered = simulate(new ConcurrencyLimiter('pinned', 10), 8, 20_000);
    expect(lowered.maxInFlight).toBe(10);
    expect(lowered.stats.limit).toBe(8);
  });
});

describe('concurrency 429 or spent credits', () => {
  it.each([[5], [12], [25]])('credits running out at concurrency %i: the budget verdict after a bounded number of 429s (waits at concurrency 1 included)', (max) => {
    const r = simulate(new ConcurrencyLimiter('auto', max), { cap: 1000, credits: 2000, spread: 3 }, 5000);
    expect(r.budgetSpent).toBe(true);
    // The calls in flight, their re-sends until a streak halves the concurrency, five alone. (Once the
    // credits are spent a 429 costs none.)
    expect(r.rateLimited).toBeLessThanOrEqual(2 * max + BUDGET_AFTER + 5);
  });

  it('a 429 with a Retry-After beyond the longest wait means the budget is spent, and says when to resume', () => {
    const limiter = new ConcurrencyLimiter('auto', 25);
    expect(limiter.rateLimitedAt(3, MAX_RATE_LIMIT_WAIT_MS)).toEqual({ kind: 'retry', waitMs: MAX_RATE_LIMIT_WAIT_MS });
    expect(limiter.rateLimitedAt(3, 3_600_000)).toMatchObject({ kind: 'budget_spent', resumeAfterMs: 3_600_000 });
  });

  it(`${BUDGET_AFTER} 429s in a row to a call sent alone, with growing waits between them, mean the budget is spent`, () => {
    const limiter = new ConcurrencyLimiter('auto', 25);
    const waits: number[] = [];
    for (let i = 1; i < BUDGET_AFTER; i++) {
      const v = limiter.rateLimitedAt(1, undefined);
      expect(v.kind).toBe('retry');
      waits.push((v as { waitMs: number }).waitMs);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(limiter.rateLimitedAt(1, undefined)).toMatchObject({ kind: 'budget_spent', resumeAfterMs: undefined });
  });

  it('a success in between starts the count again; 429s with more than one call in flight are the concurrency cap, whatever their number', () => {
    const limiter = new ConcurrencyLimiter('auto', 25);
    for (let i = 1; i < BUDGET_AFTER; i++) limiter.rateLimitedAt(1, 0);
    limiter.succeeded();
    for (let i = 1; i < BUDGET_AFTER; i++) expect(limiter.rateLimitedAt(1, 0).kind).toBe('retry');
    const busy = new ConcurrencyLimiter('auto', 25);
    for (let i = 0; i < 1000; i++) expect(busy.rateLimitedAt(2 + (i % 3), undefined)).toEqual({ kind: 'retry', waitMs: 0 });
  });
});
