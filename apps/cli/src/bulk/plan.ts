// `share revoke --ids-file F --plan`: read-only. Reads every record's shares (GET, through the bulk
// sender: the same limiter, stops and hints) and reports how many records are shared, with whom
// (counts per recipient, the top ones named), and the calls and credits the real run will take.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { backupOf, type ZohoCrmClient } from '@zcrm-sharing/client';
import { CliError, usageError } from '../cli-error.js';
import { InputError, openInput, scanInput, SnapshotWriter } from './input.js';
import { sendAll, type Ledger, type Work } from './sender.js';
import type { BulkDeps, BulkOptions, SendResult } from './types.js';
import type { ExitName } from '../exit-codes.js';

/** Recipients named in the report (all are counted). */
export const TOP_RECIPIENTS = 10;

export interface RecipientCount {
  type: string;
  id: string;
  name?: string | undefined;
  records: number;
}

export interface RevokePlan {
  module: string;
  records: number;
  shared: number;
  notShared: number;
  /** Records whose read failed (each in failedByCode): the real run will find out. */
  unreadable: number;
  failedByCode: Record<string, number>;
  /** Shares in all, and those through another record (never restorable from this one). */
  shares: number;
  sharedThrough: number;
  byType: Record<string, number>;
  byPermission: Record<string, number>;
  public: number;
  recipients: number;
  top: RecipientCount[];
  /** What the real run will cost: with the backup a read per record and a DELETE per shared one; without, a DELETE each. */
  realRun: { calls: number; creditsWithBackup: number; creditsWithoutBackup: number };
  /** What this plan cost. */
  credits: number;
  left: number;
  interrupted: boolean;
  stopped?: SendResult['stopped'];
  exit: ExitName;
}

const realSleep = (ms: number, signal: AbortSignal) => sleepTimer(ms, undefined, { signal });
const noLedger: Ledger = { record() {}, recordApiDomain() {}, recordBackup() {} };

export async function planRevoke(o: BulkOptions, deps: BulkDeps & { client: ZohoCrmClient }): Promise<RevokePlan> {
  const { out } = deps;
  const now = deps.now ?? Date.now;
  const started = now();
  const label = o.idsPath === '-' ? '<stdin>' : o.idsPath;
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-plan-'));
  const snapshotPath = join(dir, 'ids');
  const counts = new Map<string, RecipientCount>();
  const p: RevokePlan = {
    module: o.module, records: 0, shared: 0, notShared: 0, unreadable: 0, failedByCode: {}, shares: 0, sharedThrough: 0, byType: {}, byPermission: {}, public: 0, recipients: 0, top: [],
    realRun: { calls: 0, creditsWithBackup: 0, creditsWithoutBackup: 0 }, credits: 0, left: 0, interrupted: false, exit: 'OK',
  };
  try {
    const snapshot = new SnapshotWriter(snapshotPath);
    try {
      const input = await openInput(o.idsPath, deps.stop);
      const scan = await scanInput(input, { label, idColumn: o.idColumn, module: o.module, onId: (id) => snapshot.write(id), onInvalid: (line, m) => out.info(`${label}:${line}: ${m}`), onDuplicate: () => {} });
      if (input !== process.stdin) input.destroy();
      p.records = scan.unique;
      if (scan.invalid) out.info(`${label}: ${scan.invalid} invalid lines (not read)`);
    } catch (e) {
      if (deps.stop.aborted) throw new CliError('INTERRUPTED', `interrupted while reading ${label}; nothing was read from Zoho`);
      if (e instanceof InputError) throw usageError(e.message);
      throw e;
    } finally {
      snapshot.close();
    }
    if (!p.records) throw usageError(`${label} has no record ids; nothing to plan`);
    out.info(`planning: reading the shares of ${p.records} records (read-only: ${p.records} API credits)`);
    const work: Work = {
      operation: 'getSharedRecordDetails',
      names: ['shared', 'not shared'],
      async perform(id, signal) {
        const b = backupOf(o.module, id, await deps.client.getSharedRecordDetails({ module: o.module, recordId: id }, { signal }), '');
        const all = [...b.shares, ...b.sharedThrough];
        p.shares += all.length;
        p.sharedThrough += b.sharedThrough.length;
        for (const s of all) {
          p.byType[s.shared_with.type] = (p.byType[s.shared_with.type] ?? 0) + 1;
          p.byPermission[s.permission] = (p.byPermission[s.permission] ?? 0) + 1;
          if (s.type === 'public') p.public++;
          const k = `${s.shared_with.type}:${s.shared_with.id}`;
          const c = counts.get(k) ?? { type: s.shared_with.type, id: s.shared_with.id, name: s.shared_with.name, records: 0 };
          c.records++;
          counts.set(k, c);
        }
        return { outcome: all.length ? 'shared' : 'not_shared', done: true };
      },
    };
    const sent = await sendAll({ options: o, deps, snapshotPath, started, now, sleep: deps.sleep ?? realSleep, work }, deps.client, noLedger, p.records, undefined);
    p.shared = sent.outcomes.shared ?? 0;
    p.notShared = sent.outcomes.not_shared ?? 0;
    p.unreadable = sent.failed;
    p.failedByCode = sent.failedByCode;
    p.credits = sent.credits;
    p.left = sent.left;
    p.interrupted = sent.interrupted;
    p.stopped = sent.stopped;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  p.recipients = counts.size;
  p.top = [...counts.values()].sort((a, b) => b.records - a.records || a.id.localeCompare(b.id)).slice(0, TOP_RECIPIENTS);
  // Unread records are counted as shared: the real run's cost is not under-stated.
  const maybeShared = p.shared + p.unreadable + p.left;
  p.realRun = { calls: p.records + maybeShared, creditsWithBackup: p.records + maybeShared, creditsWithoutBackup: p.records };
  p.exit = p.stopped?.exit ?? (p.interrupted ? 'INTERRUPTED' : p.unreadable ? 'PARTIAL' : 'OK');
  return p;
}
