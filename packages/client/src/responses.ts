// Run-time checks of the documented successes. `SUCCESS_SCHEMAS` restates the spec's 200 schemas
// (ShareEnvelope, SharingRulesEnvelope, SharingRulesSummaryEnvelope) in a compact form;
// test/responses.test.ts holds it to the spec with every example and mutations of them. On top of
// the shape come the rules a schema cannot state: the status is `success`, the id is the one sent,
// the summary is the requested module's.
import { isObject, type OperationName, type ResponseFacts } from './errors.js';
import type { SharingRulesSummary, StatusObject } from './generated/index.js';
import { printable, zohoCode } from './redact.js';
import { MODULE_NAME, RECORD_ID } from './validate.js';

/** Either the value the call resolves with, or why the answer is not the documented success. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * 's' a string, 'b' a boolean, 'n' an integer >= 0, a RegExp a string matching it, `[item, minItems]`
 * an array, an object an object with those keys (`key?`: optional) and any others.
 */
export type Schema = 's' | 'b' | 'n' | RegExp | [Schema, number] | { [key: string]: Schema };

const STATUS_OBJECT: Schema = {
  code: 's',
  details: {
    'id?': RECORD_ID,
    'resource_path_index?': 'n',
    'param_name?': 's',
    'param?': 's',
    'api_name?': 's',
    'json_path?': 's',
    'permissions?': ['s', 0],
    'limit?': 'n',
    'maximum_length?': 'n',
  },
  message: 's',
  status: /^(success|error)$/,
};
export const SUCCESS_SCHEMAS: Record<OperationName, Schema> = {
  revokeSharedRecord: { share: STATUS_OBJECT },
  rerunDataSharingRules: { sharing_rules: [STATUS_OBJECT, 1] },
  getDataSharingRulesSummary: {
    sharing_rules_summary: [{ module: { api_name: MODULE_NAME, id: RECORD_ID }, rule_computation_status: 'b', rule_count: 'n' }, 0],
  },
};

type Json = Record<string, any>;

const KINDS = { s: 'a string', b: 'a boolean', n: 'an integer >= 0' };

/** Why `v` does not match `schema` (naming the path), or undefined. */
export function schemaProblem(v: unknown, schema: Schema): string | undefined {
  const p = mismatch(v, schema);
  return p && `${p[0] ? p[0].replace(/^\./, '') : 'the body'} is not ${p[1]}`;
}

// [path below `v`, what was expected there]; the path is built only on the way back from a mismatch.
function mismatch(v: unknown, schema: Schema): [string, string] | undefined {
  if (schema instanceof RegExp) return typeof v === 'string' && schema.test(v) ? undefined : ['', `a string matching ${schema.source}`];
  if (typeof schema === 'string') {
    const ok = schema === 's' ? typeof v === 'string' : schema === 'b' ? typeof v === 'boolean' : Number.isInteger(v) && (v as number) >= 0;
    return ok ? undefined : ['', KINDS[schema]];
  }
  if (Array.isArray(schema)) {
    if (!Array.isArray(v) || v.length < schema[1]) return ['', `an array of at least ${schema[1]} items`];
    for (let i = 0; i < v.length; i++) {
      const p = mismatch(v[i], schema[0]);
      if (p) return [`[${i}]${p[0]}`, p[1]];
    }
    return undefined;
  }
  if (!isObject(v)) return ['', 'an object'];
  for (const [key, optional, sub] of propertiesOf(schema)) {
    if (optional && !(key in v)) continue;
    const p = mismatch(v[key], sub);
    if (p) return [`.${key}${p[0]}`, p[1]];
  }
  return undefined;
}

// An object schema's properties as [key, optional, schema], worked out once (this runs on every answer).
const properties = new WeakMap<object, [string, boolean, Schema][]>();
function propertiesOf(schema: { [key: string]: Schema }): [string, boolean, Schema][] {
  let list = properties.get(schema);
  if (!list) properties.set(schema, (list = Object.entries(schema).map(([k, sub]) => [k.replace(/\?$/, ''), k.endsWith('?'), sub])));
  return list;
}

/** The documented 200 with a JSON body of the operation's schema, or why not. */
function documented(r: ResponseFacts, operation: OperationName): Checked<Json> {
  let problem = schemaProblem(r.json, SUCCESS_SCHEMAS[operation]);
  if (r.status !== 200) problem = `HTTP ${r.status} is not the documented 200`;
  else if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(r.contentType)) problem = 'the Content-Type is not JSON';
  else if (r.json === undefined) problem = r.text ? 'the body is not valid JSON' : 'the body is empty';
  else if (problem && /\.id /.test(problem)) {
    // A JSON number where an id belongs, as the server wrote it: JSON.parse has already lost digits.
    const digits = /"id"\s*:\s*(-?\d[\d.eE+-]*)/.exec(r.text)?.[1];
    if (digits) problem += ` (the JSON number ${digits}: refused, never converted, since ids exceed 2^53)`;
  }
  return problem ? { ok: false, problem } : { ok: true, value: r.json as Json };
}

const statusObject = (s: Json): StatusObject => ({ code: zohoCode(s.code), details: s.details, message: printable(s.message, 300), status: s.status });
const no = (problem: string) => ({ ok: false, problem }) as const;

/** 200 `{"share": {status: "success", details: {id}}}` with the id sent, as a string. */
export function checkRevoke(r: ResponseFacts, recordId: string): Checked<StatusObject & { details: { id: string } }> {
  const c = documented(r, 'revokeSharedRecord');
  if (!c.ok) return c;
  const { share } = c.value;
  if (share.status !== 'success') return no('share.status is not "success"');
  if (share.details.id !== recordId) return no(`share.details.id is ${share.details.id ?? 'missing'}, not the record sent (${recordId})`);
  return { ok: true, value: statusObject(share) as StatusObject & { details: { id: string } } };
}

/** 200 `{"sharing_rules": [success...]}`, or 204: the module has no rules (`null`). */
export function checkRerun(r: ResponseFacts): Checked<StatusObject | null> {
  if (r.status === 204) return { ok: true, value: null };
  const c = documented(r, 'rerunDataSharingRules');
  if (!c.ok) return c;
  const items: Json[] = c.value.sharing_rules;
  if (items.some((s) => s.status !== 'success')) return no('an item of sharing_rules is not a success');
  return { ok: true, value: statusObject(items[0]!) };
}

/** 200 with the requested module's entry, or 204: the module has no rules (`null`). */
export function checkSummary(r: ResponseFacts, module: string): Checked<SharingRulesSummary | null> {
  if (r.status === 204) return { ok: true, value: null };
  const c = documented(r, 'getDataSharingRulesSummary');
  if (!c.ok) return c;
  // Without regard to case, so that a caller's `leads` finds `Leads`; another module is still refused.
  const entry = (c.value.sharing_rules_summary as SharingRulesSummary[]).find((s) => s.module.api_name.toLowerCase() === module.toLowerCase());
  if (!entry) return no(`sharing_rules_summary has no entry for ${module}`);
  const { module: m, rule_computation_status, rule_count } = entry;
  return { ok: true, value: { module: { api_name: m.api_name, id: m.id }, rule_computation_status, rule_count } };
}
