// Regenerates src/generated/ from the spec with @hey-api/openapi-ts (config: openapi-ts.config.ts)
// and stamps it with the spec's sha256. `--check` regenerates into a temporary folder instead and
// fails when the result differs from the committed src/generated/ (the drift check).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const specPath = join(pkg, '../../openapi/zoho-crm-sharing.yaml');
const committed = join(pkg, 'src/generated');
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'zcrm-generated-')) : committed;

try {
  execFileSync(join(pkg, 'node_modules/.bin/openapi-ts'), [], {
    cwd: pkg,
    env: { ...process.env, ZCRM_GENERATE_OUT: out },
    stdio: check ? 'pipe' : 'inherit',
  });
  const sha256 = createHash('sha256').update(readFileSync(specPath)).digest('hex');
  writeFileSync(
    join(out, 'spec-hash.ts'),
    `// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.\n` +
      `export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';\nexport const SPEC_SHA256 = '${sha256}';\n`,
  );
  if (check) {
    const diffs = compare(committed, out);
    if (diffs.length) {
      console.error(`src/generated/ is stale: regenerating from the spec changes ${diffs.join(', ')}.\nRun \`./dev codegen\` and commit the result.`);
      process.exitCode = 1;
    } else {
      console.log(`src/generated/ matches the spec (sha256 ${sha256.slice(0, 12)}...)`);
    }
  }
} finally {
  if (check) rmSync(out, { recursive: true, force: true });
}

function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

function compare(a, b) {
  const fa = files(a);
  const fb = files(b);
  const all = [...new Set([...fa, ...fb])].sort();
  return all.filter((f) => !fa.includes(f) || !fb.includes(f) || !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}
