// The record-sharing operations on /{module}/{record_id}/actions/share, over the records' Zoho-shaped
// shares: GET lists them (filtered by its query; 204 when none), POST adds shares, PUT replaces them
// all, DELETE revokes them all. A share call answers per entry in request order and applies exactly
// the entries that pass: 201 when all do, 207 when some do, 400 when none does (nothing changes then).
import { SHARE_LIMITS_PER_RECORD } from '../generated/zoho.js';
import { Reply, entryResults, fail, type EntryError, type EntryResult } from '../reply.js';
import { example } from '../spec.js';
import { recipientKey, type ShareEntry, type StoredRecord } from '../state.js';
import { queryParam, shareModule, shareRecordOf, type ApiCall, type Context, type Handler } from './call.js';
import { shareBody, type ShareBody, type ShareRequestEntry } from './share-body.js';

/** `approved`: Zoho documents no default; absent lists both, so a read-back after a revoke sees pending shares too. */
const APPROVAL: Readonly<Record<string, (pending: boolean) => boolean>> = {
  true: (pending) => !pending,
  false: (pending) => pending,
  both: () => true,
};

export const getSharedRecordDetails: Handler = (call, ctx) => {
  ctx.state.stats.sharing.reads++;
  const record = shareRecordOf(call, ctx, shareModule(call, ctx));
  const sharedTo = queryParam(call, ctx, 'sharedTo');
  queryParam(call, ctx, 'view'); // checked; `summary` and `manage` answer alike (Zoho documents no difference)
  const approved = APPROVAL[queryParam(call, ctx, 'approved') ?? 'both']!;
  const currentUser = queryParam(call, ctx, 'current_user') === 'true';
  const pending = new Set(record.pending);
  const isUser = (e: ShareEntry, id: string) => e.shared_with.type === 'users' && e.shared_with.id === id;
  const listed = record.entries.filter(
    (e) => (sharedTo === undefined || isUser(e, sharedTo)) && (!currentUser || isUser(e, call.caller.user)) && approved(pending.has(recipientKey(e))),
  );
  if (listed.length === 0) return new Reply(204, undefined);
  return new Reply(200, { share: listed });
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
  if (!record.resharedAfterRevoke) {
    record.entries = [];
    delete record.pending;
  }
  record.revokeSuccesses++;
  stats.revoke.succeeded++;
  ctx.state.onChange();
  const success = example(call.op, 'SUCCESS').body as { share: { details: object } };
  return new Reply(200, { share: { ...success.share, details: { ...success.share.details, id: record.id } } });
};

export const shareRecord: Handler = (call, ctx) => writeShares(call, ctx, 'add');
export const updateRecordShares: Handler = (call, ctx) => writeShares(call, ctx, 'replace');

const UNKNOWN_RECIPIENT = { users: 'INVALID_DATA_USER_ID', roles: 'INVALID_DATA_ROLE_ID', groups: 'INVALID_DATA_GROUP_ID' } as const;
const OVER_LIMIT = { users: 'LIMIT_EXCEEDED_USERS', roles: 'LIMIT_EXCEEDED_ROLES', groups: 'LIMIT_EXCEEDED_GROUPS' } as const;

const isError = (e: ShareRequestEntry | EntryError): e is EntryError => 'example' in e;

/** `add`: POST, the entries join the record's shares; `replace`: PUT, they become its only shares. */
function writeShares(call: ApiCall, ctx: Context, mode: 'add' | 'replace'): Reply {
  const { state } = ctx;
  state.stats.sharing.writes++;
  // The share operations answer a module the Share Records API does not support NOT_ALLOWED (Zoho's YAML).
  const module = shareModule(call, ctx, 'NOT_ALLOWED_MODULE');
  if (call.caller.profile === 'no-share-permission' || call.caller.profile === 'read-only') return fail(call.op, 'NO_PERMISSION');
  const record = shareRecordOf(call, ctx, module);
  if (record.reshareable === false) return fail(call.op, 'INVALID_DATA_SHARED_RECORD');
  let body: ShareBody;
  try {
    body = shareBody(call);
  } catch (refused) {
    state.stats.sharing.rejected++;
    throw refused;
  }
  if (body.notifySharedMembers && state.orgsWithoutFeeds.has(call.caller.org)) return fail(call.op, 'NOT_ALLOWED_FEEDS');
  return apply(call, ctx, mode, module.relatedRecords, record, body);
}

/** Each entry judged against the shares as they stand when it is reached; the passing ones applied. */
function apply(call: ApiCall, ctx: Context, mode: 'add' | 'replace', relatedRecords: boolean, record: StoredRecord, body: ShareBody): Reply {
  const { state } = ctx;
  const before = new Map(record.entries.map((e) => [recipientKey(e), e]));
  const next = new Map<string, ShareEntry>(mode === 'add' ? before : []);
  const granted = new Set<string>();
  const results = body.entries.map((r, i): EntryResult => {
    const result = judge(r, i);
    const k = body.named[i];
    if (result !== 'SUCCESS' && mode === 'replace' && k !== undefined) {
      // PUT: a failed entry leaves the share it names as it was (not revoked with the unlisted ones).
      const kept = before.get(k);
      if (kept && !next.has(k)) next.set(k, kept);
    }
    return result;
  });

  function judge(r: ShareRequestEntry | EntryError, i: number): EntryResult {
    if (isError(r)) return r;
    const { type, id } = r.shared_with;
    const at = `$.share[${i}].shared_with`;
    const recipient = state.directory[type].get(id);
    if (!recipient) return { example: UNKNOWN_RECIPIENT[type], apiName: 'id', jsonPath: `${at}.id` };
    if ('inactive' in recipient) return { example: 'INVALID_DATA_CANNOT_SHARE_TO_USER', apiName: 'shared_with', jsonPath: at };
    if (r.share_related_records && !relatedRecords) {
      return { example: 'INVALID_DATA_RELATED_RECORDS', apiName: 'share_related_records', jsonPath: `$.share[${i}].share_related_records` };
    }
    const k = recipientKey(r);
    // POST: a recipient who already has a share of the record keeps it as it is (chosen: see the spec).
    // Either method: a recipient an earlier entry of this call gave access has it already.
    if ((mode === 'add' && next.has(k)) || granted.has(k)) return { example: 'INVALID_DATA_ALREADY_VISIBLE', apiName: 'shared_with', jsonPath: at };
    if (!next.has(k) && [...next.values()].filter((e) => e.shared_with.type === type).length >= SHARE_LIMITS_PER_RECORD[type]) {
      return { example: OVER_LIMIT[type], apiName: 'type', jsonPath: `${at}.type` };
    }
    const shares = { type, id, permission: r.permission, shareRelatedRecords: r.share_related_records ?? false, visibility: r.type };
    granted.add(k);
    next.set(k, state.entry(shares, { module: record.module, moduleId: state.modules.get(record.module)!.id, recordId: record.id }, call.caller.user, ctx.now));
    return 'SUCCESS';
  }

  const applied = results.filter((r) => r === 'SUCCESS').length;
  if (applied === 0) state.stats.sharing.rejected++;
  else {
    if (applied < results.length) state.stats.sharing.partial++;
    record.entries = [...next.values()];
    // A share made or replaced by this call is approved; others keep their state.
    const pending = (record.pending ?? []).filter((k) => next.has(k) && next.get(k) === before.get(k));
    if (pending.length) record.pending = pending;
    else delete record.pending;
    state.onChange();
  }
  return entryResults(call.op, results);
}
