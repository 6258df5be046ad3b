// DELETE /{module_api_name}/{record_id}/actions/share: revoke every share of one record.
import { SEND, type CallOptions, type ZohoCrmCore } from '../core.js';
import type { RevokeSharedRecordData, StatusObject } from '../generated/index.js';
import { EXAMPLE_REVOKE_NOTHING_TO_REVOKE as NOTHING, EXAMPLE_REVOKE_NOTHING_TO_REVOKE_CANNOT_PROCESS as NOTHING_NEWER, REVOKE_SHARED_RECORD } from '../generated/zoho.js';
import { STATUS_OBJECT, documented, object, refused, type Checked } from '../shape.js';
import { NothingToRevokeError } from '../errors.js';
import { sameMessage, type Refine, type ResponseFacts } from '../internal/response.js';
import { validateRecordId, validateRevocableModule } from '../validate.js';
import { recordPath, statusObject, type SamePath } from './common.js';

// The generated constant's path is the generated types' (a type error otherwise).
type Path = SamePath<RevokeSharedRecordData, typeof REVOKE_SHARED_RECORD.path>;

/** Zoho's SUCCESS status object; `details.id` is the record id sent, checked. */
export interface RevokeResult extends StatusObject {
  details: StatusObject['details'] & { id: string };
}

/** The spec's ShareEnvelope. */
export const REVOKE_SUCCESS = object({ share: STATUS_OBJECT });

/** 200 `{"share": {status: "success", details: {id}}}` with the id sent, as a string. */
function checkRevoke(r: ResponseFacts, recordId: string): Checked<RevokeResult> {
  const c = documented<{ share: StatusObject }>(r, REVOKE_SUCCESS);
  if (!c.ok) return c;
  const { share } = c.value;
  if (share.status !== 'success') return refused('share.status is not "success"');
  if (share.details.id !== recordId) return refused(`share.details.id is ${share.details.id ?? 'missing'}, not the record sent (${recordId})`);
  return { ok: true, value: statusObject(share) as RevokeResult };
}

/** Nothing to revoke: the spec's BAD_REQUEST (newer: CANNOT_PROCESS) "No sharing through this record is available to revoke." */
const nothingToRevoke: Refine = (init) =>
  (init.code === NOTHING.code || init.code === NOTHING_NEWER.code) && sameMessage(init.message, NOTHING.message) ? NothingToRevokeError : undefined;

/** Revokes every share of one record. Resolves only for Zoho's SUCCESS naming that record. */
export async function revokeSharedRecord(zoho: ZohoCrmCore, input: { module: string; recordId: string | bigint }, options?: CallOptions): Promise<RevokeResult> {
  const module = validateRevocableModule(input?.module);
  const recordId = validateRecordId(input?.recordId);
  const { method, versions } = REVOKE_SHARED_RECORD;
  const path = recordPath(REVOKE_SHARED_RECORD.path, module, recordId);
  return zoho[SEND]({ operation: 'revokeSharedRecord', method, path, versions, idempotent: true, accept: (r) => checkRevoke(r, recordId), refine: nothingToRevoke }, options);
}
