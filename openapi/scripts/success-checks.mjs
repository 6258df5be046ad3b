// Renders the client's src/generated/success.ts: each operation's documented success (the first 2xx
// with a JSON body) as a check built from the small combinators of the client's src/shape.ts, so that
// a body is read as success only when it matches the spec's schema exactly, and the client keeps zero
// runtime dependencies (ajv's standalone code would need ajv-formats and about 1.6 kB gz per
// envelope). Component schemas become one constant each; an operation's check carries only those it
// uses. Called by generate.mjs; pure: spec object in, TypeScript text out. A schema keyword this
// renderer does not know fails the generation: a check must never be looser than its schema.
import { deref, refName } from './spec.mjs';
import { constantName } from './zoho-constants.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
// Keywords that do not constrain a value.
const ANNOTATIONS = new Set(['description', 'example', 'title']);
// `format`s, as the pattern a string must match.
const FORMATS = {
  // RFC 3339 date-time with a time zone, e.g. 2026-11-02T09:14:27+05:30.
  'date-time': String.raw`/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt\s]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$/`,
};

/** @param {any} spec the parsed spec  @param {string} sha256 of its YAML */
export function renderSuccessChecks(spec, sha256) {
  /** Component name -> its check's expression; filled as components are reached, in order. */
  const components = new Map();
  const visiting = new Set();
  const used = new Set();

  /** The check expression of a schema node (a component becomes a reference to its constant). */
  function check(node, where) {
    const name = refName(node);
    if (name) {
      if (visiting.has(name)) throw new Error(`${where}: ${name} refers to itself, which the success checks do not support`);
      if (!components.has(name)) {
        visiting.add(name);
        const expr = check(deref(spec, node), name);
        visiting.delete(name);
        components.set(name, expr); // after the components it uses: each constant is declared before use
      }
      return name;
    }
    const known = KEYWORDS[node.allOf ? 'allOf' : node.type];
    if (!known) throw new Error(`${where}: type ${node.type} has no check`);
    for (const key of Object.keys(node)) {
      if (!known.includes(key) && !ANNOTATIONS.has(key) && key !== 'x-zoho-echoes') throw new Error(`${where}: the keyword ${key} is not one the success checks know for ${node.allOf ? 'allOf' : node.type}`);
    }
    let expr = checkOf(node, where);
    if (node['x-zoho-echoes'] !== undefined) expr = call('echo', [JSON.stringify(node['x-zoho-echoes']), expr]);
    return expr;
  }

  function checkOf(node, where) {
    if (node.allOf) {
      const parts = node.allOf.map((n, i) => check(n, `${where}.allOf[${i}]`));
      return parts.length === 1 ? parts[0] : call('all', parts);
    }
    switch (node.type) {
      case 'object': {
        const required = new Set(node.required ?? []);
        const props = Object.entries(node.properties ?? {});
        for (const r of required) if (!node.properties?.[r]) throw new Error(`${where}: required ${r} has no schema`);
        if (node.additionalProperties !== undefined && typeof node.additionalProperties !== 'boolean') throw new Error(`${where}: additionalProperties must be a boolean here`);
        const members = (keep) =>
          `{ ${props
            .filter(([k]) => required.has(k) === keep)
            .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${check(v, `${where}.${k}`)}`)
            .join(', ')} }`;
        const closed = node.additionalProperties === false;
        const args = [members(true)];
        if (closed || props.length > required.size) args.push(members(false).replace('{  }', '{}'));
        if (closed) args.push('true');
        return call('object', [args[0].replace('{  }', '{}'), ...args.slice(1)]);
      }
      case 'array': {
        const args = [check(node.items, `${where}[]`)];
        if (node.minItems !== undefined || node.maxItems !== undefined) args.push(String(node.minItems ?? 0));
        if (node.maxItems !== undefined) args.push(String(node.maxItems));
        return call('list', args);
      }
      case 'string': {
        if (node.enum) return call('oneOf', [`[${node.enum.map((v) => JSON.stringify(v)).join(', ')}]`]);
        if (node.format !== undefined && !FORMATS[node.format]) throw new Error(`${where}: format ${node.format} has no check`);
        const pattern = node.pattern !== undefined ? String(new RegExp(node.pattern)) : FORMATS[node.format];
        if (node.pattern !== undefined && node.format !== undefined) throw new Error(`${where}: both pattern and format`);
        const args = [];
        if (pattern || node.maxLength !== undefined || node.minLength !== undefined) args.push(pattern ?? 'undefined');
        if (node.maxLength !== undefined || node.minLength !== undefined) args.push(String(node.maxLength ?? 'Infinity'));
        if (node.minLength !== undefined) args.push(String(node.minLength));
        return call('text', args);
      }
      case 'boolean':
        return 'bool';
      default: // integer
        if (node.minimum !== 0 || node.maximum !== undefined) throw new Error(`${where}: only integers >= 0 have a check`);
        return 'count';
    }
  }

  function call(fn, args) {
    used.add(fn);
    return `${fn}(${args.join(', ')})`;
  }

  const operations = [];
  const partials = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const success = Object.entries(op.responses)
        .filter(([status]) => /^2\d\d$/.test(status))
        .map(([status, res]) => [Number(status), deref(spec, res).content?.['application/json']?.schema])
        .filter(([, schema]) => schema)
        .sort(([a], [b]) => a - b)[0];
      if (!success) continue;
      const [status, schema] = success;
      const echoes = [];
      (function collect(node, seen) {
        const name = refName(node);
        if (name && seen.has(name)) return;
        const next = name ? new Set([...seen, name]) : seen;
        const n = deref(spec, node);
        if (n && typeof n === 'object') {
          if (n['x-zoho-echoes'] !== undefined) echoes.push(n['x-zoho-echoes']);
          for (const v of Object.values(n)) if (v && typeof v === 'object') collect(v, next);
        }
      })(schema, new Set());
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(spec, p)).filter((p) => p.in === 'path').map((p) => p.name);
      for (const e of echoes) if (!params.includes(e)) throw new Error(`${op.operationId}: x-zoho-echoes names ${e}, not a path parameter of ${path}`);
      operations.push({ id: op.operationId, status, schemaName: refName(schema) ?? 'an inline schema', shape: check(schema, `${op.operationId} ${status}`), echoes });
      // A 207 (some entries of a share call applied) is read too, with its own check: the shape of the
      // per-entry results, which the operation then reads entry by entry.
      const partial = deref(spec, op.responses['207'] ?? {}).content?.['application/json']?.schema;
      if (partial) partials.push({ id: op.operationId, schemaName: refName(partial) ?? 'an inline schema', shape: check(partial, `${op.operationId} 207`) });
    }
  }

  const helpers = [...used].filter((f) => f !== 'echo' || operations.some((o) => o.echoes.length));
  const primitives = ['bool', 'count'].filter((p) => [...components.values(), ...operations.map((o) => o.shape), ...partials.map((o) => o.shape)].some((e) => new RegExp(`\\b${p}\\b`).test(e)));
  const imports = [...new Set([...helpers, ...primitives])].sort();

  return `// Written by openapi/scripts/generate.mjs (\`./dev codegen\`) from the spec: do not edit.
// Each operation's documented success, exactly as the spec's schema states it (closed objects refuse
// any other member, enums are constants, \`x-zoho-echoes\` binds a value to the request's path
// parameter), for the client's run-time checks. The drift check (\`generate.mjs --check\`, in \`lint\`)
// fails when this file differs from what the spec gives. Spec sha256: ${sha256}.
import { ${imports.join(', ')}, type Success } from '../shape.js';

${[...components.entries()].map(([name, expr]) => `/** \`${name}\` */\nconst ${name} = /* @__PURE__ */ ${expr};\n`).join('')}
${operations
  .map(
    (o) =>
      `/** \`${o.id}\`: its ${o.status} body (\`${o.schemaName}\`)${o.echoes.length ? `, echoing the path's ${o.echoes.map((e) => `\`${e}\``).join(', ')}` : ''}. */\nexport const ${constantName(o.id)}_SUCCESS: Success = { status: ${o.status}, shape: ${o.shape} };\n`,
  )
  .join('')}${partials
  .map((o) => `/** \`${o.id}\`: its 207 body (\`${o.schemaName}\`), some entries applied. */\nexport const ${constantName(o.id)}_PARTIAL: Success = { status: 207, shape: ${o.shape} };\n`)
  .join('')}`;
}

// The keywords each kind of schema may use; any other fails the generation.
const KEYWORDS = {
  allOf: ['allOf'],
  object: ['type', 'properties', 'required', 'additionalProperties'],
  array: ['type', 'items', 'minItems', 'maxItems'],
  string: ['type', 'enum', 'pattern', 'format', 'minLength', 'maxLength'],
  boolean: ['type'],
  integer: ['type', 'minimum', 'maximum'],
};
