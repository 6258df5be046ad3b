// What a restore sends for one record, decided without a call: which backed-up shares are missing
// from what the record has now, and how they split into POST share calls within Zoho's limits.
import { SHARE_ENTRIES_PER_CALL, SHARE_LIMITS_PER_RECORD } from '../generated/zoho.js';
import { sameShare, shareKey, type BackedUpShare } from './backup.js';

/** Entries one POST share takes (the spec's `ShareRequest.share` maxItems; share-write.ts checks the same). */
export const MAX_SHARE_ENTRIES_PER_CALL = SHARE_ENTRIES_PER_CALL;

/** The share calls a restore makes for one record, and the entries Zoho's per-record limits leave out. */
export interface ShareCallPlan {
  /** The calls, in order: each at most MAX_SHARE_ENTRIES_PER_CALL entries, a `public` entry alone in its call. */
  calls: BackedUpShare[][];
  /** Entries that would pass Zoho's per-record limit for their recipient type (counting what the record has): not sent. */
  overLimit: BackedUpShare[];
}

/** The backed-up shares the record does not have now (each once, in backup order). */
export function missingShares(backup: readonly BackedUpShare[], current: readonly BackedUpShare[]): BackedUpShare[] {
  const have = new Set(current.map(shareKey));
  const out: BackedUpShare[] = [];
  for (const s of backup) {
    const k = shareKey(s);
    if (have.has(k)) continue;
    have.add(k);
    out.push(s);
  }
  return out;
}

/** Whether two lists hold the same shares (each list's order and repeats aside). */
export function sameShares(a: readonly BackedUpShare[], b: readonly BackedUpShare[]): boolean {
  const ka = new Set(a.map(shareKey));
  const kb = new Set(b.map(shareKey));
  return ka.size === kb.size && [...ka].every((k) => kb.has(k));
}

/**
 * Splits `entries` into POST share calls: Zoho refuses two `public` entries in one call (400
 * AMBIGUITY_DURING_PROCESSING), so each public entry goes alone; the private ones go in calls of at
 * most MAX_SHARE_ENTRIES_PER_CALL. Entries past the per-record limit of their recipient type (10
 * users, 5 roles, 5 groups, counting `existing`) are not planned: Zoho would refuse them.
 */
export function planShareCalls(entries: readonly BackedUpShare[], existing: readonly BackedUpShare[] = []): ShareCallPlan {
  const count: Record<string, number> = {};
  // A recipient counts once per record, whatever its permission.
  const recipients = new Set<string>();
  const countRecipient = (s: BackedUpShare) => {
    const r = `${s.shared_with.type}:${s.shared_with.id}`;
    if (recipients.has(r)) return;
    recipients.add(r);
    count[s.shared_with.type] = (count[s.shared_with.type] ?? 0) + 1;
  };
  for (const s of existing) countRecipient(s);
  const overLimit: BackedUpShare[] = [];
  const privates: BackedUpShare[] = [];
  const publics: BackedUpShare[] = [];
  const seen: BackedUpShare[] = [];
  for (const s of entries) {
    if (seen.some((x) => sameShare(x, s))) continue;
    seen.push(s);
    const r = `${s.shared_with.type}:${s.shared_with.id}`;
    const limit = SHARE_LIMITS_PER_RECORD[s.shared_with.type];
    if (!recipients.has(r) && (count[s.shared_with.type] ?? 0) >= limit) {
      overLimit.push(s);
      continue;
    }
    countRecipient(s);
    (s.type === 'public' ? publics : privates).push(s);
  }
  const calls: BackedUpShare[][] = [];
  for (let i = 0; i < privates.length; i += MAX_SHARE_ENTRIES_PER_CALL) calls.push(privates.slice(i, i + MAX_SHARE_ENTRIES_PER_CALL));
  for (const p of publics) calls.push([p]);
  return { calls, overLimit };
}
