// Sending a bulk job's ids from its snapshot: as many in flight as the limiter allows, each outcome
// journalled before it counts as done, 429s left to the limiter, calls without an answer to the
// dead-endpoint rule, answers about the job to the hints (hints.ts). Anything that stops the run (Ctrl-C, a
// stop) lets the calls in flight finish and leaves the rest for --resume, counted.
import { backupAndRevoke, isZohoCrmError, NothingToRevokeError, type OperationName, type ZohoCrmClient } from '@zcrm-sharing/client';
import type { ExitName } from '../exit-codes.js';
import { hintFor } from '../hints.js';
import { EndpointHealth } from './health.js';
import { readSnapshot } from './input.js';
import { JournalWriteError, type Journal, type JournalEntry } from './journal.js';
import { ConcurrencyLimiter } from './limiter.js';
import type { BulkDeps, BulkOptions, SendResult } from './types.js';

/** Revoke one id; with `backup`, its shares read and journalled first (two calls; one when the read finds none). */
export function revokeWork(client: ZohoCrmClient, o: SendOptions, onBackup: (b: { through: number }) => void): Work {
  // Ids backed up by this run whose DELETE has not been answered yet (a 429, a timeout): sent again
  // without reading again, so a retry costs one call, not two. Small: at most the ids being retried.
  const backedUp = new Set<string>();
  return {
    operation: 'revokeSharedRecord',
    names: ['revoked', 'not shared'],
    async perform(id, signal, journal) {
      if (!o.backup || backedUp.has(id)) {
        try {
          await client.revokeSharedRecord({ module: o.module, recordId: id }, { signal });
        } catch (e) {
          if (!(e instanceof NothingToRevokeError)) throw e;
          backedUp.delete(id);
          return { outcome: 'not_shared', done: true };
        }
        backedUp.delete(id);
        return { outcome: 'revoked', done: true };
      }
      let phase: OperationName = 'getSharedRecordDetails';
      const r = await backupAndRevoke(client, { module: o.module, recordId: id }, {
        signal,
        onBackup: (b) => {
          phase = 'revokeSharedRecord';
          if (!b.shares.length && !b.sharedThrough.length) return;
          // Written before the DELETE is sent; one that cannot be written stops the run (JournalWriteError) and no DELETE goes out.
          journal.recordBackup({ id, backup: { read_at: b.readAt, shares: b.shares, ...(b.sharedThrough.length && { shared_through: b.sharedThrough }) } });
          onBackup({ through: b.sharedThrough.length });
          backedUp.add(id);
        },
      }).catch((e: unknown) => {
        if (typeof e === 'object' && e !== null) failedOperation.set(e, phase);
        throw e;
      });
      backedUp.delete(id);
      return { outcome: r.outcome, done: true };
    },
  };
}

/** At most this many 429s for one id before it is journalled as failed (the limiter stops storms sooner). */
const MAX_RATE_LIMITS_PER_ID = 50;
/** Calls of one id without an HTTP answer (each retried by the client) before it is journalled as failed. */
const MAX_NO_ANSWERS_PER_ID = 3;

export interface SendContext {
  options: SendOptions;
  deps: BulkDeps;
  snapshotPath: string;
  started: number;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Each id journalled as revoked (the --verify sample draws from them). */
  onRevoked?: ((id: string) => void) | undefined;
  /** What is done for one id (default: revoke it, backed up when `options.backup`). */
  work?: Work | undefined;
}

/** The operation whose call failed, when a Work makes more than one kind (a read, then a DELETE): the hints name its scopes. */
export const failedOperation = new WeakMap<object, OperationName>();

/** Where the sender writes: a journal (or, for a read-only --plan, nothing). */
export type Ledger = Pick<Journal, 'record' | 'recordApiDomain' | 'recordBackup'>;

/** The options the sender reads (a bulk revoke's, or a restore's). */
export type SendOptions = Pick<BulkOptions, 'module' | 'journalPath' | 'concurrency' | 'auth' | 'dc'> & { backup?: boolean };

/** What a finished id is journalled as: the outcome, and what else its line carries. */
export interface Finished {
  outcome: string;
  code?: string | undefined;
  /** Extra fields of its journal line (a restore's entries). */
  line?: Record<string, unknown> | undefined;
  /** Done, or to be sent again by a later run (`failed`, a partial restore). */
  done: boolean;
}

/** One id's calls: resolves with what to journal, or throws the client's error (handled as for a revoke). */
export interface Work {
  operation: OperationName;
  /** The progress line's names for the first two outcomes. */
  names: readonly [outcome: string, outcome: string];
  perform(id: string, signal: AbortSignal, journal: Ledger): Promise<Finished>;
}

