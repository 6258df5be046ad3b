// `share revoke --id`, backed up: the record's shares read and journalled before its DELETE, in a
// journal of the bulk run's format (header, backup line, outcome line: bulk/journal.ts), written by
// the bulk run's own work (bulk/sender.ts `revokeWork`), so `share restore --journal FILE` reads it
// as it reads a bulk job's. The journal is a new file: an existing one is refused, never replaced
// (it may hold the only copy of another revoke's shares), and never written through a link.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isZohoCrmError, type OperationName, type ZohoCrmClient } from '@zcrm-sharing/client';
import { CliError, usageError } from '../cli-error.js';
import { revokeCommand } from '../command-line.js';
import type { Connection } from '../connection.js';
import { freeJournalPath } from '../bulk/job.js';
import { Journal, journalPathProblem, JournalWriteError, type BackupLine, type JobHeader } from '../bulk/journal.js';
import { lockJob } from '../bulk/lock.js';
import { failedOperation, revokeWork, type Ledger } from '../bulk/sender.js';
import { isLink, LinkError } from '../files.js';
import type { Output } from '../output.js';

/** A backed-up revoke costs a read, then the DELETE (one call when the read finds no share). */
export const CREDITS_WITH_BACKUP = 2;

/** The journal of `--id` without `--journal`: in the current directory, named after the record. */
export const defaultJournalOf = (module: string, id: string) => resolve(`${module}-${id}.revoke.journal`);

export interface OneRecord {
  module: string;
  id: string;
  journalPath: string;
  /** The command line as typed: the refusal of an existing journal writes the command that works from it. */
  argv: readonly string[];
}

/**
 * Where the journal goes must be free: a link is refused (exit IO, as the bulk run refuses one), a
 * directory or device is a usage error, an existing file is a usage error naming it and the commands
 * that work. Checked before anything is sent, and again under the lock.
 */
export function checkNewJournal(r: OneRecord): void {
  if (isLink(r.journalPath)) throw new LinkError(r.journalPath);
  const problem = journalPathProblem(r.journalPath);
  if (problem) throw usageError(problem);
  if (!existsSync(r.journalPath)) return;
  const other = revokeCommand(r.argv, { module: r.module, idsPath: '-', journalPath: r.journalPath }, { journal: freeJournalPath(r.journalPath) });
  throw usageError(
    `the journal ${r.journalPath} already exists (it may hold the backup of an earlier revoke: zcrm-sharing share restore --journal ${r.journalPath} puts that back); ` +
      `it is never overwritten.\nTo revoke with a journal of its own: ${other}\nOr remove ${r.journalPath} and run the same command again.`,
  );
}

/** The journal's header: a job of one id, as a bulk job whose input is that id's line (a --resume of it with such a file is the same job). */
function headerOf(r: OneRecord, api: Connection['api']): JobHeader {
  const line = `${r.id}\n`;
  return { module: r.module, api, backup: true, input: { path: `--id ${r.id}`, size: Buffer.byteLength(line), sha256: createHash('sha256').update(line).digest('hex') } };
}

export interface BackedUpResult {
  outcome: 'revoked' | 'not_shared';
  journal: string;
  /** What the read found (none when it proved the record shared with no one). */
  backup: BackupLine['backup'] | undefined;
}

/**
 * Reads, journals, revokes. The journal is created once the read has answered (a read refused leaves
 * no file behind to block the corrected run), under its lock; the backup line is written before the
 * DELETE is sent, and a journal that cannot be written stops it (nothing revoked).
 */
export async function backedUpRevoke(client: ZohoCrmClient, conn: Connection, r: OneRecord, out: Output, signal: AbortSignal, what: { operation: OperationName }): Promise<BackedUpResult> {
  const lock = lockJob(r.journalPath, (m) => out.info(m));
  let journal: Journal | undefined;
  let apiDomain: string | undefined;
  let backup: BackupLine['backup'] | undefined;
  // The org a refreshed token reported: the restore refuses a token of another org (as for a bulk job).
  conn.apiDomains.listen((d) => {
    if (apiDomain !== undefined) return;
    apiDomain = d;
    journal?.recordApiDomain(d);
  });
  const open = (): Journal => {
    if (journal) return journal;
    checkNewJournal(r); // again, under the lock: nothing may have appeared there since the first check
    try {
      journal = Journal.create(r.journalPath, headerOf(r, conn.api));
    } catch (e) {
      if (e instanceof JournalWriteError) throw new CliError('IO', `${e.message}; nothing was revoked`);
      throw e;
    }
    if (apiDomain) journal.recordApiDomain(apiDomain);
    return journal;
  };
  const ledger: Ledger = {
    record: (entry) => open().record(entry),
    recordApiDomain: (d) => open().recordApiDomain(d),
    recordBackup: (line) => {
      open().recordBackup(line);
      backup = line.backup;
    },
  };
  try {
    let outcome: BackedUpResult['outcome'];
    try {
      const done = await revokeWork(client, { module: r.module, journalPath: r.journalPath, concurrency: { mode: 'pinned', max: 1 }, backup: true }, () => {}).perform(r.id, signal, ledger);
      outcome = done.outcome as BackedUpResult['outcome'];
    } catch (e) {
      what.operation = (typeof e === 'object' && e !== null && failedOperation.get(e)) || what.operation;
      if (e instanceof JournalWriteError) throw new CliError('IO', `${e.message}; the DELETE was not sent, nothing was revoked`);
      if (journal) {
        // The backup is written and the DELETE failed, or was cut short: it may have been applied all the same.
        if (isZohoCrmError(e) && e.kind !== 'abort') {
          try {
            journal.record({ id: r.id, outcome: 'failed', code: out.redact('code' in e && typeof e.code === 'string' ? e.code : e.kind) });
          } catch {} // the error to report is the revoke's
        }
        out.info(`the shares read before the revoke are in ${r.journalPath}; if the revoke took effect all the same, undo it with: zcrm-sharing share restore --journal ${r.journalPath}`);
      }
      throw e;
    }
    ledger.record({ id: r.id, outcome });
    return { outcome, journal: r.journalPath, backup };
  } finally {
    try {
      await journal?.close();
    } catch (e) {
      out.info(`warning: ${(e as Error).message}`); // written; only the final sync failed
    }
    lock.release();
  }
}
