// GET /{module_api_name}/{record_id}/actions/share: who one record is shared with.
import { SEND, type CallOptions, type ZohoCrmCore } from '../core.js';
import type { ResponseFacts } from '../internal/response.js';
import type { GetSharedRecordDetailsData, SharedRecordDetail } from '../generated/index.js';
import { GET_SHARED_RECORD_DETAILS_SUCCESS } from '../generated/success.js';
import { GET_SHARED_RECORD_DETAILS } from '../generated/zoho.js';
import { InvalidInputError } from '../errors.js';
import { documented, type Checked } from '../shape.js';
import { validateRecordId, validateRevocableModule } from '../validate.js';
import type { ModuleName } from '../validate.js';
import { recordPath, type SamePath } from './common.js';

// The generated constant's path is the generated types' (a type error otherwise).
type Path = SamePath<GetSharedRecordDetailsData, typeof GET_SHARED_RECORD_DETAILS.path>;

/** 200 `{"share": [entries]}`, or 204: the record is shared with no one (`[]`). */
function checkShares(r: ResponseFacts): Checked<SharedRecordDetail[]> {
  if (r.status === 204) return { ok: true, value: [] };
  const c = documented<{ share: SharedRecordDetail[] }>(r, GET_SHARED_RECORD_DETAILS_SUCCESS);
  return c.ok ? { ok: true, value: c.value.share } : c;
}

/** The read's filters (Zoho's query parameters). */
export interface SharedRecordDetailsFilters {
  /** Only this user's entries. */
  sharedTo?: string | bigint;
  /** `summary` or `manage` (Zoho documents no difference in the answer). */
  view?: 'summary' | 'manage';
  /** `true` approved entries, `false` pending ones, `both` (what the spec chooses when absent). */
  approved?: 'true' | 'false' | 'both';
  /** Only the entries of the user the token belongs to. */
  currentUser?: boolean;
}

/** The query of the filters given, checked before any request. */
function filterQuery(input: SharedRecordDetailsFilters): string {
  const q = new URLSearchParams();
  if (input.sharedTo !== undefined) q.set('sharedTo', validateRecordId(input.sharedTo, 'sharedTo'));
  const pick = (field: keyof SharedRecordDetailsFilters, name: string, values: readonly unknown[]) => {
    const v = input[field];
    if (v === undefined) return;
    if (!values.includes(v)) throw new InvalidInputError(field, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
    q.set(name, String(v));
  };
  pick('view', 'view', ['summary', 'manage']);
  pick('approved', 'approved', ['true', 'false', 'both']);
  pick('currentUser', 'current_user', [true, false]);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * Who the record is shared with: one entry per user, role or group (`[]` when no one, or no entry
 * passes the filters), as Zoho sent them once checked against the spec (ids strings; every string
 * redacted of the client's secrets).
 */
export async function getSharedRecordDetails(
  zoho: ZohoCrmCore,
  input: { module: ModuleName; recordId: string | bigint } & SharedRecordDetailsFilters,
  options?: CallOptions,
): Promise<SharedRecordDetail[]> {
  const module = validateRevocableModule(input?.module);
  const id = validateRecordId(input?.recordId);
  const { method, versions } = GET_SHARED_RECORD_DETAILS;
  const path = recordPath(GET_SHARED_RECORD_DETAILS.path, module, id) + filterQuery(input);
  return zoho[SEND]({ operation: 'getSharedRecordDetails', method, path, versions, idempotent: true, accept: checkShares }, options);
}
