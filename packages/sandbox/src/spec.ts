// The one module that reads the spec. A static JSON import, so a bundler can inline it; everything
// the sandbox derives at run time comes from here: the operations (method, path, parameters, the
// versions that have them), the named examples each answers with (and under which HTTP status), and
// validators compiled from the spec's schemas.
import specJson from '@zcrm-sharing/openapi/openapi.json' with { type: 'json' };
import { Ajv, type ValidateFunction } from 'ajv';
import { API_VERSIONS, OPERATIONS, type OperationId } from './generated/zoho.js';

// The spec is JSON; its shape is OpenAPI 3.0, read only through the accessors below.
type Json = any;
const spec: Json = specJson;

export interface SpecParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  /** Named example (of the operation) answered when the parameter is missing. */
  whenMissing: string | undefined;
  /** Named example answered when its value does not fit the schema (or names nothing that exists). */
  whenInvalid: string;
  /** Whether a value (as sent: a string) fits the parameter's schema. */
  validate: (value: string) => boolean;
}

export interface SpecExample {
  name: string;
  status: number;
  /** Deep-frozen: the sandbox sends it as is. */
  body: unknown;
}

export interface SpecOperation {
  id: OperationId;
  method: string;
  /** The template after `/crm/{version}`, split: `['settings', 'data_sharing', ...]` or `['{module_api_name}', ...]`. */
  segments: string[];
  versions: ReadonlySet<string>;
  parameters: SpecParameter[];
  /** Validates the JSON request body, when the operation takes one. */
  validateBody: ValidateFunction | undefined;
  examples: ReadonlyMap<string, SpecExample>;
}

function deref(node: Json): Json {
  if (!node || typeof node.$ref !== 'string') return node;
  return node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((acc: Json, seg: string) => acc[seg.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// The spec's schemas are compiled from the document itself (`spec.json#/components/schemas/X`), so
// their `$ref`s resolve as they are written. OpenAPI-only keywords (`example`, `x-*`) are ignored.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(spec, 'spec.json');
function compile(schema: Json): ValidateFunction {
  if (schema.$ref) return ajv.getSchema(`spec.json${schema.$ref}`)!;
  return ajv.compile(schema);
}

function examplesOf(op: Json): Map<string, SpecExample> {
  const out = new Map<string, SpecExample>();
  for (const [status, ref] of Object.entries<Json>(op.responses)) {
    for (const [name, ex] of Object.entries<Json>(deref(ref).content?.['application/json']?.examples ?? {})) {
      if (out.has(name)) throw new Error(`spec: ${op.operationId} has two examples named ${name}`);
      out.set(name, { name, status: Number(status), body: deepFreeze(structuredClone(deref(ex).value)) });
    }
  }
  return out;
}

// A query string carries text: a boolean parameter's `true`/`false` is read as the boolean (OpenAPI's
// form style), anything else is checked as the text it is (and a boolean schema refuses it).
const asSent = (value: string): unknown => (value === 'true' ? true : value === 'false' ? false : value);

function parameterOf(ref: Json): SpecParameter {
  const p = deref(ref);
  const schema = deref(p.schema);
  const check = compile(p.schema);
  return {
    name: p.name,
    in: p.in,
    required: p.required === true,
    whenMissing: p['x-zoho-error-when-missing'],
    whenInvalid: p['x-zoho-error-when-invalid'],
    validate: schema.type === 'boolean' ? (v) => check(asSent(v)) : (v) => check(v),
  };
}

export const operations: SpecOperation[] = Object.entries<Json>(spec.paths).flatMap(([path, item]) =>
  ['get', 'put', 'post', 'delete', 'patch']
    .filter((m) => item[m])
    .map((m): SpecOperation => {
      const op = item[m];
      const id = op.operationId as OperationId;
      const body = op.requestBody && deref(op.requestBody).content['application/json'].schema;
      return {
        id,
        method: m.toUpperCase(),
        segments: path.split('/').filter(Boolean),
        versions: new Set(OPERATIONS[id].versions),
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map(parameterOf),
        validateBody: body ? compile(body) : undefined,
        examples: examplesOf(op),
      };
    }),
);

export const byId = new Map(operations.map((op) => [op.id, op]));
export const apiVersions: ReadonlySet<string> = new Set(API_VERSIONS);

/** The named example of an operation; a name the spec lacks is a bug here, not a request error. */
export function example(op: SpecOperation, name: string): SpecExample {
  const ex = op.examples.get(name);
  if (!ex) throw new Error(`spec: ${op.id} has no example named ${name}`);
  return ex;
}

export function parameter(op: SpecOperation, name: string): SpecParameter {
  const p = op.parameters.find((x) => x.name === name);
  if (!p) throw new Error(`spec: ${op.id} has no parameter ${name}`);
  return p;
}
