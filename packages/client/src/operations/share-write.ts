// POST and PUT /{module_api_name}/{record_id}/actions/share: share a record with users, roles or
// groups (POST adds, PUT makes the entries the record's only shares). Zoho answers per entry, in
// request order: 201 when every entry applied, 207 when some did (the others failed, each with its
// error), 400 when none did (thrown, as every error). A 207 resolves with a result that lists which
// entries applied and which failed and why: never thrown away, never read as complete.
import { SEND, type CallOptions, type ZohoCrmCore } from '../core.js';
import { InvalidInputError } from '../errors.js';
import type { ShareRecordData, StatusObject, UpdateRecordSharesData } from '../generated/index.js';
import { SHARE_RECORD_PARTIAL, SHARE_RECORD_SUCCESS, UPDATE_RECORD_SHARES_PARTIAL, UPDATE_RECORD_SHARES_SUCCESS } from '../generated/success.js';
import { RECIPIENT_TYPE_VALUES, SHARE_ENTRIES_PER_CALL, SHARE_PERMISSION_VALUES, SHARE_RECORD, SHARE_VISIBILITY_VALUES, UPDATE_RECORD_SHARES } from '../generated/zoho.js';
import type { ResponseFacts } from '../internal/response.js';
import { documented, shapeProblem, type Checked, type Success } from '../shape.js';
import { validateRecordId, validateRevocableModule } from '../validate.js';
import type { ModuleName } from '../validate.js';
import { recordPath, statusObject, type SamePath } from './common.js';

// The generated constants' paths are the generated types' (a type error otherwise).
type SharePath = SamePath<ShareRecordData, typeof SHARE_RECORD.path>;
type UpdatePath = SamePath<UpdateRecordSharesData, typeof UPDATE_RECORD_SHARES.path>;

/** One share to apply: a user, role or group, the access it gets, and its visibility. */
export interface ShareEntryInput {
  shared_with: { type: (typeof RECIPIENT_TYPE_VALUES)[number]; id: string | bigint };
  permission: (typeof SHARE_PERMISSION_VALUES)[number];
  /** `private` (default): only the recipient; `public`: at most one per call. */
  type?: (typeof SHARE_VISIBILITY_VALUES)[number];
  share_related_records?: boolean;
}

/** The input of `shareRecord` (add shares) and `updateRecordShares` (make these the only shares). */
export interface ShareRecordInput {
  module: ModuleName;
  recordId: string | bigint;
  /** 1 to 20 entries (Zoho's limit per call). */
  share: readonly ShareEntryInput[];
  /** Notify the users the record is shared with (the org needs Feeds). */
  notifySharedMembers?: boolean;
  /** Email the record's owner once the shares are applied. */
  notifyOnCompletion?: boolean;
}

/** The outcome of one entry, at its index in the request. */
export type ShareEntryOutcome =
  | { index: number; entry: ShareEntryInput; applied: true; status: StatusObject }
  | { index: number; entry: ShareEntryInput; applied: false; error: StatusObject };

/** What `shareRecord` and `updateRecordShares` resolve with: every entry's outcome (a 400, where none applied, throws). */
export interface ShareResult {
  /** True when every entry was applied (201); false for a 207, where some failed. */
  complete: boolean;
  /** One outcome per entry sent, in request order. */
  entries: ShareEntryOutcome[];
  /** The entries applied, in request order. */
  applied: Extract<ShareEntryOutcome, { applied: true }>[];
  /** The entries that failed, each with Zoho's error, in request order. */
  failed: Extract<ShareEntryOutcome, { applied: false }>[];
}

const MAX_ENTRIES = SHARE_ENTRIES_PER_CALL;
const oneOf = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

/** The body Zoho takes, from checked input; a bad field throws InvalidInputError naming it (`share[2].permission`). */
function requestBody(input: ShareRecordInput): { entries: ShareEntryInput[]; body: string } {
  const share = input?.share;
  if (!Array.isArray(share) || share.length < 1 || share.length > MAX_ENTRIES) {
    throw new InvalidInputError('share', `an array of 1 to ${MAX_ENTRIES} entries`, Array.isArray(share) ? `${share.length} entries` : share);
  }
  const entries = share.map((e: ShareEntryInput, i): ShareEntryInput => {
    const at = `share[${i}]`;
    if (!e || typeof e !== 'object') throw new InvalidInputError(at, 'an object with shared_with and permission', e);
    const type = e.shared_with?.type;
    if (!(RECIPIENT_TYPE_VALUES as readonly unknown[]).includes(type)) throw new InvalidInputError(`${at}.shared_with.type`, `one of ${oneOf(RECIPIENT_TYPE_VALUES)}`, type);
    const id = validateRecordId(e.shared_with.id, `${at}.shared_with.id`);
    if (!(SHARE_PERMISSION_VALUES as readonly unknown[]).includes(e.permission)) throw new InvalidInputError(`${at}.permission`, `one of ${oneOf(SHARE_PERMISSION_VALUES)}`, e.permission);
    const visibility = e.type ?? 'private';
    if (!(SHARE_VISIBILITY_VALUES as readonly unknown[]).includes(visibility)) throw new InvalidInputError(`${at}.type`, `one of ${oneOf(SHARE_VISIBILITY_VALUES)}`, e.type);
    if (e.share_related_records !== undefined && typeof e.share_related_records !== 'boolean') {
      throw new InvalidInputError(`${at}.share_related_records`, 'a boolean', e.share_related_records);
    }
    return { shared_with: { type, id }, permission: e.permission, type: visibility, ...(e.share_related_records !== undefined && { share_related_records: e.share_related_records }) };
  });
  for (const flag of ['notifySharedMembers', 'notifyOnCompletion'] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') throw new InvalidInputError(flag, 'a boolean', input[flag]);
  }
  const body = {
    share: entries,
    ...(input.notifySharedMembers !== undefined && { notify_shared_members: input.notifySharedMembers }),
    ...(input.notifyOnCompletion !== undefined && { notify_on_completion: input.notifyOnCompletion }),
  };
  return { entries, body: JSON.stringify(body) };
}

