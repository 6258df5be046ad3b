// `share revoke`: one record (--id; backed up by default: backed-up-revoke.ts), or a bulk job (--ids-file, bulk/).
import { NothingToRevokeError, type OperationName, type ZohoCrmClient } from '@zcrm-sharing/client';
import { revokeMany } from '../bulk/revoke-many.js';
import { usageError } from '../cli-error.js';
import type { OptionSpec, RunContext } from '../commands/command.js';
import shareRevoke from '../commands/share-revoke.js';
import { withClient, type Connection } from '../connection.js';
import { EXIT } from '../exit-codes.js';
import { recordIdOption, requireModule, revocableModule } from '../option-values.js';
import type { Output } from '../output.js';
import { backedUpRevoke, checkNewJournal, CREDITS_WITH_BACKUP, defaultJournalOf, type BackedUpResult, type OneRecord } from './backed-up-revoke.js';
import { describeShare } from './show.js';

export async function revoke({ values, argv, out, interrupt }: RunContext): Promise<number> {
  const module = requireModule(values);
  if (Boolean(values.id) === Boolean(values['ids-file'])) throw usageError('share revoke needs exactly one of --id ID or --ids-file FILE');
  revocableModule(module);
  if (values['ids-file'] !== undefined) return await revokeMany(module, values, argv, out, interrupt);
  const bulkOnly = Object.entries<OptionSpec>(shareRevoke.options).filter(([n, o]) => o.bulkOnly && values[n] !== undefined);
  if (bulkOnly.length) throw usageError(`${bulkOnly.map(([n]) => `--${n}`).join(', ')}: only with --ids-file (a bulk run)`);
  const id = values.id as string;
  recordIdOption(id);
  const backup = !values['no-backup'];
  if (!backup && values.journal !== undefined) throw usageError('--journal: with --id and --no-backup nothing is journalled; drop one of them');
  const journalPath = typeof values.journal === 'string' ? values.journal : defaultJournalOf(module, id);
  const record: OneRecord = { module, id, journalPath, argv };
  const plan = { type: 'plan', records: 1, creditsAtMost: CREDITS_WITH_BACKUP, creditsPerRecord: CREDITS_WITH_BACKUP, backup, journal: journalPath };
  if (values['dry-run']) {
    if (values.verify) throw usageError('--verify reads back what a run revoked; a --dry-run revokes nothing');
    if (!backup) {
      out.info(`dry run: would revoke every share of ${module} ${id}; nothing sent`);
      return EXIT.OK;
    }
    checkNewJournal(record); // what the real run would refuse, refused now
    out.record(plan);
    out.info(`dry run: would read the shares of ${module} ${id}, journal them in ${journalPath}, then revoke them (up to ${CREDITS_WITH_BACKUP} API credits); nothing sent, nothing written`);
    return EXIT.OK;
  }
  if (backup) checkNewJournal(record); // before connecting: a refused journal costs no call
  // What the calls are, for the hints: the read-back after the revoke is another operation, with other scopes.
  const what: { operation: OperationName; module: string } = { operation: backup ? 'getSharedRecordDetails' : 'revokeSharedRecord', module };
  return withClient(values, out, interrupt, what, async (client, conn) => {
    let done: Done;
    if (backup) {
      out.record(plan);
      out.info(`this revoke uses up to ${CREDITS_WITH_BACKUP} API credits (a read for the backup, then the revoke; 1 when the read finds no share)`);
      done = await backedUpRevoke(client, conn, record, out, interrupt.cancel, what);
    } else {
      what.operation = 'revokeSharedRecord';
      done = await revokeOnly(client, module, id, interrupt.cancel);
    }
    return reportOne(client, conn, { module, id, verify: Boolean(values.verify) }, done, out, interrupt.cancel, what);
  });
}

type Done = { outcome: 'revoked' | 'not_shared'; journal?: string; backup?: BackedUpResult['backup'] };

/** --no-backup: the DELETE alone. */
async function revokeOnly(client: ZohoCrmClient, module: string, id: string, signal: AbortSignal): Promise<Done> {
  try {
    await client.revokeSharedRecord({ module, recordId: id }, { signal });
    return { outcome: 'revoked' };
  } catch (e) {
    if (!(e instanceof NothingToRevokeError)) throw e;
    return { outcome: 'not_shared' };
  }
}

const count = (shares: readonly { shared_with: { type: string } }[]) => {
  const by = new Map<string, number>();
  for (const s of shares) by.set(s.shared_with.type, (by.get(s.shared_with.type) ?? 0) + 1);
  return [...by].map(([t, n]) => `${t} ${n}`).join(', ');
};

/** The outcome in words and as a --json record (with --verify, after the read-back). */
async function reportOne(client: ZohoCrmClient, conn: Connection, r: { module: string; id: string; verify: boolean }, done: Done, out: Output, signal: AbortSignal, what: { operation: OperationName }): Promise<number> {
  const { module, id } = r;
  const { outcome } = done;
  const shares = done.backup?.shares ?? [];
  const through = done.backup?.shared_through ?? [];
  if (outcome === 'revoked') out.info(`${out.color.green('revoked')}: every share of ${module} ${id}`);
  else out.info(`already not shared: ${module} ${id} has no sharing to revoke`);
  if (done.journal) {
    if (shares.length || through.length) {
      out.info(`backup: ${shares.length} share${shares.length === 1 ? '' : 's'} of ${module} ${id} (${count(shares) || 'none of its own'}) read at ${done.backup!.read_at}, in ${done.journal} (it names people: keep it private)`);
      if (through.length) out.info(`${through.length} of them came through another record (shared_through): journalled, but not this record's to restore`);
      out.info(`undo with: zcrm-sharing share restore --journal ${done.journal}`);
    } else out.info(`journal: ${done.journal} (the read found no share: no DELETE was sent, nothing to restore)`);
    out.info(`API credits used: ${conn.credits()}`);
  }
  const result = {
    type: 'result',
    id,
    outcome,
    ...(done.journal !== undefined && { journal: done.journal, shares, ...(through.length && { sharedThrough: through }), readAt: done.backup?.read_at, credits: conn.credits() }),
  };
  if (!r.verify) {
    out.record(result);
    return EXIT.OK;
  }
  return await verifyOne(client, r, result, out, signal, what);
}

/** --verify: "revoked" is what Zoho said; "shared with no one" is what it now shows. */
async function verifyOne(client: ZohoCrmClient, r: { module: string; id: string }, result: Record<string, unknown>, out: Output, signal: AbortSignal, what: { operation: OperationName }): Promise<number> {
  const { module, id } = r;
  what.operation = 'getSharedRecordDetails';
  const shares = await client.getSharedRecordDetails({ module, recordId: id }, { signal });
  out.record({ ...result, verified: shares.length === 0, ...(shares.length ? { stillShared: shares } : {}), ...(shares.length ? { exitCode: EXIT.STILL_SHARED } : {}) });
  if (!shares.length) {
    out.info(`verify: ${module} ${id} is shared with no one: ${out.color.green('verified')}`);
    return EXIT.OK;
  }
  out.info(`${out.color.red('still shared')}: ${module} ${id} is shared with ${shares.map(describeShare).join('; ')}`);
  return EXIT.STILL_SHARED;
}