interface Item {
  id: string;
  rateLimits: number;
  noAnswers: number;
}

export async function sendAll(ctx: SendContext, client: ZohoCrmClient, journal: Ledger, toSend: number, journalApiDomain: string | undefined): Promise<SendResult> {
  const { options: o, deps, snapshotPath, started, now, sleep } = ctx;
  const s: SendResult = {
    revoked: 0, notShared: 0, failed: 0, failedByCode: {}, outcomes: {}, backedUp: 0, sharedThrough: 0, credits: 0, left: 0, unjournalled: 0, interrupted: false, waitsAborted: 0, concurrency: undefined, stopped: undefined,
  };
  const { out } = deps;
  const limiter = new ConcurrencyLimiter(o.concurrency.mode, o.concurrency.max);
  const work = ctx.work ?? revokeWork(client, o, ({ through }) => {
    s.backedUp++;
    if (through) s.sharedThrough++;
  });
  const [first, second] = work.names;
  const secondKey = second.replace(/ /g, '_');
  const credits = () => deps.credits?.() ?? 0;
  const creditsAtStart = credits();
  const hint = { operation: work.operation, module: o.module, auth: o.auth ?? 'refresh-token', dc: o.dc };
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
  let sends = 0; // each call's place in the send order, for the limiter
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
      done: finished,
      total: toSend,
      revoked: s.outcomes[first] ?? 0,
      notShared: s.outcomes[secondKey] ?? 0,
      failed: s.failed,
      credits: credits() - creditsAtStart,
      names: work.names,
      concurrency: limiter.limit,
      elapsedMs: now() - started,
    });

  /** Ids journalled (the sum of s.outcomes, kept as it grows: progress reads it after each one). */
  let finished = 0;
  /** Journals the outcome (before it counts as done); a journal that cannot be written stops the run. */
  const record = (id: string, outcome: string, serverCode?: string, line?: Record<string, unknown>, done = outcome !== 'failed') => {
    const code = serverCode && out.redact(serverCode);
    if (!journalBroken) {
      try {
        journal.record({ id, outcome, ...(code && { code }), ...line } as JournalEntry);
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
    out.record({ type: 'result', id, outcome, ...(code ? { code } : {}), ...line });
    s.outcomes[outcome] = (s.outcomes[outcome] ?? 0) + 1;
    finished++;
    if (outcome === 'revoked') {
      s.revoked++;
      ctx.onRevoked?.(id);
    } else if (outcome === 'not_shared') s.notShared++;
    if (!done) {
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

  const revokeOne = async (item: Item, inFlightAtSend: number, sent: number) => {
    try {
      // The client checked that Zoho answered SUCCESS for this very id: nothing else is "revoked" (or "restored").
      const r = await work.perform(item.id, callSignal, journal);
      health.answered();
      limiter.succeeded(inFlightAtSend, sent);
      return record(item.id, r.outcome, r.code, r.line, r.done);
    } catch (e) {
      if (e instanceof JournalWriteError) {
        journalBroken = true;
        stopWith('IO', `${e.message}; that record's DELETE was not sent`);
        return leave();
      }
      if (!isZohoCrmError(e)) {
        stopWith('ERROR', `internal error (${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? e})`);
        return leave();
      }
      switch (e.kind) {
        case 'nothing_to_revoke':
          health.answered();
          limiter.succeeded(inFlightAtSend, sent);
          return record(item.id, 'not_shared');
        case 'abort':
          return leave(); // cancelled: not journalled, so --resume sends it again
        case 'rate_limit': {
          health.answered();
          if (++item.rateLimits > MAX_RATE_LIMITS_PER_ID) return record(item.id, 'failed', e.code);
          const verdict = limiter.rateLimitedAt(inFlightAtSend, e.retryAfterMs, sent);
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
          const job = hintFor(e, { ...hint, operation: failedOperation.get(e) ?? hint.operation });
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
      void revokeOne(item, atSend, ++sends).finally(() => {
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
  s.credits = credits() - creditsAtStart;
  s.concurrency = limiter.stats();
  s.left = leftCounted + retry.length + notPulled;
  const journalled = Object.values(s.outcomes).reduce((a, b) => a + b, 0);
  if (journalled + leftCounted + retry.length !== pulled && !s.stopped) {
    s.stopped = { exit: 'ERROR', message: `the counts do not add up: ${pulled} ids sent, ${journalled + leftCounted + retry.length} accounted for (a bug: please report it)` };
  }
  return s;
}
