// share restore --verify: read back the records this run restored (a sample of at most VERIFY_MAX)
// and check each has every backed-up share: "restored" is what Zoho answered; this is what it shows.
import { VERIFY_MAX } from '../commands/share-revoke.js';
import { backupOf, isZohoCrmError, missingShares, type BackedUpShare, type RecordBackup, type ZohoCrmClient } from '@zcrm-sharing/client';

const VERIFY_CONCURRENCY = 4;

export interface RestoreVerify {
  sampled: number;
  confirmed: number;
  missing: { id: string; shares: BackedUpShare[] }[];
  unreadable: { id: string; error: string }[];
}

/** A uniform sample of at most VERIFY_MAX ids (reservoir sampling: the ids are offered one by one). */
export class RestoredSample {
  private readonly ids: string[] = [];
  private seen = 0;
  constructor(private readonly random: () => number = Math.random) {}
  offer(id: string): void {
    this.seen++;
    if (this.ids.length < VERIFY_MAX) this.ids.push(id);
    else {
      const j = Math.floor(this.random() * this.seen);
      if (j < VERIFY_MAX) this.ids[j] = id;
    }
  }
  take(): string[] {
    return [...this.ids];
  }
}

export async function verifyRestored(client: ZohoCrmClient, ids: string[], backups: Map<string, RecordBackup>, signal: AbortSignal): Promise<RestoreVerify> {
  const v: RestoreVerify = { sampled: ids.length, confirmed: 0, missing: [], unreadable: [] };
  let next = 0;
  const worker = async () => {
    while (next < ids.length && !signal.aborted) {
      const id = ids[next++]!;
      const backup = backups.get(id)!;
      try {
        const found = backupOf(backup.module, id, await client.getSharedRecordDetails({ module: backup.module, recordId: id }, { signal }), '').shares;
        const lacking = missingShares(backup.shares, found);
        if (lacking.length) v.missing.push({ id, shares: lacking });
        else v.confirmed++;
      } catch (e) {
        if (!isZohoCrmError(e)) throw e;
        v.unreadable.push({ id, error: 'code' in e && e.code ? e.code : e.kind });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(VERIFY_CONCURRENCY, ids.length) }, worker));
  v.unreadable.push(...ids.slice(next).map((id) => ({ id, error: 'not read (interrupted)' })));
  return v;
}
