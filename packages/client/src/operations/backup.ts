// A backup of one record's shares, read before a revoke, and read-then-revoke itself. What a backup
// keeps is what a restore can send back (recipient, permission, related records, visibility); entries
// shared through another record are kept apart: they are not this record's to restore.
// Apart from the revoke-only path on purpose: an app that only revokes never loads this module.
import type { CallOptions, ZohoCrmCore } from '../core.js';
import { NothingToRevokeError } from '../errors.js';
import type { RecipientType, SharedRecordDetail, SharePermission, ShareVisibility } from '../generated/index.js';
import { validateRecordId, validateRevocableModule } from '../validate.js';
import { revokeSharedRecord } from './revoke.js';
import { getSharedRecordDetails } from './shares.js';
import type { ModuleName } from '../validate.js';

/** One share as a restore sends it back. Two are the same share when every field but `name` is equal. */
export interface BackedUpShare {
  shared_with: { type: RecipientType; id: string; name?: string };
  permission: SharePermission;
  share_related_records: boolean;
  type: ShareVisibility;
}

/** An entry the record has through another record (`shared_through`): reported, never restored. */
export interface SharedThroughEntry extends BackedUpShare {
  shared_through: { module?: string; id: string };
}

/** One record's shares as read before its revoke: what a restore puts back (store it, privately: it names people). */
export interface RecordBackup {
  module: string;
  recordId: string;
  /** When the shares were read (ISO 8601). */
  readAt: string;
  /** The record's own shares: what a restore puts back. */
  shares: BackedUpShare[];
  /** Shares it has through another record: not restorable from this record. */
  sharedThrough: SharedThroughEntry[];
}

/** The share's identity for equality: recipient type and id, permission, related records, visibility. */
export function shareKey(s: BackedUpShare): string {
  return `${s.shared_with.type}:${s.shared_with.id}:${s.permission}:${s.share_related_records ? 1 : 0}:${s.type}`;
}

/** Two shares are equal when their recipient type and id, permission, share_related_records and type are. */
export const sameShare = (a: BackedUpShare, b: BackedUpShare): boolean => shareKey(a) === shareKey(b);

/** A read entry as a backup keeps it (Zoho omits `share_related_records` and `type` at their defaults). */
export function backedUpShare(d: SharedRecordDetail): BackedUpShare {
  const name = d.shared_with.name;
  return {
    shared_with: { type: d.shared_with.type, id: String(d.shared_with.id), ...(name !== undefined && { name }) },
    permission: d.permission,
    share_related_records: d.share_related_records === true,
    type: d.type ?? 'private',
  };
}

/** Whether an entry came to the record through another record (`shared_through` naming another id). */
export const isSharedThroughAnother = (d: SharedRecordDetail, recordId: string): boolean =>
  d.shared_through !== undefined && String(d.shared_through.id) !== recordId;

/** The backup of a read: the record's own shares (each once) and those through other records. */
export function backupOf(module: string, recordId: string, details: readonly SharedRecordDetail[], readAt: string): RecordBackup {
  const shares = new Map<string, BackedUpShare>();
  const sharedThrough: SharedThroughEntry[] = [];
  for (const d of details) {
    const s = backedUpShare(d);
    if (isSharedThroughAnother(d, recordId)) {
      const through = d.shared_through!;
      sharedThrough.push({ ...s, shared_through: { id: String(through.id), ...(through.module?.name !== undefined && { module: through.module.name }) } });
    } else if (!shares.has(shareKey(s))) shares.set(shareKey(s), s);
  }
  return { module, recordId, readAt, shares: [...shares.values()], sharedThrough };
}

/** What `backupAndRevoke` did for one record: the backup it read, and whether Zoho revoked it. */
export interface BackupAndRevokeResult {
  backup: RecordBackup;
  /** `revoked`: Zoho answered SUCCESS for this id. `not_shared`: the read found no share (no DELETE sent) or Zoho said nothing to revoke. */
  outcome: 'revoked' | 'not_shared';
  /** Calls made: 1 when the read proved the record unshared, else 2. */
  calls: 1 | 2;
}

export interface BackupAndRevokeOptions extends CallOptions {
  /**
   * Called with the backup before the DELETE is sent; the DELETE waits for it, and is not sent when it
   * throws (store the backup durably here: once the DELETE is answered, Zoho keeps no copy).
   */
  onBackup?: (backup: RecordBackup) => void | Promise<void>;
  /** The read's clock (tests). */
  now?: () => Date;
}

/**
 * Reads the record's shares, hands the backup to `onBackup`, then revokes them: the backup is what
 * `restoreRecordShares` takes to put them back. A record read as shared with no one (204) is not sent
 * a DELETE (the read proves it; one API credit saved).
 */
export async function backupAndRevoke(zoho: ZohoCrmCore, input: { module: ModuleName; recordId: string | bigint }, options: BackupAndRevokeOptions = {}): Promise<BackupAndRevokeResult> {
  const module = validateRevocableModule(input?.module);
  const recordId = validateRecordId(input?.recordId);
  const { onBackup, now, ...call } = options;
  const details = await getSharedRecordDetails(zoho, { module, recordId }, call);
  const backup = backupOf(module, recordId, details, (now?.() ?? new Date()).toISOString());
  await onBackup?.(backup);
  if (details.length === 0) return { backup, outcome: 'not_shared', calls: 1 };
  try {
    await revokeSharedRecord(zoho, { module, recordId }, call);
    return { backup, outcome: 'revoked', calls: 2 };
  } catch (e) {
    if (e instanceof NothingToRevokeError) return { backup, outcome: 'not_shared', calls: 2 };
    throw e;
  }
}
