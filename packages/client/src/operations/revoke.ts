// DELETE /{module_api_name}/{record_id}/actions/share: revoke every share of one record.
import { SEND, type CallOptions, type ZohoCrmCore } from '../core.js';
import type { RevokeSharedRecordData, StatusObject } from '../generated/index.js';
import { EXAMPLE_REVOKE_NOTHING_TO_REVOKE as NOTHING, EXAMPLE_REVOKE_NOTHING_TO_REVOKE_CANNOT_PROCESS as NOTHING_NEWER, REVOKE_SHARED_RECORD } from '../generated/zoho.js';
import { REVOKE_SHARED_RECORD_SUCCESS } from '../generated/success.js';
import { documented, type Checked } from '../shape.js';
import { NothingToRevokeError } from '../errors.js';
import { sameMessage, type Refine, type ResponseFacts } from '../internal/response.js';
import { validateRecordId, validateRevocableModule } from '../validate.js';
import type { ModuleName } from '../validate.js';
import { recordPath, statusObject, type SamePath } from './common.js';

// The generated constant's path is the generated types' (a type error otherwise).
type Path = SamePath<RevokeSharedRecordData, typeof REVOKE_SHARED_RECORD.path>;

/** Zoho's SUCCESS status object; `details.id` is the record id sent, checked. */
export interface RevokeResult extends StatusObject {
  details: StatusObject['details'] & { id: string };
}

/** 200 with exactly the spec's RevokeSuccessEnvelope: SUCCESS, success, and the id sent. */
function checkRevoke(r: ResponseFacts, recordId: string): Checked<RevokeResult> {
  const c = documented<{ share: RevokeResult }>(r, REVOKE_SHARED_RECORD_SUCCESS, { record_id: recordId });
  return c.ok ? { ok: true, value: statusObject(c.value.share) as RevokeResult } : c;
}

/** Nothing to revoke: the spec's BAD_REQUEST (newer: CANNOT_PROCESS) "No sharing through this record is available to revoke." */
const nothingToRevoke: Refine = (init) =>
  (init.code === NOTHING.code || init.code === NOTHING_NEWER.code) && sameMessage(init.message, NOTHING.message) ? NothingToRevokeError : undefined;

/** Revokes every share of one record. Resolves only for Zoho's SUCCESS naming that record. */
export async function revokeSharedRecord(zoho: ZohoCrmCore, input: { module: ModuleName; recordId: string | bigint }, options?: CallOptions): Promise<RevokeResult> {
  const module = validateRevocableModule(input?.module);
  const recordId = validateRecordId(input?.recordId);
  const { method, versions } = REVOKE_SHARED_RECORD;
  const path = recordPath(REVOKE_SHARED_RECORD.path, module, recordId);
  return zoho[SEND]({ operation: 'revokeSharedRecord', method, path, versions, idempotent: true, accept: (r) => checkRevoke(r, recordId), refine: nothingToRevoke }, options);
}
