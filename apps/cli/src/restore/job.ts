// `share restore --journal J`: lock J (no revoke or other restore of that job runs meanwhile), read its
// backups, read or create the restore journal beside it (J.restore), snapshot the records left to
// restore, and send them through the bulk sender, each outcome journalled before it counts as done.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import type { RecordBackup } from '@zcrm-sharing/client';
import { CliError, usageError } from '../cli-error.js';
import { isLink, LinkError } from '../files.js';
import { IdSet } from '../bulk/id-set.js';
import { InputError, openInput, scanInput, SnapshotWriter } from '../bulk/input.js';
import { closeJob, Journal, JournalError, journalPathProblem, JournalWriteError } from '../bulk/journal.js';
import { lockJob, type Lock } from '../bulk/lock.js';
import { sendAll } from '../bulk/sender.js';
import type { BulkDeps, SendResult } from '../bulk/types.js';
import type { ExitName } from '../exit-codes.js';
import type { AuthKind } from '../hints.js';
import { readBackups } from './backups.js';
import { readRestoreLedger, RESTORE_FORMAT, RESTORE_VERSION, type ReadRestoreLedger, type RestoreHeader } from './ledger.js';
import { RestoredSample, verifyRestored, type RestoreVerify } from './verify.js';
import { restoreWork, type RestoreFindings } from './work.js';
import { planShareCalls } from '@zcrm-sharing/client';

export interface RestoreOptions {
  journalPath: string;
  idsPath?: string | undefined;
  merge: boolean;
  dryRun: boolean;
  /** Read back a sample of the records restored. */
  verify?: boolean | undefined;
  concurrency: { mode: 'auto' | 'pinned'; max: number };
  api: { origin: string; version: string };
  auth?: AuthKind | undefined;
  dc?: string | undefined;
}

export interface RestoreSummary {
  module: string;
  journal: string;
  restoreJournal: string;
  dryRun: boolean;
  /** Records with a backup in J (after --ids-file). */
  records: number;
  /** Ids of --ids-file without a backup in J. */
  withoutBackup: number;
  /** Done in an earlier run of this restore. */
  skipped: number;
  restored: number;
  alreadyPresent: number;
  reshared: number;
  nothingToRestore: number;
  /** Records not fully restored this run (partial or failed): the next run tries them again. */
  failed: number;
  failedByCode: Record<string, number>;
  entriesApplied: number;
  /** Planned calls (dry run: what a real run would make at most). */
  creditsAtMost: number;
  credits: number;
  left: number;
  findings: RestoreFindings;
  elapsedMs: number;
  interrupted: boolean;
  stopped?: SendResult['stopped'];
  verify?: RestoreVerify | undefined;
  exit: ExitName;
}

const realSleep = (ms: number, signal: AbortSignal) => sleepTimer(ms, undefined, { signal });

