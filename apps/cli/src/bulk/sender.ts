// Sending a bulk job's ids from its snapshot: as many in flight as the limiter allows, each outcome
// journalled before it counts as done, 429s left to the limiter, calls without an answer to the
// dead-endpoint rule, answers about the job to the hints (hints.ts). Anything that stops the run (Ctrl-C, a
// stop) lets the calls in flight finish and leaves the rest for --resume, counted.
import { isZohoCrmError, type ZohoCrmClient } from '@zcrm-sharing/client';
import type { ExitName } from '../exit-codes.js';
import { hintFor } from '../hints.js';
import { EndpointHealth } from './health.js';
import { readSnapshot } from './input.js';
import type { Journal, Outcome } from './journal.js';
import { ConcurrencyLimiter } from './limiter.js';
import type { BulkDeps, BulkOptions, SendResult } from './types.js';

/** At most this many 429s for one id before it is journalled as failed (the limiter stops storms sooner). */
const MAX_RATE_LIMITS_PER_ID = 50;
/** Calls of one id without an HTTP answer (each retried by the client) before it is journalled as failed. */
const MAX_NO_ANSWERS_PER_ID = 3;

export interface SendContext {
  options: BulkOptions;
  deps: BulkDeps;
  snapshotPath: string;
  started: number;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Each id journalled as revoked (the --verify sample draws from them). */
  onRevoked?: ((id: string) => void) | undefined;
}

interface Item {
  id: string;
  rateLimits: number;
  noAnswers: number;
}

