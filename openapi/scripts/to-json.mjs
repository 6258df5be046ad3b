// Writes dist/openapi.json from the YAML spec, so runtime consumers (the sandbox's validator,
// tests) load plain JSON without a YAML parser. Deterministic: same YAML, same bytes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec = parse(readFileSync(join(root, 'zoho-crm-sharing.yaml'), 'utf8'));
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', 'openapi.json'), `${JSON.stringify(spec, null, 2)}\n`);
