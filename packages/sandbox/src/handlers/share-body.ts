// The body of a share call (POST/PUT .../actions/share), checked against the spec's `ShareRequest`
// schema and answered as Zoho answers: a body without a `share` array is MANDATORY_NOT_FOUND, a bad
// top-level field or too many entries INVALID_DATA (bare), more than one `public` entry
// AMBIGUITY_DURING_PROCESSING (bare); a problem inside an entry is that entry's error, pointing at its
// field with `api_name` and `json_path` (and `regex` for `permission` and `type`), while the other
// entries go on.
import { fail, failField, Reply, type EntryError } from '../reply.js';
import type { RecipientType, SharePermission } from '../seed.js';
import { example, type SchemaError } from '../spec.js';
import type { ApiCall } from './call.js';

export interface ShareRequestEntry {
  shared_with: { type: RecipientType; id: string };
  permission: SharePermission;
  share_related_records?: boolean;
  type: 'private' | 'public';
}

export interface ShareBody {
  /** In request order: the entry when it fits the schema, else its error. */
  entries: (ShareRequestEntry | EntryError)[];
  /** The recipient (`type:id`) each entry names, valid or not; `undefined` when it names none. */
  named: (string | undefined)[];
  notifySharedMembers: boolean;
}

/** `['share', '0', 'shared_with', 'id']` -> `$.share[0].shared_with.id` */
function jsonPath(segments: string[]): string {
  return `$${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('')}`;
}

/** The field a schema error is about: the instance path, plus the missing property of a `required` error. */
function field(e: SchemaError): string[] {
  const segments = e.instancePath.split('/').slice(1);
  if (e.keyword === 'required') segments.push((e.params as { missingProperty: string }).missingProperty);
  return segments;
}

const apiName = (segments: string[]) => [...segments].reverse().find((s) => !/^\d+$/.test(s)) ?? 'share';

// An entry's own `permission` or `type` with a value outside its enum: Zoho adds the `regex` it expects.
const WITH_REGEX: Readonly<Record<string, string>> = { permission: 'INVALID_DATA_PERMISSION', type: 'INVALID_DATA_TYPE' };

/** The error of one entry, from the first schema problem found in it. */
function entryError(e: SchemaError, segments: string[]): EntryError {
  const own = segments.length === 3 ? WITH_REGEX[segments[2]!] : undefined;
  const name = e.keyword === 'required' ? 'MANDATORY_NOT_FOUND_ENTRY' : (own ?? 'INVALID_DATA_ENTRY');
  return { example: name, apiName: apiName(segments), jsonPath: jsonPath(segments) };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The answer to more than one `public` entry: the example, naming each public entry's `type`. */
function ambiguous(call: ApiCall, indexes: number[]): Reply {
  const ex = example(call.op, 'AMBIGUITY_DURING_PROCESSING');
  const body = ex.body as { details: object };
  const ambiguity_due_to = indexes.map((i) => ({ api_name: 'type', json_path: `$.share[${i}].type` }));
  return new Reply(ex.status, { ...body, details: { ...body.details, ambiguity_due_to } }, {}, ex.name);
}

/** The entries of the body, each valid or its error; a problem with the request as a whole throws its Reply. */
export function shareBody(call: ApiCall): ShareBody {
  let body: unknown;
  try {
    body = call.body ? JSON.parse(call.body) : undefined;
  } catch {
    body = undefined;
  }
  if (!isObject(body)) throw fail(call.op, 'MANDATORY_NOT_FOUND');
  const perEntry = new Map<number, EntryError>();
  for (const e of call.op.validateBody!(body)) {
    const segments = field(e);
    if (segments[0] !== 'share' || segments.length === 1) {
      // About the body itself or its `share` array as a whole: answered bare, first problem only.
      if (segments[0] === 'share' && e.keyword === 'maxItems') throw fail(call.op, 'INVALID_DATA_TOO_MANY_ENTRIES');
      if (segments[0] === 'share' && (e.keyword === 'required' || e.keyword === 'minItems')) throw fail(call.op, 'MANDATORY_NOT_FOUND');
      throw failField(call.op, 'INVALID_DATA_BODY', apiName(segments), jsonPath(segments));
    }
    const index = Number(segments[1]);
    if (!perEntry.has(index)) perEntry.set(index, entryError(e, segments));
  }
  const raw = body.share as unknown[];
  // Two public shares of one record cannot both hold: Zoho refuses the call before any entry.
  const publicAt = raw.flatMap((r, i) => (isObject(r) && r.type === 'public' ? [i] : []));
  if (publicAt.length > 1) throw ambiguous(call, publicAt);
  return {
    entries: raw.map((r, i) => perEntry.get(i) ?? (r as ShareRequestEntry)),
    named: raw.map((r) => {
      const to = isObject(r) ? r.shared_with : undefined;
      return isObject(to) && typeof to.type === 'string' && typeof to.id === 'string' ? `${to.type}:${to.id}` : undefined;
    }),
    notifySharedMembers: body.notify_shared_members === true,
  };
}
