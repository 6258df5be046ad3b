// GET /{module_api_name}/{record_id}/actions/share: who one record is shared with.
import { SEND, type CallOptions, type ZohoCrmCore } from '../core.js';
import type { ResponseFacts } from '../internal/response.js';
import type { GetSharedRecordDetailsData, SharedRecordDetail } from '../generated/index.js';
import { GET_SHARED_RECORD_DETAILS_SUCCESS } from '../generated/success.js';
import { GET_SHARED_RECORD_DETAILS } from '../generated/zoho.js';
import { documented, type Checked } from '../shape.js';
import { validateRecordId, validateRevocableModule } from '../validate.js';
import { recordPath, type SamePath } from './common.js';

// The generated constant's path is the generated types' (a type error otherwise).
type Path = SamePath<GetSharedRecordDetailsData, typeof GET_SHARED_RECORD_DETAILS.path>;

/** 200 `{"share": [entries]}`, or 204: the record is shared with no one (`[]`). */
function checkShares(r: ResponseFacts): Checked<SharedRecordDetail[]> {
  if (r.status === 204) return { ok: true, value: [] };
  const c = documented<{ share: SharedRecordDetail[] }>(r, GET_SHARED_RECORD_DETAILS_SUCCESS);
  return c.ok ? { ok: true, value: c.value.share } : c;
}

/**
 * Who the record is shared with: one entry per user, role or group (`[]` when no one), as Zoho
 * sent them once checked against the spec (ids strings; every string redacted of the client's secrets).
 */
export async function getSharedRecordDetails(zoho: ZohoCrmCore, input: { module: string; recordId: string | bigint }, options?: CallOptions): Promise<SharedRecordDetail[]> {
  const module = validateRevocableModule(input?.module);
  const id = validateRecordId(input?.recordId);
  const { method, versions } = GET_SHARED_RECORD_DETAILS;
  const path = recordPath(GET_SHARED_RECORD_DETAILS.path, module, id);
  return zoho[SEND]({ operation: 'getSharedRecordDetails', method, path, versions, idempotent: true, accept: checkShares }, options);
}
