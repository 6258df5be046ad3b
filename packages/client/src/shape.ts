// The small combinators the generated success checks (src/generated/success.ts, written by
// openapi/scripts/generate.mjs from the spec's success schemas) are built from, and `documented`,
// which holds an answer to its operation's success. test/responses.test.ts holds them to the spec:
// every example, generated and enumerated changes of each success example on which these checks and
// ajv running the spec's schema must agree.
import { isObject, type ResponseFacts } from './internal/response.js';

/** The request's path parameters, for the values a success must echo (`x-zoho-echoes`). */
export type Sent = Readonly<Record<string, string>>;

/** What a value must be: returns undefined when it is, else `<path below it> is not <what>`. */
export type Shape = (v: unknown, sent?: Sent) => string | undefined;

/** An operation's documented success: its HTTP status and the exact shape of its JSON body. */
export interface Success {
  status: number;
  shape: Shape;
}

/** Either the value the call resolves with, or why the answer is not the documented success. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const is = (what: string, ok: boolean) => (ok ? undefined : ` is not ${what}`);
/** `p`, a problem below `at`, with its path: `share.details.id is not ...`, `share[0] is not ...`. */
const below = (at: string, p: string) => `${at}${/^[ []/.test(p) ? '' : '.'}${p}`;

/** A string, matching `pattern` when given, of `minLength` to `maxLength` characters. */
/* @__NO_SIDE_EFFECTS__ */
export function text(pattern?: RegExp, maxLength = Infinity, minLength = 0): Shape {
  const what = pattern ? `a string matching ${pattern.source}` : 'a string';
  // A JSON number is named as such: where an id belongs, JSON.parse has already lost its digits past 2^53
  // (the error's body snippet shows them as the server wrote them).
  return (v) => (typeof v === 'number' ? ' is a JSON number, not a string (ids exceed 2^53)' : is(what, typeof v === 'string' && v.length <= maxLength && v.length >= minLength && (!pattern || pattern.test(v))));
}
/** One of these strings (a schema's enum; one value: a constant). */
/* @__NO_SIDE_EFFECTS__ */
export function oneOf(values: readonly string[]): Shape {
  // The message is made only for a value that is not one of them (this runs on every answer).
  return (v) => (values.includes(v as string) ? undefined : ` is not one of ${values.join(', ')}`);
}
export const bool: Shape = (v) => is('a boolean', typeof v === 'boolean');
export const count: Shape = (v) => is('an integer >= 0', Number.isInteger(v) && (v as number) >= 0);

/** An array of `minItems` to `maxItems` items, each of `item`. */
/* @__NO_SIDE_EFFECTS__ */
export function list(item: Shape, minItems = 0, maxItems = Infinity): Shape {
  return (v, sent) => {
    if (!Array.isArray(v) || v.length < minItems || v.length > maxItems) return ` is not an array of ${minItems}${maxItems < Infinity ? ` to ${maxItems}` : ' or more'} items`;
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i], sent);
      if (p) return below(`[${i}]`, p);
    }
    return undefined;
  };
}

/** An object with the `required` keys and the `optional` ones when present; when `closed`, no other. */
/* @__NO_SIDE_EFFECTS__ */
export function object(required: Record<string, Shape>, optional: Record<string, Shape> = {}, closed = false): Shape {
  return (v, sent) => {
    if (!isObject(v)) return ' is not an object';
    let p: string | undefined;
    for (const key in required) if ((p = required[key]!(v[key], sent))) return below(key, p);
    for (const key in optional) if (Object.hasOwn(v, key) && (p = optional[key]!(v[key], sent))) return below(key, p);
    // for-in, not Object.keys: no array per object on every answer (JSON.parse makes own keys only).
    if (closed) for (const key in v) if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) return `${JSON.stringify(key)} is not documented here`;
    return undefined;
  };
}

/** `shape`, and equal to the path parameter `param` of the request (the spec's `x-zoho-echoes`). */
/* @__NO_SIDE_EFFECTS__ */
export function echo(param: string, shape: Shape): Shape {
  return (v, sent) => shape(v, sent) ?? (v === sent?.[param] ? undefined : ` is not the ${param} sent`);
}

/** Why `v` does not have the shape, naming the path ("share.details.id is not ..."), or undefined. */
export function shapeProblem(v: unknown, shape: Shape, sent?: Sent): string | undefined {
  const p = shape(v, sent);
  return p && (p.startsWith(' ') ? `the body${p}` : p);
}

/** The documented success: its status and a JSON body of exactly its shape, or why not. */
export function documented<T>(r: ResponseFacts, success: Success, sent?: Sent): Checked<T> {
  const problem =
    r.status !== success.status
      ? `HTTP ${r.status} is not the documented ${success.status}`
      : !/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(r.header('content-type') ?? '')
        ? 'the Content-Type is not JSON'
        : r.json === undefined
          ? r.text
            ? 'the body is not valid JSON'
            : 'the body is empty'
          : shapeProblem(r.json, success.shape, sent);
  return problem ? { ok: false, problem } : { ok: true, value: r.json as T };
}

export const refused = (problem: string) => ({ ok: false, problem }) as const;
