// A bulk revoke, as a job with a ledger: lock the journal, read the input once (hashed, validated, its
// unique ids snapshotted beside the journal), check or write the journal's header, then send the ids
// from the snapshot under the adaptive limiter, journalling each outcome before it counts as done.
// The run stops early, leaving the rest for --resume, on Ctrl-C, on an answer about the job (a wrong
// module, scope or token: jobStopFor), on a spent credit budget, on a dead endpoint and on a journal
// it cannot write.
import { existsSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { isZohoCrmError, type ZohoCrmClient } from '@zcrm-sharing/client';
import { CliError, usageError } from './cli-error.js';
import type { ExitName } from './exit-codes.js';
import { EndpointHealth } from './health.js';
import { IdSet } from './id-set.js';
import { InputError, openInput, readSnapshot, scanInput, SnapshotWriter, type ScanResult } from './input.js';
import { jobStopFor } from './job-errors.js';
import { headerDifferences, Journal, JournalError, journalPathProblem, JournalWriteError, type JobHeader, type Outcome } from './journal.js';
import { ConcurrencyLimiter, type LimiterStats } from './limiter.js';
import { acquireLock, LockedError, type Lock } from './lock.js';
import type { Output } from './output.js';

export interface BulkOptions {
  module: string;
  /** The ids file as given; `-` is stdin. */
  idsPath: string;
  journalPath: string;
  resume: boolean;
  dryRun: boolean;
  idColumn?: string | undefined;
  concurrency: { mode: 'auto' | 'pinned'; max: number };
  /** Where the calls go, for the journal's header. */
  api: { origin: string; version: string };
}

export interface BulkDeps {
  /** Undefined in a dry run. */
  client?: ZohoCrmClient | undefined;
  out: Output;
  /** Aborted on the first Ctrl-C: no new call starts, every wait ends; calls in flight may finish. */
  stop: AbortSignal;
  /** Aborted when the grace period ends (or on a second Ctrl-C): calls in flight are cancelled, not journalled. */
  cancel: AbortSignal;
  /** Where the connection reports each `api_domain` a token refresh returns, before the next call goes out. */
  apiDomains?: { listen(fn: (apiDomain: string) => void): void } | undefined;
  now?: () => number;
  /** The limiter's waits (Retry-After, backoff at concurrency 1); rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface BulkSummary {
  module: string;
  dryRun: boolean;
  journal: string;
  /** Lines holding a record (not blank, not comments, not the CSV header) = unique + invalid + duplicates. */
  lines: number;
  invalid: number;
  duplicates: number;
  unique: number;
  /** Done in an earlier run of the job (journalled revoked or not shared). */
  skipped: number;
  revoked: number;
  notShared: number;
  failed: number;
  failedByCode: Record<string, number>;
  /** Not done by this run: not sent, cancelled, or answered with an error about the job; --resume sends them. */
  left: number;
  /** Of `left`: calls that finished after the journal could not be written (sent again by --resume). */
  unjournalled: number;
  elapsedMs: number;
  ratePerSecond: number;
  interrupted: boolean;
  /** Waits (a 429's Retry-After, a backoff) that Ctrl-C cut short. */
  waitsAborted: number;
  concurrency?: LimiterStats | undefined;
  /** Why the run stopped early, when it did. */
  stopped?: { exit: ExitName; message: string; resumeAfter?: string | undefined } | undefined;
  /** A torn last journal line (a crash mid-write) was discarded: its id was sent again. */
  tornLineDiscarded: boolean;
  /** How the run ends. */
  exit: ExitName;
}

/** At most this many 429s for one id before it is journalled as failed (the limiter stops storms sooner). */
const MAX_RATE_LIMITS_PER_ID = 50;
/** Calls of one id without an HTTP answer (each retried by the client) before it is journalled as failed. */
const MAX_NO_ANSWERS_PER_ID = 3;
/** Invalid lines and duplicates listed one by one; the rest are counted. */
const MAX_LISTED = 20;

const realSleep = (ms: number, signal: AbortSignal) => sleepTimer(ms, undefined, { signal });

interface Item {
  id: string;
  rateLimits: number;
  noAnswers: number;
}

export async function bulkRevoke(o: BulkOptions, deps: BulkDeps): Promise<BulkSummary> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const { out } = deps;
  const started = now();
  const s: BulkSummary = {
    module: o.module, dryRun: o.dryRun, journal: o.journalPath, lines: 0, invalid: 0, duplicates: 0, unique: 0, skipped: 0, revoked: 0, notShared: 0,
    failed: 0, failedByCode: {}, left: 0, unjournalled: 0, elapsedMs: 0, ratePerSecond: 0, interrupted: false, waitsAborted: 0, tornLineDiscarded: false, exit: 'OK',
  };
  const label = o.idsPath === '-' ? '<stdin>' : o.idsPath;
  const pathProblem = journalPathProblem(o.journalPath);
  if (pathProblem) throw usageError(pathProblem);
  const exists = existsSync(o.journalPath);
  if (o.resume && !exists) throw usageError(`--resume: there is no journal at ${o.journalPath} (nothing to resume); check --journal, or run without --resume to start the job`);

  let lock: Lock | undefined;
  let journal: Journal | undefined;
  const snapshotPath = `${o.journalPath}.ids`;
  let snapshot: SnapshotWriter | undefined;
  try {
    if (!o.dryRun) {
      try {
        lock = acquireLock(o.journalPath);
      } catch (e) {
        if (e instanceof LockedError) throw new CliError('LOCKED', e.message);
        throw new CliError('IO', `cannot create the lock file ${o.journalPath}.lock (${(e as NodeJS.ErrnoException).code}); pass --journal with a path in a writable directory`);
      }
      if (lock.tookOver) out.info(`took over the lock of pid ${lock.tookOver.pid} (${lock.tookOver.host}, since ${lock.tookOver.started}), which is no longer running`);
      if (!o.resume && existsSync(o.journalPath)) {
        throw usageError(`the journal ${o.journalPath} already exists: it is the ledger of an earlier job. Add --resume to continue that job, or pass another --journal (or remove it) to start a new one`);
      }
    }
    let read: Awaited<ReturnType<typeof Journal.read>> | undefined;
    if (o.resume) {
      try {
        read = await Journal.read(o.journalPath, { readOnly: o.dryRun });
      } catch (e) {
        if (e instanceof JournalError) throw usageError(e.message);
        throw new CliError('IO', `cannot read the journal ${o.journalPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      s.tornLineDiscarded = read.tornLine;
      if (read.tornLine) out.info(`${o.journalPath}: discarded a torn last line (a crash or a full disk mid-write); its id is sent again and answered as already not shared`);
    } else if (o.dryRun && exists) {
      out.info(`note: ${o.journalPath} exists; a real run needs --resume to continue that job`);
    }

    // The one pass over the input.
    const done = read?.done ?? new IdSet();
    let toSkip = 0;
    if (!o.dryRun) {
      try {
        snapshot = new SnapshotWriter(snapshotPath);
      } catch (e) {
        throw new CliError('IO', `cannot write ${snapshotPath} (${(e as NodeJS.ErrnoException).code}); pass --journal with a path in a writable directory`);
      }
    }
    let scan: ScanResult;
    try {
      const listed = { invalid: 0, duplicates: 0 };
      scan = await scanInput(openInput(o.idsPath), {
        label,
        idColumn: o.idColumn,
        onId: (id) => {
          if (done.has(id)) toSkip++;
          snapshot?.write(id);
        },
        onInvalid: (line, message) => {
          if (++listed.invalid <= MAX_LISTED) out.info(`${label}:${line}: ${message}`);
          out.record({ type: 'invalid', file: label, line, error: message });
        },
        onDuplicate: (line, id) => {
          if (++listed.duplicates <= MAX_LISTED) out.info(`${label}:${line}: ${id} is a duplicate of an earlier line; sent once`);
          out.record({ type: 'duplicate', file: label, line, id });
        },
      });
      snapshot?.close();
    } catch (e) {
      if (e instanceof InputError) throw usageError(e.message);
      if ((e as NodeJS.ErrnoException).syscall === 'write') throw new CliError('IO', `cannot write ${snapshotPath} (${(e as NodeJS.ErrnoException).code}): the snapshot of the input's ids; nothing was sent`);
      throw e;
    }
    Object.assign(s, { lines: scan.lines, invalid: scan.invalid, duplicates: scan.duplicates, unique: scan.unique });
    if (scan.invalid > MAX_LISTED) out.info(`${label}: ... and ${scan.invalid - MAX_LISTED} more invalid lines (not sent)`);
    if (scan.duplicates > MAX_LISTED) out.info(`${label}: ... and ${scan.duplicates - MAX_LISTED} more duplicates (each id is sent once)`);
    if (scan.lines === 0) throw usageError(`${label} has no record ids (${scan.size ? 'only blank lines, comments or a header' : 'it is empty'}); nothing to do`);

    const header: JobHeader = { module: o.module, api: o.api, input: { path: o.idsPath === '-' ? '-' : resolve(o.idsPath), size: scan.size, sha256: scan.sha256 } };
    if (read) {
      const differences = headerDifferences(read.header, header);
      if (differences.length) {
        throw usageError(`--resume: the journal ${o.journalPath} is the ledger of another job (started ${read.header.created}):\n  ${differences.join('\n  ')}\nRun without --resume and with another --journal to start a new job`);
      }
      if (toSkip) out.info(`resuming: ${toSkip} of ${scan.unique} ids are done according to ${o.journalPath}`);
    }
    if (o.dryRun || !deps.client) {
      s.skipped = toSkip;
      s.left = scan.unique - toSkip;
      return finish();
    }
    try {
      journal = read ? Journal.append(o.journalPath, read.bytes) : Journal.create(o.journalPath, header);
    } catch (e) {
      if (e instanceof JournalWriteError) throw new CliError('IO', `${e.message}; nothing was sent`);
      throw e;
    }
    await send(deps.client, journal, done, scan.unique - toSkip, read?.header.apiDomain);
    return finish();
  } finally {
    try {
      await journal?.close();
    } catch (e) {
      // The entries were written; only the final sync failed.
      out.info(`warning: ${(e as Error).message}`);
    }
    if (snapshot) {
      try {
        unlinkSync(snapshotPath);
      } catch {}
    }
    lock?.release();
  }

  function finish(): BulkSummary {
    s.elapsedMs = now() - started;
    const finished = s.revoked + s.notShared + s.failed;
    s.ratePerSecond = s.elapsedMs > 0 ? Math.round((finished / s.elapsedMs) * 1000) : 0;
    const counted = s.revoked + s.notShared + s.failed + s.skipped + s.left + s.invalid + s.duplicates;
    if (counted !== s.lines && !s.stopped) {
      s.stopped = { exit: 'ERROR', message: `the counts do not add up: ${counted} ids accounted for, ${s.lines} lines read (a bug: please report it)` };
    }
    // A dry run's `left` is what a real run would send.
    s.exit = s.stopped?.exit ?? (s.interrupted ? 'INTERRUPTED' : s.failed || s.invalid ? 'PARTIAL' : s.left && !s.dryRun ? 'ERROR' : 'OK');
    return s;
  }

  async function send(client: ZohoCrmClient, journal: Journal, done: IdSet, toSend: number, journalApiDomain: string | undefined): Promise<void> {
    const limiter = new ConcurrencyLimiter(o.concurrency.mode, o.concurrency.max);
    s.concurrency = limiter.stats();
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

    const stopWith = (exit: ExitName, message: string, resumeAfterMs?: number) => {
      if (s.stopped) return;
      s.stopped = { exit, message, ...(resumeAfterMs !== undefined ? { resumeAfter: new Date(now() + resumeAfterMs).toISOString() } : {}) };
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
      if (outcome === 'revoked') s.revoked++;
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
            const job = jobStopFor(e, o.module);
            if (job) {
              stopWith(job.exit, job.message);
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
          else if (done.has(n.value)) {
            s.skipped++;
            continue;
          } else {
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
      // What was never pulled from the snapshot: done earlier, or left for --resume.
      for (const id of ids) done.has(id) ? s.skipped++ : notPulled++;
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
  }
}
