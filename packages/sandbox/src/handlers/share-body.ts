// The body of a share call (POST/PUT .../actions/share), checked against the spec's `ShareRequest`
// schema and answered as Zoho answers: a body without a `share` array is MANDATORY_NOT_FOUND, a bad
// top-level field or too many entries INVALID_DATA (bare); problems inside entries come per entry,
// each pointing at its field with `api_name` and `json_path`.
import type { ErrorObject } from 'ajv';
import { fail, failEntries, failField, type EntryError } from '../reply.js';
import type { RecipientType, SharePermission } from '../seed.js';
import type { ApiCall } from './call.js';

export interface ShareRequestEntry {
  shared_with: { type: RecipientType; id: string };
  permission: SharePermission;
  share_related_records?: boolean;
  type: 'private' | 'public';
}

/** `/share/0/shared_with/id` -> `$.share[0].shared_with.id` */
function jsonPath(segments: string[]): string {
  return `$${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('')}`;
}

/** The field an ajv error is about: the instance path, plus the missing property of a `required` error. */
function field(e: ErrorObject): string[] {
  const segments = e.instancePath.split('/').slice(1);
  if (e.keyword === 'required') segments.push((e.params as { missingProperty: string }).missingProperty);
  return segments;
}

const apiName = (segments: string[]) => [...segments].reverse().find((s) => !/^\d+$/.test(s)) ?? 'share';

/** The entries of a valid body; otherwise throws the Reply Zoho would send. */
export function shareEntries(call: ApiCall): ShareRequestEntry[] {
  let body: unknown;
  try {
    body = call.body ? JSON.parse(call.body) : undefined;
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw fail(call.op, 'MANDATORY_NOT_FOUND');
  const validate = call.op.validateBody!;
  if (validate(body)) return (body as { share: ShareRequestEntry[] }).share;

  const errors = validate.errors ?? [];
  const perEntry = new Map<number, EntryError>();
  for (const e of errors) {
    const segments = field(e);
    if (segments[0] !== 'share' || segments.length === 1) {
      // About the body itself or its `share` array as a whole: answered bare, first problem only.
      if (segments[0] === 'share' && e.keyword === 'maxItems') throw fail(call.op, 'INVALID_DATA_TOO_MANY_ENTRIES');
      if (segments[0] === 'share' && (e.keyword === 'required' || e.keyword === 'minItems')) throw fail(call.op, 'MANDATORY_NOT_FOUND');
      throw failField(call.op, 'INVALID_DATA_BODY', apiName(segments), jsonPath(segments));
    }
    const index = Number(segments[1]);
    if (!perEntry.has(index)) {
      perEntry.set(index, {
        example: e.keyword === 'required' ? 'MANDATORY_NOT_FOUND_ENTRY' : 'INVALID_DATA_ENTRY',
        apiName: apiName(segments),
        jsonPath: jsonPath(segments),
      });
    }
  }
  throw failEntries(call.op, [...perEntry.entries()].sort(([a], [b]) => a - b).map(([, err]) => err));
}