export async function sendAll(ctx: SendContext, client: ZohoCrmClient, journal: Journal, toSend: number, journalApiDomain: string | undefined): Promise<SendResult> {
  const { options: o, deps, snapshotPath, started, now, sleep } = ctx;
  const s: SendResult = { revoked: 0, notShared: 0, failed: 0, failedByCode: {}, left: 0, unjournalled: 0, interrupted: false, waitsAborted: 0, concurrency: undefined, stopped: undefined };
  const { out } = deps;
  const limiter = new ConcurrencyLimiter(o.concurrency.mode, o.concurrency.max);
  const hint = { operation: 'revokeSharedRecord' as const, module: o.module, auth: o.auth ?? 'refresh-token', dc: o.dc };
  const health = new EndpointHealth(now);
  // `halt` ends the loop (Ctrl-C or a stop); `abortCalls` cancels calls not yet sent (a wrong api_domain).
  const halt = new AbortController();
  const abortCalls = new AbortController();
  const callSignal = AbortSignal.any([deps.cancel, abortCalls.signal]);
  const onStop = () => halt.abort();
  deps.stop.addEventListener('abort', onStop, { once: true });
  if (deps.stop.aborted) halt.abort();

  const retry: Item[] = [];
  let inFlight = 0;
  let pulled = 0;
  let leftCounted = 0;
  let pausedUntil = 0;
  let journalBroken = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  halt.signal.addEventListener('abort', notify);
  const nextEvent = () => new Promise<void>((r) => (wake = r));

  const stopWith = (exit: ExitName, message: string, resumeAfterMs?: number, fix?: Record<string, string>) => {
    if (s.stopped) return;
    s.stopped = { exit, message, ...(resumeAfterMs !== undefined ? { resumeAfter: new Date(now() + resumeAfterMs).toISOString() } : {}), ...(fix ? { fix } : {}) };
    halt.abort();
  };

  let knownApiDomain = journalApiDomain;
  deps.apiDomains?.listen((apiDomain) => {
    if (knownApiDomain === apiDomain) return;
    if (knownApiDomain !== undefined) {
      abortCalls.abort(); // the calls waiting for this token have not been sent yet: none goes out
      stopWith(
        'USAGE',
        journalApiDomain
          ? `--resume: the journal ${o.journalPath} is the ledger of a job in another org: its token reported api_domain ${journalApiDomain}, this one ${apiDomain}`
          : `the token's api_domain changed during the run, from ${knownApiDomain} to ${apiDomain}`,
      );
      return;
    }
    knownApiDomain = apiDomain;
    try {
      journal.recordApiDomain(apiDomain);
    } catch (e) {
      abortCalls.abort();
      journalBroken = true;
      stopWith('IO', `${(e as Error).message}; nothing was sent`);
    }
  });

  const progress = () =>
    out.progress({
      done: s.revoked + s.notShared + s.failed,
      total: toSend,
      revoked: s.revoked,
      notShared: s.notShared,
      failed: s.failed,
      concurrency: limiter.limit,
      elapsedMs: now() - started,
    });

  /** Journals the outcome (before it counts as done); a journal that cannot be written stops the run. */
  const record = (id: string, outcome: Outcome, serverCode?: string) => {
    const code = serverCode && out.redact(serverCode);
    if (!journalBroken) {
      try {
        journal.record(code ? { id, outcome, code } : { id, outcome });
      } catch (e) {
        journalBroken = true;
        stopWith('IO', (e as Error).message);
      }
    }
    if (journalBroken) {
      // Done in Zoho, perhaps, but not in the ledger: --resume sends it again.
      s.unjournalled++;
      return leave();
    }
    out.record({ type: 'result', id, outcome, ...(code ? { code } : {}) });
    if (outcome === 'revoked') {
      s.revoked++;
      ctx.onRevoked?.(id);
    }
    else if (outcome === 'not_shared') s.notShared++;
    else {
      s.failed++;
      s.failedByCode[code || 'UNKNOWN'] = (s.failedByCode[code || 'UNKNOWN'] ?? 0) + 1;
    }
    progress();
  };
  const leave = () => {
    leftCounted++;
  };
  const requeue = (item: Item) => {
    if (s.stopped || deps.stop.aborted) return leave();
    retry.push(item);
  };

  const revokeOne = async (item: Item, inFlightAtSend: number) => {
    try {
      // The client checked that Zoho answered SUCCESS for this very id: nothing else is "revoked".
      await client.revokeSharedRecord({ module: o.module, recordId: item.id }, { signal: callSignal });
      health.answered();
      limiter.succeeded(inFlightAtSend);
      return record(item.id, 'revoked');
    } catch (e) {
      if (!isZohoCrmError(e)) {
        stopWith('ERROR', `internal error (${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? e})`);
        return leave();
      }
      switch (e.kind) {
        case 'nothing_to_revoke':
          health.answered();
          limiter.succeeded(inFlightAtSend);
          return record(item.id, 'not_shared');
        case 'abort':
          return leave(); // cancelled: not journalled, so --resume sends it again
        case 'rate_limit': {
          health.answered();
          if (++item.rateLimits > MAX_RATE_LIMITS_PER_ID) return record(item.id, 'failed', e.code);
          const verdict = limiter.rateLimitedAt(inFlightAtSend, e.retryAfterMs);
          if (verdict.kind === 'budget_spent') {
            stopWith('CREDITS', `${verdict.reason}: the org's API credits for the rolling 24 hours look spent (or other apps of the org hold all of its concurrency)`, verdict.resumeAfterMs);
            return leave();
          }
          pausedUntil = Math.max(pausedUntil, now() + verdict.waitMs);
          return requeue(item);
        }
        case 'connection':
        case 'timeout':
          if (health.noAnswer()) {
            stopWith('UNREACHABLE', `Zoho is unreachable: ${health.describe()}; last: ${e.message}`);
            return leave();
          }
          // Journalled as failed only once Zoho has answered in this run: until then it may all be down.
          if (++item.noAnswers < MAX_NO_ANSWERS_PER_ID || !health.hasAnswered()) return requeue(item);
          return record(item.id, 'failed', e.kind === 'timeout' ? 'TIMEOUT' : 'CONNECTION');
        default: {
          health.answered();
          // An answer about the request, not the record: every other id would get the same one.
          const job = hintFor(e, hint);
          if (job) {
            stopWith(job.exit, job.message, undefined, job.fix);
            return leave();
          }
          return record(item.id, 'failed', 'code' in e ? e.code : e.kind);
        }
      }
    }
  };

  const ids = readSnapshot(snapshotPath);
  let exhausted = false;
  let notPulled = 0;
  try {
    for (;;) {
      if (halt.signal.aborted) break;
      if (inFlight >= limiter.limit) {
        await nextEvent();
        continue;
      }
      const pause = pausedUntil - now();
      if (pause > 0) {
        await sleep(pause, halt.signal).catch(() => {
          if (deps.stop.aborted) s.waitsAborted++;
        });
        continue;
      }
      let item = retry.shift();
      if (!item && !exhausted) {
        const n = ids.next();
        if (n.done) exhausted = true;
        else {
          pulled++;
          item = { id: n.value, rateLimits: 0, noAnswers: 0 };
        }
      }
      if (!item) {
        if (inFlight === 0) break;
        await nextEvent();
        continue;
      }
      inFlight++;
      const atSend = inFlight;
      void revokeOne(item, atSend).finally(() => {
        inFlight--;
        notify();
      });
    }
    while (inFlight > 0) await nextEvent();
    // What was never pulled from the snapshot (it holds only ids not done earlier): left for --resume.
    for (const _ of ids) notPulled++;
  } finally {
    deps.stop.removeEventListener('abort', onStop);
    out.done();
  }
  s.interrupted = deps.stop.aborted;
  s.concurrency = limiter.stats();
  s.left = leftCounted + retry.length + notPulled;
  const finished = s.revoked + s.notShared + s.failed;
  if (finished + leftCounted + retry.length !== pulled && !s.stopped) {
    s.stopped = { exit: 'ERROR', message: `the counts do not add up: ${pulled} ids sent, ${finished + leftCounted + retry.length} accounted for (a bug: please report it)` };
  }
  return s;
}
