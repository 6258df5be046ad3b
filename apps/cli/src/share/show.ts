// `share show`: who one record is shared with, through the client's getSharedRecordDetails (Zoho's
// GET .../actions/share; its 204 is "not shared"). The shares are the command's result: stdout.
import type { SharedRecordDetail, ZohoCrmClient } from '@zcrm-sharing/client';
import type { RunContext } from '../commands/command.js';
import { withClient } from '../connection.js';
import { usageError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import { recordIdOption, requireModule, revocableModule } from '../option-values.js';
import type { Output } from '../output.js';

export async function show({ values, out, interrupt }: RunContext): Promise<number> {
  const module = requireModule(values);
  if (typeof values.id !== 'string') throw usageError('share show needs --id ID (the record whose shares to show)');
  revocableModule(module);
  recordIdOption(values.id);
  const id = values.id;
  const sharedTo = values['shared-to'];
  if (sharedTo !== undefined && (typeof sharedTo !== 'string' || !/^[0-9]{1,19}$/.test(sharedTo))) {
    throw usageError(`--shared-to: expected a user id of 1-19 digits; got ${JSON.stringify(sharedTo)}`);
  }
  return withClient(values, out, interrupt, { operation: 'getSharedRecordDetails', module }, (client) => showShares(client, module, id, out, interrupt.cancel, sharedTo));
}

/** One share in words: `User 3 (users 4150868000000224008): read_write, ...`. */
export function describeShare(s: SharedRecordDetail): string {
  const who = `${s.shared_with.name ? `${s.shared_with.name} ` : ''}(${s.shared_with.type} ${s.shared_with.id})`;
  const by = s.shared_by ? `, by ${s.shared_by.name ? `${s.shared_by.name} ` : ''}(${s.shared_by.id})` : '';
  const related = s.share_related_records === undefined ? '' : `, related records ${s.share_related_records ? 'too' : 'not shared'}`;
  return `${who}: ${s.permission}${related}${s.shared_time ? `, since ${s.shared_time}` : ''}${by}${s.type ? `, ${s.type}` : ''}`;
}

export async function showShares(client: ZohoCrmClient, module: string, id: string, out: Output, signal: AbortSignal, sharedTo?: string): Promise<number> {
  const shares = await client.getSharedRecordDetails({ module, recordId: id, ...(sharedTo !== undefined && { sharedTo }) }, { signal });
  out.record({ type: 'shares', module, id, ...(sharedTo !== undefined && { sharedTo }), shared: shares.length > 0, shares });
  if (out.json) return EXIT.OK;
  const lines = shares.length
    ? [`${module} ${id} is shared with ${shares.length === 1 ? '1 user, role or group' : `${shares.length} users, roles or groups`}${sharedTo ? ` (user ${sharedTo}'s shares)` : ''}:`, ...shares.map((s) => `  ${describeShare(s)}`)]
    : [sharedTo ? `${module} ${id} is not shared with user ${sharedTo} (Zoho answered 204)` : `${module} ${id} is not shared (Zoho answered 204: shared with no one)`];
  process.stdout.write(`${out.redact(lines.join('\n'))}\n`);
  return EXIT.OK;
}
