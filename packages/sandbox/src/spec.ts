// The one module the sandbox reads the spec through: the operations (method, path, parameters, the
// versions that have them), the named examples each answers with (and under which HTTP status), and
// checks of parameters and request bodies. All of it is generated from the spec by the code generator
// (`src/generated/spec.ts`, the spec dereferenced once, in openapi/), so answering a call reads no file
// and compiles no code: the core runs wherever JavaScript does (Node, workerd, a browser).
import { OPERATION_SPECS, type SchemaError } from './generated/spec.js';
import { API_VERSIONS, OPERATIONS, type OperationId } from './generated/zoho.js';

export type { SchemaError } from './generated/spec.js';

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
  /** Every problem of a JSON request body against its schema (`[]`: it fits), when the operation takes one. */
  validateBody: ((body: unknown) => SchemaError[]) | undefined;
  examples: ReadonlyMap<string, SpecExample>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// A query string carries text: a boolean parameter's `true`/`false` is read as the boolean (OpenAPI's
// form style), anything else is checked as the text it is (and a boolean schema refuses it).
const asSent = (value: string): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export const operations: SpecOperation[] = OPERATION_SPECS.map((op): SpecOperation => {
  const id = op.id as OperationId;
  const check = op.body;
  return {
    id,
    method: op.method,
    segments: op.path.split('/').filter(Boolean),
    versions: new Set(OPERATIONS[id].versions),
    parameters: op.parameters.map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required,
      whenMissing: p.whenMissing,
      whenInvalid: p.whenInvalid,
      validate: (value: string) => {
        const errors: SchemaError[] = [];
        p.check(p.type === 'boolean' ? asSent(value) : value, '', errors);
        return errors.length === 0;
      },
    })),
    validateBody: check
      ? (body: unknown) => {
          const errors: SchemaError[] = [];
          check(body, '', errors);
          return errors;
        }
      : undefined,
    examples: new Map(Object.entries(op.examples).map(([name, ex]) => [name, { name, status: ex.status, body: deepFreeze(structuredClone(ex.body)) }])),
  };
});

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
