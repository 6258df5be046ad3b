// A bulk revoke, as a job with a ledger: lock the journal, read the input once (hashed, validated, its
// unique ids snapshotted beside the journal), check or write the journal's header, then send the ids
// from the snapshot (sender.ts), journalling each outcome before it counts as done.
// The run stops early, leaving the rest for --resume, on Ctrl-C, on an answer about the job (a wrong
// module, scope or token: hints.ts), on a spent credit budget, on a dead endpoint and on a journal
// it cannot write.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import type { ZohoCrmClient } from '@zcrm-sharing/client';
import { CliError, usageError } from '../cli-error.js';
import { revokeCommand, type Changes } from '../command-line.js';
import { isLink, LinkError } from '../files.js';
import { MAX_LISTED } from '../output.js';
import { IdSet } from './id-set.js';
import { InputError, openInput, scanInput, SnapshotWriter, type ScanResult } from './input.js';
import { closeJob, headerDifferences, Journal, JournalError, journalPathProblem, JournalWriteError, type JobHeader } from './journal.js';
import { lockJob, type Lock } from './lock.js';
import { sendAll } from './sender.js';
import type { BulkDeps, BulkOptions, BulkSummary } from './types.js';
import { describePlan, RevokedSample, sampleSize, verified, verifyRevoked, type VerifyPlan } from './verify.js';

const realSleep = (ms: number, signal: AbortSignal) => sleepTimer(ms, undefined, { signal });

