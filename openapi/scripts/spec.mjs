// The spec, read and dereferenced one way for everything here that reads it: the code generator
// (generate.mjs and the renderers it calls), dist/openapi.json (to-json.mjs) and the tests' helpers
// (testing/spec.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const specPath = fileURLToPath(new URL('../zoho-crm-sharing.yaml', import.meta.url));

/** The parsed spec and the sha256 of its YAML (what generated files are stamped with). */
export function loadSpec() {
  const text = readFileSync(specPath);
  return { spec: parse(text.toString('utf8')), sha256: createHash('sha256').update(text).digest('hex') };
}

/** `node` when it is not a local `$ref`, else what the ref points to in `spec` (refs followed until none is left). */
export function deref(spec, node) {
  for (let hops = 0; typeof node?.$ref === 'string'; hops++) {
    if (hops > 20 || !node.$ref.startsWith('#/')) throw new Error(`unresolvable $ref ${node.$ref}`);
    node = node.$ref
      .slice(2)
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((acc, seg) => acc?.[seg], spec);
    if (node === undefined) throw new Error('a $ref points at nothing');
  }
  return node;
}

/** The name a `$ref` to a component gives (`#/components/schemas/RecordId` -> `RecordId`), or undefined. */
export const refName = (node) => (typeof node?.$ref === 'string' ? node.$ref.split('/').at(-1) : undefined);
