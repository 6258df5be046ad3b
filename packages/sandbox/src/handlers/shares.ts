// The record-sharing operations on /{module}/{record_id}/actions/share, over the records' Zoho-shaped
// shares: GET lists them (204 when none), POST adds (or updates) shares, PUT replaces them all, DELETE
// revokes them all. A share call is all or nothing: any entry in error and none is applied.
import { SHARE_LIMITS_PER_RECORD } from '../generated/zoho.js';
import { Reply, fail, failEntries, type EntryError } from '../reply.js';
import { example } from '../spec.js';
import type { ShareEntry, StoredRecord } from '../state.js';
import { shareModule, shareRecordOf, type ApiCall, type Context, type Handler } from './call.js';
import { shareEntries } from './share-body.js';

export const getSharedRecordDetails: Handler = (call, ctx) => {
  ctx.state.stats.sharing.reads++;
  const record = shareRecordOf(call, ctx, shareModule(call, ctx));
  if (record.entries.length === 0) return new Reply(204, undefined);
  return new Reply(200, { share: record.entries });
};

export const revokeSharedRecord: Handler = (call, ctx) => {
  const { stats } = ctx.state;
  stats.revoke.calls++;
  const module = shareModule(call, ctx);
  if (call.caller.profile === 'no-share-permission') return fail(call.op, 'NO_PERMISSION');
  if (call.caller.profile === 'read-only') return fail(call.op, 'AUTHORIZATION_FAILED');
  const record = shareRecordOf(call, ctx, module);
  record.revokeCalls++;
  if (record.entries.length === 0) {
    stats.revoke.nothingToRevoke++;
    ctx.state.onChange();
    return fail(call.op, 'BAD_REQUEST');
  }
  if (!record.resharedAfterRevoke) record.entries = [];
  record.revokeSuccesses++;
  stats.revoke.succeeded++;
  ctx.state.onChange();
  const success = example(call.op, 'SUCCESS').body as { share: { details: object } };
  return new Reply(200, { share: { ...success.share, details: { ...success.share.details, id: record.id } } });
};

export const shareRecord: Handler = (call, ctx) => writeShares(call, ctx, 'add');
export const updateRecordShares: Handler = (call, ctx) => writeShares(call, ctx, 'replace');

const key = (e: { shared_with: { type: string; id: string } }) => `${e.shared_with.type}:${e.shared_with.id}`;
const UNKNOWN_RECIPIENT = { users: 'INVALID_DATA_USER_ID', roles: 'INVALID_DATA_ROLE_ID', groups: 'INVALID_DATA_GROUP_ID' } as const;
const OVER_LIMIT = { users: 'LIMIT_EXCEEDED_USERS', roles: 'LIMIT_EXCEEDED_ROLES', groups: 'LIMIT_EXCEEDED_GROUPS' } as const;

/** `add`: POST, the entries join the record's shares; `replace`: PUT, they become its only shares. */
function writeShares(call: ApiCall, ctx: Context, mode: 'add' | 'replace'): Reply {
  const { state } = ctx;
  state.stats.sharing.writes++;
  const module = shareModule(call, ctx);
  if (call.caller.profile === 'no-share-permission' || call.caller.profile === 'read-only') return fail(call.op, 'NO_PERMISSION');
  const record: StoredRecord = shareRecordOf(call, ctx, module);
  let requested;
  try {
    requested = shareEntries(call);
  } catch (refused) {
    state.stats.sharing.rejected++;
    throw refused;
  }

  // Keyed by recipient: sharing again with the same user, role or group updates that share.
  const next = new Map<string, ShareEntry>(mode === 'add' ? record.entries.map((e) => [key(e), e]) : []);
  const errors: EntryError[] = [];
  requested.forEach((r, i) => {
    const { type, id } = r.shared_with;
    if (!state.directory[type].has(id)) {
      errors.push({ example: UNKNOWN_RECIPIENT[type], apiName: 'id', jsonPath: `$.share[${i}].shared_with.id` });
      return;
    }
    const entry = state.entry(
      { type, id, permission: r.permission, shareRelatedRecords: r.share_related_records ?? false, visibility: r.type },
      { module: module.apiName, moduleId: module.id, recordId: record.id },
      call.caller.user,
      ctx.now,
    );
    const k = key(entry);
    if (!next.has(k) && [...next.values()].filter((e) => e.shared_with.type === type).length >= SHARE_LIMITS_PER_RECORD[type]) {
      errors.push({ example: OVER_LIMIT[type], apiName: 'type', jsonPath: `$.share[${i}].shared_with.type` });
      return;
    }
    next.set(k, entry);
  });
  if (errors.length) {
    state.stats.sharing.rejected++;
    return failEntries(call.op, errors);
  }
  record.entries = [...next.values()];
  state.onChange();
  const success = (example(call.op, 'SUCCESS').body as { share: unknown[] }).share[0];
  return new Reply(201, { share: requested.map(() => success) });
}
