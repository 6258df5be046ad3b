// The backups a revoke journal holds: for each record, every share read before its DELETE (a record
// read more than once, across a resume, gets the union), checked as a restore will send them. The
// revoke journal is only read: a torn last line (a run killed mid-write) is ignored, not truncated.
import { createReadStream } from 'node:fs';
import { shareKey, type BackedUpShare, type RecordBackup, type SharedThroughEntry } from '@zcrm-sharing/client';
import { CANONICAL_ID } from '../bulk/id-set.js';
import { isBackupLine, JOURNAL_FORMAT, JournalError, MAX_JOURNAL_LINE, type JobHeader } from '../bulk/journal.js';
import { readLines } from '../bulk/lines.js';

export interface JournalBackups {
  header: JobHeader & { created: string; version: number };
  /** Each backed-up record, in the order of its first backup line. */
  records: Map<string, RecordBackup>;
  /** Records the journal lists as revoked or already not shared. */
  finished: number;
}

const TYPES = new Set(['users', 'roles', 'groups']);
const PERMISSIONS = new Set(['read_only', 'read_write', 'full_access']);
const VISIBILITY = new Set(['private', 'public']);

/** A backed-up share as restore sends it, or a description of what is wrong with it. */
function checkShare(v: unknown): BackedUpShare | string {
  const s = v as Partial<BackedUpShare> | undefined;
  const w = s?.shared_with;
  if (!w || !TYPES.has(w.type as string)) return 'shared_with.type is not users, roles or groups';
  if (typeof w.id !== 'string' || !CANONICAL_ID.test(w.id)) return 'shared_with.id is not a record id';
  if (!PERMISSIONS.has(s.permission as string)) return 'permission is not read_only, read_write or full_access';
  if (typeof s.share_related_records !== 'boolean') return 'share_related_records is not a boolean';
  if (!VISIBILITY.has(s.type as string)) return 'type is not private or public';
  return { shared_with: { type: w.type, id: w.id, ...(typeof w.name === 'string' && { name: w.name }) }, permission: s.permission!, share_related_records: s.share_related_records, type: s.type! };
}

export async function readBackups(path: string): Promise<JournalBackups> {
  let header: JournalBackups['header'] | undefined;
  const records = new Map<string, RecordBackup>();
  let finished = 0;
  let n = 0;
  for await (const line of readLines(createReadStream(path, { highWaterMark: 64 * 1024 }), MAX_JOURNAL_LINE)) {
    n++;
    if (!line.complete) break; // torn by a crash: its record's backup, if any, was not complete either, so no DELETE followed it
    const where = `${path}:${n}`;
    let value: Record<string, unknown> | undefined;
    try {
      value = line.tooLong ? undefined : (JSON.parse(line.text) as Record<string, unknown>);
    } catch {}
    if (n === 1) {
      if (value?.journal !== JOURNAL_FORMAT || (value.version !== 1 && value.version !== 2)) {
        throw new JournalError(`${where}: not a journal of zcrm-sharing share revoke; --journal takes the journal of the revoke to undo`);
      }
      header = value as unknown as JournalBackups['header'];
      continue;
    }
    if (isBackupLine(value)) {
      const shares: BackedUpShare[] = [];
      for (const [i, raw] of value.backup.shares.entries()) {
        const s = checkShare(raw);
        if (typeof s === 'string') throw new JournalError(`${where}: backup.shares[${i}]: ${s}; the journal is damaged (fix or remove that line)`);
        shares.push(s);
      }
      const through = Array.isArray(value.backup.shared_through) ? (value.backup.shared_through as SharedThroughEntry[]) : [];
      const known = records.get(value.id);
      if (!known) {
        records.set(value.id, { module: header!.module, recordId: value.id, readAt: value.backup.read_at, shares, sharedThrough: through });
        continue;
      }
      // Read again (a resume): every share either read saw is the record's.
      const have = new Set(known.shares.map(shareKey));
      for (const s of shares) if (!have.has(shareKey(s))) known.shares.push(s);
      if (!known.sharedThrough.length) known.sharedThrough = through;
    } else if (typeof value?.id === 'string' && (value.outcome === 'revoked' || value.outcome === 'not_shared')) {
      finished++;
    } else if (typeof value?.api_domain === 'string') {
      // The org the revoke's token belonged to: the restore's sender refuses a token of another org.
      header!.apiDomain = value.api_domain;
    } else if (!(typeof value?.id === 'string' && value.outcome === 'failed')) {
      throw new JournalError(`${where}: not a journal entry; the journal is damaged (fix or remove that line)`);
    }
  }
  if (!header) throw new JournalError(`${path}: empty, not a journal of zcrm-sharing share revoke`);
  return { header, records, finished };
}
