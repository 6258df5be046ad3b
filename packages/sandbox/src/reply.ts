// What a handler answers. Every error of Zoho's API is one of the spec's named examples (`fail`),
// so its status and body are the spec's; `example` names it, for tests and for onResponse.
import { example, type SpecOperation } from './spec.js';

export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
    /** The spec example this reply is (or is built from), when it is one. */
    readonly example?: string,
  ) {}
}

/** The operation's named example `name`, with its status: the only way the API answers an error. */
export function fail(op: SpecOperation, name: string, headers: Record<string, string> = {}): Reply {
  const ex = example(op, name);
  return new Reply(ex.status, ex.body, headers, name);
}

/** A per-entry error of a share call: the named example's item, pointing at the entry's field. */
export interface EntryError {
  example: string;
  apiName?: string;
  jsonPath?: string;
}

/** One entry's outcome: applied (`SUCCESS`, the 201 example's item) or its error. */
export type EntryResult = 'SUCCESS' | EntryError;

/** The named example's item, with `details.api_name` and `details.json_path` set to the field at fault. */
function entryItem(op: SpecOperation, e: EntryError): unknown {
  const item = (example(op, e.example).body as { share: { details: Record<string, unknown> }[] }).share[0]!;
  const details = { ...item.details };
  if (e.apiName !== undefined) details.api_name = e.apiName;
  if (e.jsonPath !== undefined) details.json_path = e.jsonPath;
  return { ...item, details };
}

/**
 * `{ share: [...] }`, one item per entry in request order, each the named example's item (nothing else
 * differs from it). Its status follows from what applied: every entry 201, some 207, none the errors'
 * status (400).
 */
export function entryResults(op: SpecOperation, results: EntryResult[]): Reply {
  const success = example(op, 'SUCCESS');
  const errors = results.filter((r): r is EntryError => r !== 'SUCCESS');
  const items = results.map((r) => (r === 'SUCCESS' ? (success.body as { share: unknown[] }).share[0] : entryItem(op, r)));
  const status = errors.length === 0 ? success.status : errors.length === results.length ? example(op, errors[0]!.example).status : example(op, 'PARTIAL').status;
  return new Reply(status, { share: items }, {}, results.map((r) => (r === 'SUCCESS' ? r : r.example)).join(','));
}

/** A request-level error pointing at one field of the body (the example's `api_name`/`json_path` replaced). */
export function failField(op: SpecOperation, name: string, apiName: string, jsonPath: string): Reply {
  const ex = example(op, name);
  const body = ex.body as { details: Record<string, unknown> };
  return new Reply(ex.status, { ...body, details: { ...body.details, api_name: apiName, json_path: jsonPath } }, {}, name);
}