export async function bulkRevoke(o: BulkOptions, deps: BulkDeps): Promise<BulkSummary> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const { out } = deps;
  const started = now();
  const s: BulkSummary = {
    module: o.module, dryRun: o.dryRun, journal: o.journalPath, lines: 0, invalid: 0, duplicates: 0, unique: 0, skipped: 0, revoked: 0, notShared: 0,
    failed: 0, failedByCode: {}, outcomes: {}, backedUp: 0, sharedThrough: 0, credits: 0, left: 0, unjournalled: 0, elapsedMs: 0, ratePerSecond: 0, interrupted: false, waitsAborted: 0, tornLineDiscarded: false, exit: 'OK',
  };
  const label = o.idsPath === '-' ? '<stdin>' : o.idsPath;
  // The journal and the files beside it are never written through a link (files.ts); the journal itself is refused at once.
  if (isLink(o.journalPath)) throw new LinkError(o.journalPath);
  const pathProblem = journalPathProblem(o.journalPath);
  if (pathProblem) throw usageError(pathProblem);
  const exists = existsSync(o.journalPath);
  if (o.resume && !exists) throw usageError(`--resume: there is no journal at ${o.journalPath} (nothing to resume); check --journal, or run without --resume to start the job`);

  let lock: Lock | undefined;
  let journal: Journal | undefined;
  const snapshotPath = `${o.journalPath}.ids`;
  let snapshot: SnapshotWriter | undefined;
  // Set when a journal recording nothing done is to be replaced; otherwise the new journal never replaces a file.
  let replacing = false;
  try {
    if (!o.dryRun) {
      lock = lockJob(o.journalPath, (m) => out.info(m));
      if (!o.resume && existsSync(o.journalPath)) {
        const prior = await readQuietly(o.journalPath);
        // A backup is never thrown away: it may be the only record of shares a DELETE that timed out removed.
        if (!prior || prior.successes !== 0 || prior.backups !== 0) {
          throw usageError(
            `the journal ${o.journalPath} already exists: it is the ledger of an earlier job${prior ? ` (${prior.done.size} ids done${prior.backups ? `, the shares of ${prior.backups} records backed up` : ''})` : ''}. ` +
              `To continue that job: ${next({ resume: true })}\nTo start a new job beside it: ${next({ journal: freeJournalPath(o.journalPath) })}`,
          );
        }
        // Nothing in it was revoked, found not shared or backed up: nothing to lose, and the corrected run is what the user means.
        out.info(`replacing the journal ${o.journalPath}: it records no revoke (its job: ${describeJob(prior.header)}), so this run starts the job afresh`);
        replacing = true;
      }
    }
    let read: Awaited<ReturnType<typeof Journal.read>> | undefined;
    if (o.resume) {
      try {
        // Read only: a torn last line is cut away when this run continues the journal (Journal.append), not before (a run refused changes nothing).
        read = await Journal.read(o.journalPath, { readOnly: true });
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
        if (e instanceof LinkError) throw e;
        throw new CliError('IO', `cannot write ${snapshotPath} (${(e as NodeJS.ErrnoException).code}); pass --journal with a path in a writable directory`);
      }
    }
    let scan: ScanResult;
    let input: Readable | undefined;
    // Ctrl-C ends the read too (a pipe whose writer stalls): nothing has been sent yet.
    const stopReading = () => input?.destroy(new CliError('INTERRUPTED', `interrupted while reading ${label}; nothing was sent`));
    deps.stop.addEventListener('abort', stopReading, { once: true });
    try {
      const listed = { invalid: 0, duplicates: 0 };
      input = await openInput(o.idsPath, deps.stop);
      if (deps.stop.aborted) stopReading();
      scan = await scanInput(input, {
        label,
        idColumn: o.idColumn,
        module: o.module,
        // Done earlier: counted, not snapshotted, so the sender reads back only what is left to send.
        onId: (id) => (done.has(id) ? toSkip++ : snapshot?.write(id)),
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
      if (deps.stop.aborted) throw new CliError('INTERRUPTED', `interrupted while reading ${label}; nothing was sent`);
      if (e instanceof InputError) throw usageError(e.message);
      if ((e as NodeJS.ErrnoException).syscall === 'write') throw new CliError('IO', `cannot write ${snapshotPath} (${(e as NodeJS.ErrnoException).code}): the snapshot of the input's ids; nothing was sent`);
      throw e;
    } finally {
      deps.stop.removeEventListener('abort', stopReading);
      if (input !== process.stdin) input?.destroy();
    }
    Object.assign(s, { lines: scan.lines, invalid: scan.invalid, duplicates: scan.duplicates, unique: scan.unique });
    if (scan.invalid > MAX_LISTED) out.info(`${label}: ... and ${scan.invalid - MAX_LISTED} more invalid lines (not sent)`);
    if (scan.duplicates > MAX_LISTED) out.info(`${label}: ... and ${scan.duplicates - MAX_LISTED} more duplicates (each id is sent once)`);
    if (scan.lines === 0) throw usageError(`${label} has no record ids (${scan.size ? 'only blank lines, comments or a header' : 'it is empty'}); nothing to do`);

    const header: JobHeader = { module: o.module, api: o.api, backup: Boolean(o.backup), input: { path: o.idsPath === '-' ? '-' : resolve(o.idsPath), size: scan.size, sha256: scan.sha256 } };
    if (read) {
      const differences = headerDifferences(read.header, header);
      if (differences.length && read.successes === 0 && read.backups === 0) {
        out.info(`replacing the journal ${o.journalPath}: it records no revoke (its job: ${describeJob(read.header)}; now ${differences.join('; ')}), so this run starts the job afresh`);
        read = undefined;
        replacing = true;
      } else if (differences.length) {
        throw usageError(
          `--resume: the journal ${o.journalPath} is the ledger of another job (started ${read.header.created}, ${read.done.size} ids done):\n  ${differences.join('\n  ')}\n` +
            `To start this job with a journal of its own: ${next({ resume: null, journal: freeJournalPath(o.journalPath) })}`,
        );
      }
      if (toSkip) out.info(`resuming: ${toSkip} of ${scan.unique} ids are done according to ${o.journalPath}`);
      if (read && (read.header.backup ?? false) !== Boolean(o.backup)) {
        out.info(o.backup ? `note: the journal's job ran without a backup; from now on each record's shares are journalled before its DELETE` : `note: the journal's job backed up each record's shares; with --no-backup the rest are revoked without a backup (they cannot be restored)`);
      }
    }
    s.skipped = toSkip;
    announceCredits(scan.unique - toSkip);
    if (o.dryRun || !deps.client) {
      s.left = scan.unique - toSkip;
      return finish();
    }
    try {
      journal = read ? Journal.append(o.journalPath, read.bytes) : Journal.create(o.journalPath, header, undefined, { replace: replacing });
    } catch (e) {
      if (e instanceof JournalWriteError) throw new CliError('IO', `${e.message}; nothing was sent`);
      throw e;
    }
    const sample = o.verify && new RevokedSample(o.verify, deps.random);
    const sent = await sendAll(
      { options: o, deps, snapshotPath, started, now, sleep, onRevoked: sample ? (id) => sample.offer(id) : undefined },
      deps.client,
      journal,
      scan.unique - toSkip,
      read?.header.apiDomain,
    );
    Object.assign(s, sent);
    if (o.verify && sample) await verify(o.verify, sample, deps.client);
    return finish();
  } finally {
    await closeJob({ journal, snapshotPath: snapshot && snapshotPath, lock, warn: (m) => out.info(m) });
  }

  /** What the run will cost, before it starts: each call is an API credit (a Free org has 5,000 a day). */
  function announceCredits(records: number): void {
    const perRecord = o.backup ? 2 : 1;
    const why = o.backup ? ' (2 per record: a read for the backup, then the revoke; 1 when the read finds no share)' : ' (1 per record; --no-backup: no backup of the shares, so no restore)';
    out.info(`${o.dryRun ? 'a real run would use' : 'this run uses'} up to ${records * perRecord} API credits${why}; retries cost more, and a Free org has 5,000 a day`);
    out.record({ type: 'plan', records, creditsAtMost: records * perRecord, creditsPerRecord: perRecord, backup: Boolean(o.backup) });
  }

  function next(changes: Changes): string {
    return revokeCommand(o.argv, o, changes);
  }

  async function verify(plan: VerifyPlan, sample: RevokedSample, client: ZohoCrmClient): Promise<void> {
    const described = describePlan(plan);
    if (s.stopped || s.interrupted) {
      s.verify = { sample: described, skipped: s.stopped ? 'the run stopped early' : 'interrupted' };
      return;
    }
    const ids = sample.take(sampleSize(plan, s.revoked));
    if (ids.length) out.info(`verifying: reading back ${ids.length} of the ${s.revoked} records revoked (sample: ${described})`);
    s.verify = await verifyRevoked(ids, s.revoked, plan, { client, module: o.module, auth: o.auth, dc: o.dc, stop: deps.stop, cancel: deps.cancel, sleep });
    s.interrupted = deps.stop.aborted;
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
    const unproven = s.verify && 'sampled' in s.verify && !verified(s.verify);
    s.exit = s.stopped?.exit ?? (s.interrupted ? 'INTERRUPTED' : unproven ? 'STILL_SHARED' : s.failed || s.invalid ? 'PARTIAL' : s.left && !s.dryRun ? 'ERROR' : 'OK');
    return s;
  }
}

/** The journal's header and done ids, or undefined when it cannot be read as a journal. */
async function readQuietly(path: string) {
  try {
    return await Journal.read(path, { readOnly: true });
  } catch {
    return undefined;
  }
}

const describeJob = (h: JobHeader & { created?: string }) => `--module ${h.module}, ${h.api.origin} ${h.api.version}${h.created ? `, started ${h.created}` : ''}`;

/** `j.journal` -> the first of `j-2.journal`, `j-3.journal`... not taken. */
export function freeJournalPath(path: string): string {
  const base = path.replace(/\.journal$/, '');
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}.journal`;
    if (!existsSync(candidate) && !existsSync(`${candidate}.lock`)) return candidate;
  }
}
