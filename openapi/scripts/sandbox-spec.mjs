// Renders the sandbox's src/generated/spec.ts: what the sandbox answers from, taken from the spec once,
// here, so the code that answers a call reads no file, parses no YAML and compiles no code (workerd
// refuses `new Function`, which ajv's compile needs):
//  - each operation: method, path, versions come from zoho.ts; its parameters with the named example
//    Zoho answers when one is missing or invalid (`x-zoho-error-when-*`) and a check of the value;
//    its request body's check; its named response examples with their status (deep-frozen);
//  - the checks: one function per component schema a parameter or a request body uses, reporting
//    problems as ajv does (`instancePath`, `keyword`, `params`; every problem, properties in the
//    schema's order), so the sandbox points at the offending field as Zoho does.
// Called by generate.mjs; pure: spec object in, TypeScript text out. A schema keyword this renderer
// does not know fails the generation: a check must never be looser than its schema.
import { deref, refName } from './spec.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const ANNOTATIONS = new Set(['description', 'example', 'title', 'default']);
const KNOWN = new Set(['$ref', 'type', 'enum', 'pattern', 'minLength', 'maxLength', 'required', 'properties', 'additionalProperties', 'items', 'minItems', 'maxItems', 'minimum']);
const TYPE_TEST = {
  string: (d) => `typeof ${d} === 'string'`,
  boolean: (d) => `typeof ${d} === 'boolean'`,
  integer: (d) => `Number.isInteger(${d})`,
  number: (d) => `typeof ${d} === 'number' && Number.isFinite(${d})`,
  object: (d) => `isObject(${d})`,
  array: (d) => `Array.isArray(${d})`,
};

