// `share revoke`: one record (--id), or a bulk job (--ids-file, bulk/).
import { NothingToRevokeError, type OperationName, type ZohoCrmClient } from '@zcrm-sharing/client';
import { revokeMany } from '../bulk/revoke-many.js';
import { usageError } from '../cli-error.js';
import type { OptionSpec, RunContext } from '../commands/command.js';
import shareRevoke from '../commands/share-revoke.js';
import { withClient } from '../connection.js';
import { EXIT } from '../exit-codes.js';
import { recordIdOption, requireModule, revocableModule } from '../option-values.js';
import type { Output } from '../output.js';
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
  if (values['dry-run']) {
    if (values.verify) throw usageError('--verify reads back what a run revoked; a --dry-run revokes nothing');
    out.info(`dry run: would revoke every share of ${module} ${id}; nothing sent`);
    return EXIT.OK;
  }
  // What the calls are, for the hints: the read-back after the revoke is another operation, with other scopes.
  const what: { operation: OperationName; module: string } = { operation: 'revokeSharedRecord', module };
  return withClient(values, out, interrupt, what, (client) => revokeOne(client, module, id, Boolean(values.verify), out, interrupt.cancel, what));
}

async function revokeOne(client: ZohoCrmClient, module: string, id: string, verify: boolean, out: Output, signal: AbortSignal, what: { operation: OperationName }): Promise<number> {
  let outcome: 'revoked' | 'not_shared' = 'revoked';
  try {
    const r = await client.revokeSharedRecord({ module, recordId: id }, { signal });
    if (!verify) out.record({ type: 'result', id: r.details.id, outcome });
    out.info(`${out.color.green('revoked')}: every share of ${module} ${id}`);
  } catch (e) {
    if (!(e instanceof NothingToRevokeError)) throw e;
    outcome = 'not_shared';
    if (!verify) out.record({ type: 'result', id, outcome });
    out.info(`already not shared: ${module} ${id} has no sharing to revoke`);
  }
  if (!verify) return EXIT.OK;
  // Read back: "revoked" is what Zoho said; "shared with no one" is what it now shows.
  what.operation = 'getSharedRecordDetails';
  const shares = await client.getSharedRecordDetails({ module, recordId: id }, { signal });
  out.record({ type: 'result', id, outcome, verified: shares.length === 0, ...(shares.length ? { stillShared: shares } : {}), ...(shares.length ? { exitCode: EXIT.STILL_SHARED } : {}) });
  if (!shares.length) {
    out.info(`verify: ${module} ${id} is shared with no one: ${out.color.green('verified')}`);
    return EXIT.OK;
  }
  out.info(`${out.color.red('still shared')}: ${module} ${id} is shared with ${shares.map(describeShare).join('; ')}`);
  return EXIT.STILL_SHARED;
}
