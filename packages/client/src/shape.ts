// Run-time checks of the documented successes, restating the spec's 200 schemas with a few small
// combinators (each operation's module holds its own, so an app carries only the ones it calls).
// test/responses.test.ts holds them to the spec: every example, and mutations of each success
// example on which these checks and ajv running the spec's schema must agree.
import { isObject, type ResponseFacts } from './internal/response.js';
import { MODULE_API_NAME, RECORD_ID } from './generated/zoho.js';

/** What a value must be: returns undefined when it is, else `<path below it> is not <what>`. */
export type Shape = (v: unknown) => string | undefined;

/** Either the value the call resolves with, or why the answer is not the documented success. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const is = (what: string, ok: boolean) => (ok ? undefined : ` is not ${what}`);
/** `p`, a problem below `at`, with its path: `share.details.id is not ...`, `share[0] is not ...`. */
const below = (at: string, p: string) => `${at}${p.startsWith(' ') || p.startsWith('[') ? '' : '.'}${p}`;

/** A string, matching `pattern` when given, of at most `maxLength` characters. */
/* @__NO_SIDE_EFFECTS__ */
export function text(pattern?: RegExp, maxLength = Infinity): Shape {
  const what = pattern ? `a string matching ${pattern.source}${maxLength < Infinity ? `, at most ${maxLength} long` : ''}` : 'a string';
  return (v) => is(what, typeof v === 'string' && v.length <= maxLength && (!pattern || pattern.test(v)));
}
/** One of these strings (a schema's enum). */
/* @__NO_SIDE_EFFECTS__ */
export function oneOf(values: readonly string[]): Shape {
  return (v) => is(`one of ${values.join(', ')}`, values.includes(v as string));
}
export const bool: Shape = (v) => is('a boolean', typeof v === 'boolean');
export const count: Shape = (v) => is('an integer >= 0', Number.isInteger(v) && (v as number) >= 0);

/** An array of at least `minItems` items, each of `item`. */
/* @__NO_SIDE_EFFECTS__ */
export function list(item: Shape, minItems = 0): Shape {
  return (v) => {
    if (!Array.isArray(v) || v.length < minItems) return ` is not an array of at least ${minItems} items`;
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i]);
      if (p) return below(`[${i}]`, p);
    }
    return undefined;
  };
}

/** An object with the `required` keys, the `optional` ones when present, and any others. */
/* @__NO_SIDE_EFFECTS__ */
export function object(required: Record<string, Shape>, optional: Record<string, Shape> = {}): Shape {
  const keys = [...Object.entries(required), ...Object.entries(optional)];
  const count = Object.keys(required).length;
  return (v) => {
    if (!isObject(v)) return ' is not an object';
    for (let i = 0; i < keys.length; i++) {
      const [key, shape] = keys[i]!;
      if (i >= count && !(key in v)) continue;
      const p = shape(v[key]);
      if (p) return below(key, p);
    }
    return undefined;
  };
}

/** Why `v` does not have the shape, naming the path ("share.details.id is not ..."), or undefined. */
export function shapeProblem(v: unknown, shape: Shape): string | undefined {
  const p = shape(v);
  return p && (p.startsWith(' ') ? `the body${p}` : p);
}

export const recordId = text(RECORD_ID.pattern, RECORD_ID.maxLength);
/** A module API name (made where it is used, so that an app that does not use it does not carry it). */
/* @__NO_SIDE_EFFECTS__ */
export function moduleName(): Shape {
  return text(MODULE_API_NAME.pattern, MODULE_API_NAME.maxLength);
}

/** The spec's StatusObject (with StatusDetails' typed keys). */
export const STATUS_OBJECT = object({
  code: text(),
  details: object(
    {},
    {
      id: recordId,
      resource_path_index: count,
      param_name: text(),
      param: text(),
      api_name: text(),
      json_path: text(),
      permissions: list(text()),
      limit: count,
      maximum_length: count,
    },
  ),
  message: text(),
  status: oneOf(['success', 'error']),
});

/** The documented 200: a JSON body of the operation's shape, or why not. */
export function documented<T>(r: ResponseFacts, shape: Shape): Checked<T> {
  let problem: string | undefined;
  if (r.status !== 200) problem = `HTTP ${r.status} is not the documented 200`;
  else if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(r.header('content-type') ?? '')) problem = 'the Content-Type is not JSON';
  else if (r.json === undefined) problem = r.text ? 'the body is not valid JSON' : 'the body is empty';
  else if ((problem = shapeProblem(r.json, shape)) && /id is not/.test(problem)) {
    // A JSON number where an id belongs, as the server wrote it: JSON.parse has already lost digits.
    const digits = /"id"\s*:\s*(-?\d[\d.eE+-]*)/.exec(r.text)?.[1];
    if (digits) problem += ` (the JSON number ${digits}: refused, ids exceed 2^53)`;
  }
  return problem ? { ok: false, problem } : { ok: true, value: r.json as T };
}

export const refused = (problem: string) => ({ ok: false, problem }) as const;
