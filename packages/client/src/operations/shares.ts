// GET /{module_api_name}/{record_id}/actions/share: who one record is shared with.
import { SEND, type CallOptions, type ZohoCrmCore } from '../core.js';
import type { ResponseFacts } from '../internal/response.js';
import type { GetSharedRecordDetailsData, SharedRecordDetail } from '../generated/index.js';
import { GET_SHARED_RECORD_DETAILS, RECIPIENT_TYPE_VALUES, SHARE_PERMISSION_VALUES, SHARE_VISIBILITY_VALUES } from '../generated/zoho.js';
import { bool, documented, list, moduleName, object, oneOf, recordId, text, type Checked } from '../shape.js';
import { validateRecordId, validateRevocableModule } from '../validate.js';
import { recordPath, type SamePath } from './common.js';

// The generated constant's path is the generated types' (a type error otherwise).
type Path = SamePath<GetSharedRecordDetailsData, typeof GET_SHARED_RECORD_DETAILS.path>;

// RFC 3339 date-time with a time zone (the spec's `format: date-time`), e.g. 2026-11-02T09:14:27+05:30.
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt\s]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$/;

/** The spec's SharedRecordDetailsEnvelope (at least one entry: a record shared with no one is a 204). */
export const SHARES_SUCCESS = object({
  share: list(
    object(
      { shared_with: object({ type: oneOf(RECIPIENT_TYPE_VALUES), id: recordId }, { name: text() }), permission: oneOf(SHARE_PERMISSION_VALUES) },
      {
        share_related_records: bool,
        shared_time: text(DATE_TIME),
        shared_by: object({ id: recordId }, { name: text(), zuid: text() }),
        shared_through: object({ id: recordId }, { module: object({ name: moduleName(), id: recordId }) }),
        type: oneOf(SHARE_VISIBILITY_VALUES),
      },
    ),
    1,
  ),
});

/** 200 `{"share": [entries]}`, or 204: the record is shared with no one (`[]`). */
function checkShares(r: ResponseFacts): Checked<SharedRecordDetail[]> {
  if (r.status === 204) return { ok: true, value: [] };
  const c = documented<{ share: SharedRecordDetail[] }>(r, SHARES_SUCCESS);
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
