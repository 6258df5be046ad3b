// One record's restore, as the bulk sender runs it: the client reads the record and sends what is
// missing; the restore journal gets `started` before the first POST (so a run killed between the POST
// and its journal line knows, next time, that the shares it finds are its own) and the outcome after.
import { restoreRecordShares, type BackedUpShare, type OperationName, type RecordBackup, type ZohoCrmClient } from '@zcrm-sharing/client';
import type { IdSet } from '../bulk/id-set.js';
import { failedOperation, type Finished, type Work } from '../bulk/sender.js';

/** What a restore reports beyond its counts: records left alone, entries refused, entries never restorable. */
export interface RestoreFindings {
  reshared: { id: string; found: BackedUpShare[] }[];
  refused: { id: string; share: BackedUpShare; code: string; message: string }[];
  notSent: { id: string; share: BackedUpShare }[];
  sharedThrough: number;
  /** Entries proved applied by this run. */
  entriesApplied: number;
  /** Each record journalled restored (the --verify sample draws from them). */
  onRestored?: ((id: string) => void) | undefined;
}

/** An entry as the restore journal keeps it: without the recipient's name (the revoke journal has it). */
const recipient = (s: BackedUpShare) => ({ shared_with: { type: s.shared_with.type, id: s.shared_with.id }, permission: s.permission, share_related_records: s.share_related_records, type: s.type });

export function restoreWork(client: ZohoCrmClient, backups: Map<string, RecordBackup>, started: IdSet, merge: boolean, findings: RestoreFindings): Work {
  return {
    operation: 'shareRecord',
    names: ['restored', 'left alone'],
    async perform(id, signal, journal): Promise<Finished> {
      const backup = backups.get(id)!;
      const continuing = started.has(id);
      let phase: OperationName = 'getSharedRecordDetails';
      const r = await restoreRecordShares(client, backup, {
        signal,
        merge,
        continuing,
        onSend: () => {
          phase = 'shareRecord';
          // Before any POST: a failed write throws, and nothing is sent.
          if (!continuing) journal.record({ id, outcome: 'started' });
          started.add(id);
        },
      }).catch((e: unknown) => {
        if (typeof e === 'object' && e !== null) failedOperation.set(e, phase);
        throw e;
      });
      findings.entriesApplied += r.applied.length;
      if (r.sharedThrough.length) findings.sharedThrough++;
      for (const f of r.failed) findings.refused.push({ id, share: f.share, code: f.error.code, message: f.error.message });
      for (const share of r.notSent) findings.notSent.push({ id, share });
      const entries = (list: BackedUpShare[]) => list.map(recipient);
      switch (r.status) {
        case 'restored':
          findings.onRestored?.(id);
          return { outcome: 'restored', done: true, line: { applied: r.applied.length } };
        case 'already_present':
          // Found whole: by this restore's own earlier POST (continuing), or put back by someone else.
          if (continuing) findings.onRestored?.(id);
          return { outcome: continuing ? 'restored' : 'already_present', done: true, line: { applied: 0 } };
        case 'reshared':
          findings.reshared.push({ id, found: r.found });
          return { outcome: 'reshared', done: true, line: { found: entries(r.found) } };
        case 'nothing_to_restore':
          return { outcome: 'nothing_to_restore', done: true };
        default:
          return {
            outcome: r.status,
            code: r.failed[0]?.error.code ?? 'LIMIT_EXCEEDED',
            done: false,
            line: { applied: r.applied.length, failed: r.failed.map((f) => ({ ...recipient(f.share), code: f.error.code })), ...(r.notSent.length && { not_sent: entries(r.notSent) }) },
          };
      }
    },
  };
}
