// Restore from a backup: read the record's shares, and unless someone shared it again since, send the
// backed-up shares that are missing (POST share, within Zoho's limits per call and per record). An
// entry counts as restored only when Zoho's answer proves it applied (201, or its SUCCESS item in a 207).
import type { CallOptions, ZohoCrmCore } from '../core.js';
import { ZohoApiError } from '../errors.js';
import type { StatusObject } from '../generated/index.js';
import { validateRecordId, validateRevocableModule } from '../validate.js';
import { backedUpShare, isSharedThroughAnother, type BackedUpShare, type RecordBackup, type SharedThroughEntry } from './backup.js';
import { missingShares, planShareCalls } from './restore-plan.js';
import { shareRecord, type ShareEntryInput } from './share-write.js';
import { getSharedRecordDetails } from './shares.js';

/** How a record's restore ended. */
export type RestoreStatus =
  /** Every missing backed-up share was sent and Zoho's answer proved each applied. */
  | 'restored'
  /** The record has every backed-up share already: nothing sent. */
  | 'already_present'
  /** The record has shares again (someone shared it since the backup): left alone, unless `merge`. */
  | 'reshared'
  /** Some entries applied, others failed (each in `failed`) or were past Zoho's per-record limit (`notSent`). */
  | 'partial'
  /** Every entry sent was refused (each in `failed`): nothing applied. */
  | 'failed'
  /** The backup holds no share of the record's own: nothing to send. */
  | 'nothing_to_restore';

/** What `restoreRecordShares` did for one record, each entry accounted for: applied, failed, not sent. */
export interface RestoreResult {
  module: string;
  recordId: string;
  status: RestoreStatus;
  /** API calls made (the read, then one per POST share). */
  calls: number;
  /** The record's own shares as read before sending. */
  found: BackedUpShare[];
  /** Entries this call applied, proved by Zoho's answer. */
  applied: BackedUpShare[];
  /** Entries Zoho refused, each with its error (per entry in a 207; the call's error when none applied). */
  failed: { share: BackedUpShare; error: StatusObject }[];
  /** Entries not sent: past Zoho's per-record limit for their recipient type. */
  notSent: BackedUpShare[];
  /** The backup's entries shared through another record: never restored from this one. */
  sharedThrough: SharedThroughEntry[];
}

export interface RestoreOptions extends CallOptions {
  /** Add the missing backed-up shares to a record that has shares again (default: leave it alone). */
  merge?: boolean;
  /**
   * This restore was begun before (a crash or a stop between its calls): the backed-up shares found
   * are its own, so the missing ones are sent even though the record has shares.
   */
  continuing?: boolean;
  /** Called once the calls are planned, before the first POST; they wait for it (journal the intent here). */
  onSend?: (plan: { calls: BackedUpShare[][] }) => void | Promise<void>;
}

const asInput = (s: BackedUpShare): ShareEntryInput => ({ shared_with: { type: s.shared_with.type, id: s.shared_with.id }, permission: s.permission, type: s.type, share_related_records: s.share_related_records });

/**
 * A refusal of the entries of a share call (400 when none applied, 403 "cannot be shared"): they are
 * not applied. Answers about the request itself (auth, scope, permission, module) are other kinds: thrown.
 */
function refusedEntries(e: unknown, sent: BackedUpShare[]): { share: BackedUpShare; error: StatusObject }[] | undefined {
  if (!(e instanceof ZohoApiError) || e.kind !== 'api' || (e.status !== 400 && e.status !== 403)) return undefined;
  const items = (e.body as { share?: unknown } | undefined)?.share;
  const perEntry = Array.isArray(items) && items.length === sent.length ? (items as StatusObject[]) : undefined;
  return sent.map((share, i) => ({ share, error: perEntry?.[i] ?? { code: e.code, details: e.details, message: e.message, status: 'error' } }));
}

/**
 * Puts a record's backed-up shares back. Reads the record first: shares found that equal backed-up
 * ones are not sent again; a record with shares again is reported `reshared` and left alone unless
 * `merge` (or `continuing`). Throws what the read or a share call throws other than a refusal of the
 * entries (429, connection, auth...): with `continuing` the same call picks up where it stopped.
 */
export async function restoreRecordShares(zoho: ZohoCrmCore, backup: RecordBackup, options: RestoreOptions = {}): Promise<RestoreResult> {
  const module = validateRevocableModule(backup?.module);
  const recordId = validateRecordId(backup?.recordId);
  const { merge, continuing, onSend, ...call } = options;
  const result: RestoreResult = { module, recordId, status: 'nothing_to_restore', calls: 0, found: [], applied: [], failed: [], notSent: [], sharedThrough: backup.sharedThrough ?? [] };
  if (!backup.shares.length) return result;
  const details = await getSharedRecordDetails(zoho, { module, recordId }, call);
  result.calls++;
  result.found = details.filter((d) => !isSharedThroughAnother(d, recordId)).map(backedUpShare);
  const missing = missingShares(backup.shares, result.found);
  if (!missing.length) return { ...result, status: 'already_present' };
  if (result.found.length && !merge && !continuing) return { ...result, status: 'reshared' };
  const plan = planShareCalls(missing, result.found);
  result.notSent = plan.overLimit;
  await onSend?.({ calls: plan.calls });
  for (const entries of plan.calls) {
    result.calls++;
    try {
      const r = await shareRecord(zoho, { module, recordId, share: entries.map(asInput) }, call);
      for (const o of r.entries) {
        if (o.applied) result.applied.push(entries[o.index]!);
        else result.failed.push({ share: entries[o.index]!, error: o.error });
      }
    } catch (e) {
      const refused = refusedEntries(e, entries);
      if (!refused) throw e;
      result.failed.push(...refused);
    }
  }
  result.status = !result.failed.length && !result.notSent.length ? 'restored' : result.applied.length ? 'partial' : 'failed';
  return result;
}