export async function bulkRestore(o: RestoreOptions, deps: BulkDeps): Promise<RestoreSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { out } = deps;
  const ledgerPath = `${o.journalPath}.restore`;
  const sample = new RestoredSample(deps.random);
  const findings: RestoreFindings = { reshared: [], refused: [], notSent: [], sharedThrough: 0, entriesApplied: 0, onRestored: (id) => sample.offer(id) };
  const s: RestoreSummary = {
    module: '', journal: o.journalPath, restoreJournal: ledgerPath, dryRun: o.dryRun, records: 0, withoutBackup: 0, skipped: 0, restored: 0, alreadyPresent: 0, reshared: 0, nothingToRestore: 0,
    failed: 0, failedByCode: {}, entriesApplied: 0, creditsAtMost: 0, credits: 0, left: 0, findings, elapsedMs: 0, interrupted: false, exit: 'OK',
  };
  for (const p of [o.journalPath, ledgerPath]) if (isLink(p)) throw new LinkError(p);
  const problem = journalPathProblem(o.journalPath);
  if (problem) throw usageError(problem);
  if (!existsSync(o.journalPath)) throw usageError(`--journal ${o.journalPath}: no such file; pass the journal of the share revoke to undo`);
  let lock: Lock | undefined;
  let ledger: Journal | undefined;
  const snapshotPath = `${ledgerPath}.ids`;
  let snapshot: SnapshotWriter | undefined;
  try {
    if (!o.dryRun) {
      // J's lock: a revoke of the same job (or another restore of it) cannot run meanwhile.
      lock = lockJob(o.journalPath, (m) => out.info(m));
    }
    let backups: Awaited<ReturnType<typeof readBackups>>;
    let prior: ReadRestoreLedger | undefined;
    try {
      backups = await readBackups(o.journalPath);
      if (existsSync(ledgerPath)) prior = await readRestoreLedger(ledgerPath, { readOnly: o.dryRun });
    } catch (e) {
      if (e instanceof JournalError) throw usageError(e.message);
      throw new CliError('IO', `cannot read ${o.journalPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const { header } = backups;
    s.module = header.module;
    if (header.api.origin !== o.api.origin || header.api.version !== o.api.version) {
      throw usageError(`${o.journalPath} is the journal of a revoke through ${header.api.origin} ${header.api.version}; this run goes to ${o.api.origin} ${o.api.version}: pass the same --dc, --environment or --base-url as the revoke`);
    }
    if (header.version === 1 || header.backup === false) {
      out.info(`note: ${o.journalPath} was written ${header.version === 1 ? 'before backups existed (journal version 1)' : 'with --no-backup'}: it holds ${backups.records.size ? 'backups of some records only' : 'no backup, so there is nothing to restore'}`);
    }
    if (prior) {
      if (prior.header.module !== header.module || prior.header.api.origin !== header.api.origin) {
        throw usageError(`${ledgerPath} is the restore journal of another job (--module ${prior.header.module}, ${prior.header.api.origin}); move it away`);
      }
      const done = prior.done.size;
      if (done || prior.started.size) out.info(`continuing the restore recorded in ${ledgerPath}: ${done} records done${prior.tornLine ? '; a torn last line discarded' : ''}`);
    }

    // Which records: every backed-up one, or those of --ids-file.
    let chosen: RecordBackup[] = [...backups.records.values()];
    if (o.idsPath !== undefined) {
      const wanted = new IdSet();
      const label = o.idsPath === '-' ? '<stdin>' : o.idsPath;
      try {
        const input = await openInput(o.idsPath, deps.stop);
        const scan = await scanInput(input, { label, module: header.module, onId: (id) => wanted.add(id), onInvalid: (line, message) => out.info(`${label}:${line}: ${message}`), onDuplicate: () => {} });
        if (input !== process.stdin) input.destroy();
        if (scan.invalid) throw usageError(`${label}: ${scan.invalid} invalid lines; nothing was sent`);
      } catch (e) {
        if (e instanceof InputError) throw usageError(e.message);
        throw e;
      }
      chosen = chosen.filter((b) => wanted.has(b.recordId));
      s.withoutBackup = wanted.size - chosen.length;
      if (s.withoutBackup) out.info(`${s.withoutBackup} ids of ${label} have no backup in ${o.journalPath} (revoked with --no-backup, not revoked, or not in that job): not restored`);
    }
    s.records = chosen.length;
    const done = prior?.done ?? new IdSet();
    // Left alone earlier as shared again: --merge now adds what they lack.
    if (o.merge && prior) for (const id of prior.reshared) done.delete(id);
    const startedIds = prior?.started ?? new IdSet();
    const todo = chosen.filter((b) => !done.has(b.recordId));
    s.skipped = chosen.length - todo.length;
    // A read per record, then its POSTs (a record already whole or shared again costs the read only).
    s.creditsAtMost = todo.reduce((n, b) => n + (b.shares.length ? 1 + planShareCalls(b.shares).calls.length : 0), 0);
    const entries = todo.reduce((n, b) => n + b.shares.length, 0);
    out.info(`${o.dryRun ? 'a real run would restore' : 'restoring'} ${todo.length} records (${entries} shares) from ${o.journalPath}${s.skipped ? `, ${s.skipped} done earlier` : ''}: up to ${s.creditsAtMost} API credits (a read, then a share call per 20 entries)`);
    out.record({ type: 'plan', records: todo.length, shares: entries, creditsAtMost: s.creditsAtMost });
    if (o.dryRun || !deps.client) {
      s.left = todo.length;
      return finish();
    }

    try {
      snapshot = new SnapshotWriter(snapshotPath);
      for (const b of todo) snapshot.write(b.recordId);
      snapshot.close();
    } catch (e) {
      if (e instanceof LinkError) throw e;
      throw new CliError('IO', `cannot write ${snapshotPath} (${(e as NodeJS.ErrnoException).code}); nothing was sent`);
    }
    try {
      const restoreHeader: RestoreHeader = { module: header.module, api: header.api, source: { path: resolve(o.journalPath) } };
      ledger = prior ? Journal.append(ledgerPath, prior.bytes) : Journal.create(ledgerPath, restoreHeader, { journal: RESTORE_FORMAT, version: RESTORE_VERSION });
    } catch (e) {
      if (e instanceof JournalWriteError) throw new CliError('IO', `${e.message}; nothing was sent`);
      throw e;
    }
    const toRestore = new Map(todo.map((b) => [b.recordId, b]));
    const sent = await sendAll(
      {
        options: { module: header.module, journalPath: ledgerPath, concurrency: o.concurrency, auth: o.auth, dc: o.dc },
        deps,
        snapshotPath,
        started,
        now,
        sleep: deps.sleep ?? realSleep,
        work: restoreWork(deps.client, toRestore, startedIds, o.merge, findings),
      },
      deps.client,
      ledger,
      todo.length,
      header.apiDomain,
    );
    Object.assign(s, {
      restored: sent.outcomes.restored ?? 0,
      alreadyPresent: sent.outcomes.already_present ?? 0,
      reshared: sent.outcomes.reshared ?? 0,
      nothingToRestore: sent.outcomes.nothing_to_restore ?? 0,
      failed: sent.failed,
      failedByCode: sent.failedByCode,
      credits: sent.credits,
      left: sent.left,
      interrupted: sent.interrupted,
      stopped: sent.stopped,
    });
    if (o.verify && !s.stopped && !s.interrupted) s.verify = await verifyRestored(deps.client, sample.take(), toRestore, deps.stop);
    return finish();
  } finally {
    await closeJob({ journal: ledger, snapshotPath: snapshot && snapshotPath, lock, warn: (m) => out.info(m) });
  }

  function finish(): RestoreSummary {
    s.elapsedMs = now() - started;
    s.entriesApplied = findings.entriesApplied;
    const counted = s.restored + s.alreadyPresent + s.reshared + s.nothingToRestore + s.failed + s.left + s.skipped;
    if (!o.dryRun && counted !== s.records && !s.stopped) s.stopped = { exit: 'ERROR', message: `the counts do not add up: ${counted} records accounted for, ${s.records} to restore (a bug: please report it)` };
    const unproven = s.verify && (s.verify.missing.length || s.verify.unreadable.length);
    s.exit = s.stopped?.exit ?? (s.interrupted ? 'INTERRUPTED' : unproven ? 'STILL_SHARED' : s.failed || s.reshared ? 'PARTIAL' : s.left && !o.dryRun ? 'ERROR' : 'OK');
    return s;
  }
}