/**
 * 201 with exactly the spec's success, one SUCCESS per entry sent; or 207 of the spec's shape with one
 * result per entry, each exactly the 201's SUCCESS item (applied) or an error status object (not), and
 * both kinds present. Anything else (a count that differs from the entries sent, an item that says
 * `success` with another code) is not proof of what applied: not accepted.
 */
function checkShares(r: ResponseFacts, entries: ShareEntryInput[], success: Success, partial: Success): Checked<ShareResult> {
  const c = r.status === 207 ? documented<{ share: StatusObject[] }>(r, partial) : documented<{ share: StatusObject[] }>(r, success);
  if (!c.ok) return c;
  const items = c.value.share;
  if (items.length !== entries.length) return { ok: false, problem: `share has ${items.length} results for the ${entries.length} entries sent` };
  const outcomes: ShareEntryOutcome[] = [];
  for (const [index, item] of items.entries()) {
    const entry = entries[index]!;
    if (item.status === 'success') {
      const p = shapeProblem({ share: [item] }, success.shape);
      if (p) return { ok: false, problem: `share[${index}] says success but ${p.replace('share[0]', `share[${index}]`)}` };
      outcomes.push({ index, entry, applied: true, status: statusObject(item) });
    } else if (item.code === 'SUCCESS') {
      return { ok: false, problem: `share[${index}] has code SUCCESS with status ${JSON.stringify(item.status)}` };
    } else {
      outcomes.push({ index, entry, applied: false, error: statusObject(item) });
    }
  }
  const applied = outcomes.filter((o): o is Extract<ShareEntryOutcome, { applied: true }> => o.applied);
  const failed = outcomes.filter((o): o is Extract<ShareEntryOutcome, { applied: false }> => !o.applied);
  if (r.status === 207 && (applied.length === 0 || failed.length === 0)) {
    return { ok: false, problem: `a 207 with ${applied.length ? 'every' : 'no'} entry applied is not a partial success` };
  }
  return { ok: true, value: { complete: failed.length === 0, entries: outcomes, applied, failed } };
}

/** What differs between the two writes: the spec's constants, and whether a repeat is safe. */
interface Write {
  operation: 'shareRecord' | 'updateRecordShares';
  call: typeof SHARE_RECORD | typeof UPDATE_RECORD_SHARES;
  success: Success;
  partial: Success;
  idempotent: boolean;
}

function write(w: Write, zoho: ZohoCrmCore, input: ShareRecordInput, options: CallOptions | undefined): Promise<ShareResult> {
  const module = validateRevocableModule(input?.module);
  const recordId = validateRecordId(input?.recordId);
  const { entries, body } = requestBody(input);
  const { method, versions } = w.call;
  const path = recordPath(w.call.path, module, recordId);
  const accept = (r: ResponseFacts) => checkShares(r, entries, w.success, w.partial);
  return zoho[SEND]({ operation: w.operation, method, path, body, versions, idempotent: w.idempotent, accept }, options);
}

/**
 * Shares one record with users, roles or groups (at most 20 entries per call; Zoho allows 10 users, 5
 * roles and 5 groups per record). Resolves when at least one entry applied: `complete` says whether
 * all did, `failed` lists the others with Zoho's error. Throws when none applied (400) or the call
 * failed. Not idempotent: retried only where Zoho cannot have processed it (429, a refused connection).
 */
export async function shareRecord(zoho: ZohoCrmCore, input: ShareRecordInput, options?: CallOptions): Promise<ShareResult> {
  return write({ operation: 'shareRecord', call: SHARE_RECORD, success: SHARE_RECORD_SUCCESS, partial: SHARE_RECORD_PARTIAL, idempotent: false }, zoho, input, options);
}

/**
 * Replaces the shares of one record with exactly these entries: shares not listed are revoked, listed
 * ones get the permission given. Answers as `shareRecord`. Idempotent in effect (the same call sets the
 * same shares), so retried as GET and DELETE are.
 */
export async function updateRecordShares(zoho: ZohoCrmCore, input: ShareRecordInput, options?: CallOptions): Promise<ShareResult> {
  const w: Write = { operation: 'updateRecordShares', call: UPDATE_RECORD_SHARES, success: UPDATE_RECORD_SHARES_SUCCESS, partial: UPDATE_RECORD_SHARES_PARTIAL, idempotent: true };
  return write(w, zoho, input, options);
}