/** @param {any} spec the parsed spec  @param {string} sha256 of its YAML */
export function renderSandboxSpec(spec, sha256) {
  const functions = new Map(); // component name -> its function's text
  let counter = 0;

  /** Statements checking `d` (an expression) at instance path `p` (an expression), pushing to `e`. */
  function body(node, d, p, where) {
    const name = refName(node);
    if (name) {
      component(name);
      return [`check${name}(${d}, ${p}, e);`];
    }
    for (const k of Object.keys(node)) {
      if (!KNOWN.has(k) && !ANNOTATIONS.has(k) && !k.startsWith('x-')) throw new Error(`${where}: the sandbox's checks do not know the keyword ${k}`);
    }
    const out = [];
    const inner = [];
    if (node.enum) inner.push(`if (!${JSON.stringify(node.enum)}.includes(${d} as never)) e.push({ instancePath: ${p}, keyword: 'enum', params: { allowedValues: ${JSON.stringify(node.enum)} } });`);
    if (node.type === 'string') {
      if (node.minLength !== undefined) inner.push(`if ([...${d}].length < ${node.minLength}) e.push({ instancePath: ${p}, keyword: 'minLength', params: { limit: ${node.minLength} } });`);
      if (node.maxLength !== undefined) inner.push(`if ([...${d}].length > ${node.maxLength}) e.push({ instancePath: ${p}, keyword: 'maxLength', params: { limit: ${node.maxLength} } });`);
      if (node.pattern !== undefined) inner.push(`if (!${new RegExp(node.pattern, 'u')}.test(${d})) e.push({ instancePath: ${p}, keyword: 'pattern', params: { pattern: ${JSON.stringify(node.pattern)} } });`);
    } else if (node.type === 'integer' || node.type === 'number') {
      if (node.minimum !== undefined) inner.push(`if (${d} < ${node.minimum}) e.push({ instancePath: ${p}, keyword: 'minimum', params: { limit: ${node.minimum} } });`);
    } else if (node.type === 'object') {
      const o = `o${counter++}`;
      inner.push(`const ${o} = ${d} as Record<string, unknown>;`);
      for (const r of node.required ?? []) inner.push(`if (!Object.hasOwn(${o}, ${JSON.stringify(r)})) e.push({ instancePath: ${p}, keyword: 'required', params: { missingProperty: ${JSON.stringify(r)} } });`);
      for (const [prop, schema] of Object.entries(node.properties ?? {})) {
        const v = `${o}[${JSON.stringify(prop)}]`;
        inner.push(`if (Object.hasOwn(${o}, ${JSON.stringify(prop)})) {`, ...body(schema, v, `${p} + ${JSON.stringify(`/${prop}`)}`, `${where}.${prop}`).map((l) => `  ${l}`), '}');
      }
      if (node.additionalProperties === false) {
        inner.push(`for (const k of Object.keys(${o})) if (!${JSON.stringify(Object.keys(node.properties ?? {}))}.includes(k)) e.push({ instancePath: ${p}, keyword: 'additionalProperties', params: { additionalProperty: k } });`);
      } else if (node.additionalProperties !== undefined && node.additionalProperties !== true) {
        throw new Error(`${where}: additionalProperties must be true or false here`);
      }
    } else if (node.type === 'array') {
      if (node.minItems !== undefined) inner.push(`if (${d}.length < ${node.minItems}) e.push({ instancePath: ${p}, keyword: 'minItems', params: { limit: ${node.minItems} } });`);
      if (node.maxItems !== undefined) inner.push(`if (${d}.length > ${node.maxItems}) e.push({ instancePath: ${p}, keyword: 'maxItems', params: { limit: ${node.maxItems} } });`);
      if (node.items) {
        const [x, i] = [`x${counter}`, `i${counter++}`];
        inner.push(`${d}.forEach((${x}: unknown, ${i}: number) => {`, ...body(node.items, x, `\`\${${p}}/\${${i}}\``, `${where}[]`).map((l) => `  ${l}`), '});');
      }
    } else if (node.type !== 'boolean' && node.type !== undefined) {
      throw new Error(`${where}: the sandbox's checks do not know the type ${node.type}`);
    }
    if (node.type) {
      out.push(`if (!(${TYPE_TEST[node.type](d)})) e.push({ instancePath: ${p}, keyword: 'type', params: { type: '${node.type}' } });`);
      if (inner.length) out.push('else {', ...inner.map((l) => `  ${l}`), '}');
    } else {
      out.push(...inner);
    }
    return out;
  }

  function component(name) {
    if (functions.has(name)) return;
    functions.set(name, ''); // reserved: a schema that refers to itself calls the function being written
    const lines = body(deref(spec, { $ref: `#/components/schemas/${name}` }), 'd', 'p', name);
    functions.set(name, [`function check${name}(d: unknown, p: string, e: SchemaError[]): void {`, ...lines.map((l) => `  ${l}`), '}'].join('\n'));
  }

  // Each example body once (operations share response components): a constant per components/examples entry.
  const exampleBodies = new Map();
  function exampleConstant(ex, where) {
    const name = refName(ex);
    if (!name) throw new Error(`${where}: the sandbox's examples are components/examples entries, referenced`);
    if (!exampleBodies.has(name)) exampleBodies.set(name, JSON.stringify(deref(spec, ex).value));
    return `EXAMPLE_${name}`;
  }

  /** A check function expression for a schema: a component's own, or an inline one. */
  function checkOf(schema, where) {
    const name = refName(schema);
    if (name) {
      component(name);
      return `check${name}`;
    }
    return [`(d: unknown, p: string, e: SchemaError[]): void => {`, ...body(schema, 'd', 'p', where).map((l) => `  ${l}`), '}'].join('\n');
  }

  const operations = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((ref) => {
        const p = deref(spec, ref);
        return [
          '{',
          `  name: ${JSON.stringify(p.name)},`,
          `  in: ${JSON.stringify(p.in)},`,
          `  required: ${p.required === true},`,
          `  type: ${JSON.stringify(deref(spec, p.schema).type ?? 'string')},`,
          `  whenMissing: ${JSON.stringify(p['x-zoho-error-when-missing'])},`,
          `  whenInvalid: ${JSON.stringify(p['x-zoho-error-when-invalid'])},`,
          `  check: ${checkOf(p.schema, `${op.operationId} ${p.name}`).replaceAll('\n', '\n  ')},`,
          '}',
        ].join('\n');
      });
      const requestBody = op.requestBody && deref(spec, op.requestBody).content['application/json'].schema;
      const examples = [];
      for (const [status, ref] of Object.entries(op.responses)) {
        for (const [name, ex] of Object.entries(deref(spec, ref).content?.['application/json']?.examples ?? {})) {
          if (examples.some((x) => x.name === name)) throw new Error(`${op.operationId} has two examples named ${name}`);
          examples.push({ name, status: Number(status), body: exampleConstant(ex, `${op.operationId} ${name}`) });
        }
      }
      operations.push(
        [
          '{',
          `  id: ${JSON.stringify(op.operationId)},`,
          `  method: ${JSON.stringify(method.toUpperCase())},`,
          `  path: ${JSON.stringify(path)},`,
          `  parameters: [${parameters.map((x) => `\n    ${x.replaceAll('\n', '\n    ')}`).join(',')}\n  ],`,
          `  body: ${requestBody ? checkOf(requestBody, `${op.operationId} body`) : 'undefined'},`,
          `  examples: {${examples.map((x) => `\n    ${JSON.stringify(x.name)}: { status: ${x.status}, body: ${x.body} },`).join('')}\n  },`,
          '}',
        ].join('\n'),
      );
    }
  }

  return `// Written by openapi/scripts/generate.mjs (\`./dev codegen\`) from the spec: do not edit.
// The operations, their parameters and named examples, and checks of parameters and request bodies,
// for the sandbox's core: plain data and functions, no file read, no code compiled at run time.
// The drift check (\`generate.mjs --check\`, in \`lint\`) fails when this differs from what the spec gives.

/** sha256 of the spec (openapi/zoho-crm-sharing.yaml) this comes from. */
export const SPEC_SHA256 = '${sha256}';

/** A problem with a value, as ajv reports one. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Checks \`d\` at instance path \`p\`, pushing every problem found to \`e\`. */
export type SchemaCheck = (d: unknown, p: string, e: SchemaError[]) => void;

const isObject = (d: unknown): boolean => !!d && typeof d === 'object' && !Array.isArray(d);

${[...functions.values()].join('\n\n')}

export interface GeneratedParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  /** The schema's type: a query string's \`true\`/\`false\` is a boolean only where this says so. */
  type: string;
  whenMissing: string | undefined;
  whenInvalid: string;
  check: SchemaCheck;
}

export interface GeneratedOperation {
  id: string;
  method: string;
  path: string;
  parameters: GeneratedParameter[];
  body: SchemaCheck | undefined;
  examples: Readonly<Record<string, { status: number; body: unknown }>>;
}

// The named response examples (components/examples), each once.
${[...exampleBodies].map(([name, body]) => `const EXAMPLE_${name} = ${body};`).join('\n')}

export const OPERATION_SPECS: GeneratedOperation[] = [
${operations.map((o) => `  ${o.replaceAll('\n', '\n  ')}`).join(',\n')},
];
`;
}
