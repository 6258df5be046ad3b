// Writes dist/openapi.json from the YAML spec, so runtime consumers (the sandbox's validator,
// tests) load plain JSON without a YAML parser. Deterministic: same YAML, same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from './spec.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { spec } = loadSpec();
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', 'openapi.json'), `${JSON.stringify(spec, null, 2)}\n`);
