// The route table, built from the spec's paths: which operation a request under `/crm/{version}/`
// is, or which named example Zoho answers instead (404 INVALID_URL_PATTERN for a URL or version that
// has no such operation, 400 INVALID_REQUEST_METHOD for a method the path lacks).
import { fail, type Reply } from './reply.js';
import { apiVersions, operations, type SpecOperation } from './spec.js';

export interface Route {
  op: SpecOperation;
  /** Path parameters, percent-decoded; `undefined` when a segment cannot be decoded (bad `%` escapes). */
  params: Record<string, string | undefined>;
}

interface PathItem {
  segments: string[];
  byMethod: Map<string, SpecOperation>;
  /** The first operation of the path: its examples answer a wrong method. */
  first: SpecOperation;
  /** Literal segments first: `/settings/...` wins over `/{module_api_name}/...`. */
  literals: number;
}

const items: PathItem[] = [];
for (const op of operations) {
  const key = op.segments.join('/');
  let item = items.find((i) => i.segments.join('/') === key);
  if (!item) items.push((item = { segments: op.segments, byMethod: new Map(), first: op, literals: op.segments.filter((s) => !s.startsWith('{')).length }));
  item.byMethod.set(op.method, op);
}
items.sort((a, b) => b.literals - a.literals);

const isParam = (s: string) => s.startsWith('{');

function matches(item: PathItem, raw: string[]): boolean {
  return item.segments.length === raw.length && item.segments.every((s, i) => isParam(s) || s === raw[i]);
}

/** The operation whose URL is closest to a request that matched none: its INVALID_URL_PATTERN answers. */
function nearest(raw: string[]): SpecOperation {
  let best = items[0]!;
  let bestScore = [-1, -1];
  for (const item of items) {
    let literal = 0;
    let param = 0;
    for (let i = 0; i < Math.min(raw.length, item.segments.length); i++) {
      const s = item.segments[i]!;
      if (isParam(s)) param++;
      else if (s === raw[i]) literal++;
      else break;
    }
    if (literal > bestScore[0]! || (literal === bestScore[0] && param > bestScore[1]!)) [best, bestScore] = [item, [literal, param]];
  }
  return best.first;
}

/** A path segment percent-decoded, or undefined when its escapes are invalid. */
export function decode(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Zoho's answer to a URL it does not serve: INVALID_URL_PATTERN, as the nearest operation words it. */
export const notFound = (raw: string[]): Reply => fail(nearest(raw), 'INVALID_URL_PATTERN');

/** `raw`: the path segments after `/crm/{version}/`, still percent-encoded. */
export function resolve(method: string, version: string, raw: string[]): Route | Reply {
  const item = apiVersions.has(version) ? items.find((i) => matches(i, raw)) : undefined;
  if (!item) return notFound(raw);
  const op = item.byMethod.get(method);
  if (!op) {
    // A version without this path at all is a wrong URL before it is a wrong method.
    const exists = [...item.byMethod.values()].some((o) => o.versions.has(version));
    return fail(item.first, exists ? 'INVALID_REQUEST_METHOD' : 'INVALID_URL_PATTERN');
  }
  if (!op.versions.has(version)) return fail(op, 'INVALID_URL_PATTERN');
  const params: Record<string, string | undefined> = {};
  for (let i = 0; i < item.segments.length; i++) {
    const s = item.segments[i]!;
    if (isParam(s)) params[s.slice(1, -1)] = decode(raw[i]!);
  }
  return { op, params };
}
