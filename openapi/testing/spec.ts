// The spec for tests: load the YAML, compile its schemas with ajv, walk every named response example,
// and check any response against the spec (`@zcrm-sharing/openapi/testing/spec`).
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { deref as derefIn, loadSpec, specPath } from '../scripts/spec.mjs';

export { specPath };

type Json = Record<string, any>;
export const spec: Json = loadSpec().spec;

// The path parameters of the request a body answers, while `validateAnswer` runs (for `x-zoho-echoes`).
let sent: Readonly<Record<string, string>> | undefined;

/** ajv over the spec's schemas; OpenAPI-only keywords are declared, so ajv stays in strict mode. */
export function makeAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajv.addVocabulary(['example', 'x-zoho-limits-per-record']);
  // A value the success echoes from the request: equal to that path parameter when the request is
  // known (`validateAnswer`), unconstrained when only the body is (an example on its own).
  ajv.addKeyword({ keyword: 'x-zoho-echoes', schemaType: 'string', errors: false, validate: (param: string, data: unknown) => sent === undefined || data === sent[param] });
  // `date-time` (shared_time) is checked, not ignored. `.default`: ajv-formats is CommonJS.
  ajvFormats.default(ajv);
  // The spec's component schemas, as $defs of one schema document whose refs point inside it.
  ajv.addSchema({ $id: 'spec.json', $defs: rebase(spec.components.schemas, '#/$defs/') });
  return ajv;
}

const ajv = makeAjv();
const validators = new Map<string, ValidateFunction>();

/** Compiles (once) a validator for a spec schema given as a JSON pointer or a `$ref` object. */
export function validatorFor(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile(rebase(schema, 'spec.json#/$defs/'));
    validators.set(key, v);
  }
  return v;
}

// Rewrites `#/components/schemas/X` refs to `${prefix}X`.
function rebase(node: unknown, prefix: string): any {
  if (Array.isArray(node)) return node.map((n) => rebase(n, prefix));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', prefix) : rebase(v, prefix),
      ]),
    );
  }
  return node;
}

/** Validates `body` against `schema` as the answer to a request with these path parameters. */
export function validateAnswer(schema: Json, body: unknown, params: Readonly<Record<string, string>>): boolean {
  sent = params;
  try {
    return validatorFor(schema)(body) as boolean;
  } finally {
    sent = undefined;
  }
}

/** A `$ref` resolved in the spec (scripts/spec.mjs, as the generator does); any other node as is. */
export const deref = <T = Json>(node: Json): T => derefIn<T>(spec, node);

export interface ExampleCase {
  operationId: string;
  method: string;
  path: string;
  status: string;
  name: string;
  schema: Json;
  value: unknown;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Every named example of every response of every operation. */
export function responseExamples(): ExampleCase[] {
  const out: ExampleCase[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      for (const [status, resRef] of Object.entries<Json>(op.responses)) {
        const res = deref(resRef);
        const media = res.content?.['application/json'];
        if (!media) continue;
        for (const [name, exRef] of Object.entries<Json>(media.examples ?? {})) {
          out.push({
            operationId: op.operationId,
            method: method.toUpperCase(),
            path,
            status,
            name,
            schema: media.schema,
            value: deref(exRef).value,
          });
        }
      }
    }
  }
  return out;
}

export interface RequestExampleCase {
  operationId: string;
  method: string;
  path: string;
  name: string;
  schema: Json;
  value: unknown;
}

/** Every example of every request body: the media type's named ones and its schema's. */
export function requestExamples(): RequestExampleCase[] {
  const out: RequestExampleCase[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op?.requestBody) continue;
      const media = deref(op.requestBody).content?.['application/json'];
      const base = { operationId: op.operationId, method: method.toUpperCase(), path, schema: media.schema };
      for (const [name, exRef] of Object.entries<Json>(media?.examples ?? {})) out.push({ ...base, name, value: deref(exRef).value });
      // The spec keeps a model body's example on its schema (see ShareRequest).
      const schemaExample = deref(media.schema).example;
      if (schemaExample !== undefined) out.push({ ...base, name: 'schema example', value: schemaExample });
    }
  }
  return out;
}

export function operation(operationId: string): { method: string; path: string; op: Json } {
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const method of METHODS) {
      if (item[method]?.operationId === operationId) return { method: method.toUpperCase(), path, op: item[method] };
    }
  }
  throw new Error(`no operation ${operationId} in the spec`);
}

/** Finds the operation for a concrete request path (without the `/crm/{version}` prefix). */
export function matchOperation(method: string, path: string): { path: string; op: Json; params: Record<string, string> } | undefined {
  const pathname = path.split('?')[0]!;
  for (const [template, item] of Object.entries<Json>(spec.paths)) {
    const re = new RegExp(`^${template.replace(/\{([^}]+)\}/g, '(?<$1>[^/]+)')}$`);
    const m = re.exec(pathname);
    if (m && item[method.toLowerCase()]) {
      const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decoded(v)]));
      return { path: template, op: item[method.toLowerCase()], params };
    }
  }
  return undefined;
}

/** A path segment percent-decoded, or as sent when it is not valid percent-encoding (the server refuses it). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Problems with a response against the spec: its status must be documented for the operation and its
 * body must validate. Requests matching no operation (unknown path, wrong method) must answer a bare
 * StatusObject. Returns [] when the response conforms.
 */
export function responseProblems(method: string, path: string, status: number, body: unknown): string[] {
  const match = matchOperation(method, path);
  if (!match) {
    const v = validatorFor({ $ref: '#/components/schemas/StatusObject' });
    return v(body) ? [] : [`${method} ${path} ${status}: not a StatusObject: ${JSON.stringify(v.errors)}`];
  }
  const resRef = match.op.responses[String(status)];
  if (!resRef) return [`${method} ${path}: status ${status} is not documented for ${match.op.operationId}`];
  const res = deref(resRef);
  const media = res.content?.['application/json'];
  if (!media) return body === undefined ? [] : [`${method} ${path} ${status}: the spec documents no body, got one`];
  if (validateAnswer(media.schema, body, match.params)) return [];
  const v = validatorFor(media.schema);
  return [`${method} ${path} ${status}: ${v(body) ? `a value does not echo the request (x-zoho-echoes of ${JSON.stringify(match.params)})` : JSON.stringify(v.errors)} in ${JSON.stringify(body)}`];
}
