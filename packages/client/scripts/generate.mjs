// `./dev codegen`: regenerates everything derived from the spec, outside the build graph.
//  - packages/client/src/generated/: types by @hey-api/openapi-ts (config: openapi-ts.config.ts),
//    and zoho.ts, the spec's Zoho facts as constants, stamped with the spec's sha256
//    (zoho-constants.mjs);
//  - packages/sandbox/src/generated/zoho.ts: the same constants file, so the sandbox (and its seed)
//    read those facts from the spec too while the client keeps zero runtime dependencies.
// `--check` regenerates into a temporary folder and fails when anything differs from what is
// committed (the drift check, run by `lint`). `--only=constants` skips openapi-ts (the sandbox's lint).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { renderZohoConstants } from './zoho-constants.mjs';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const root = join(pkg, '../..');
const specPath = join(root, 'openapi/zoho-crm-sharing.yaml');
const check = process.argv.includes('--check');
const constantsOnly = process.argv.includes('--only=constants');

const specText = readFileSync(specPath);
const sha256 = createHash('sha256').update(specText).digest('hex');
const constants = renderZohoConstants(parse(specText.toString('utf8')), sha256);

// Each target folder; `types`: hey-api's output is generated there too. With
// --only=constants the client's types are not regenerated, so only its zoho.ts is compared.
const targets = [
  { dir: join(pkg, 'src/generated'), types: !constantsOnly, compareOnly: constantsOnly ? ['zoho.ts'] : undefined },
  { dir: join(root, 'packages/sandbox/src/generated'), types: false, compareOnly: undefined },
];

const stale = [];
for (const target of targets) {
  const out = check ? mkdtempSync(join(tmpdir(), 'zcrm-generated-')) : target.dir;
  try {
    if (target.types) {
      execFileSync(join(pkg, 'node_modules/.bin/openapi-ts'), [], {
        cwd: pkg,
        env: { ...process.env, ZCRM_GENERATE_OUT: out },
        stdio: check ? 'pipe' : 'inherit',
      });
    }
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'zoho.ts'), constants);
    if (check) {
      for (const f of compare(target.dir, out, target.compareOnly)) stale.push(relative(root, join(target.dir, f)));
    }
  } finally {
    if (check) rmSync(out, { recursive: true, force: true });
  }
}

if (check) {
  if (stale.length) {
    console.error(`generated code is stale: regenerating from the spec changes ${stale.join(', ')}.\nRun \`./dev codegen\` and commit the result.`);
    process.exitCode = 1;
  } else {
    console.log(`${targets.map((t) => relative(root, t.dir)).join(' and ')} match the spec (sha256 ${sha256.slice(0, 12)}...)`);
  }
}

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

/** Files that differ, or exist on one side only (limited to `only` when given). */
function compare(a, b, only) {
  const fa = files(a).filter((f) => !only || only.includes(f));
  const fb = files(b).filter((f) => !only || only.includes(f));
  const all = [...new Set([...fa, ...fb])].sort();
  return all.filter((f) => !fa.includes(f) || !fb.includes(f) || !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}
