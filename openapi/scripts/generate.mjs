// `./dev codegen`: regenerates everything derived from the spec, outside the build graph. It lives in
// openapi/ because it writes the generated folders of more than one package:
//  - packages/client/src/generated/: types by @hey-api/openapi-ts (the client's openapi-ts.config.ts,
//    run with the client's own binary), zoho.ts, the spec's Zoho facts as constants
//    (zoho-constants.mjs), and success.ts, each operation's documented success as a check
//    (success-checks.mjs); both stamped with the spec's sha256;
//  - packages/sandbox/src/generated/zoho.ts: the same constants file, so the sandbox (and its seed)
//    read those facts from the spec too while the client keeps zero runtime dependencies; and spec.ts,
//    the operations, named examples and request checks the sandbox answers from (sandbox-spec.mjs).
// `--check` regenerates into a temporary folder and fails when anything differs from what is
// committed (the drift check, run by `lint`). `--only=constants` skips openapi-ts and success.ts
// (the sandbox's lint).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from './spec.mjs';
import { renderSandboxSpec } from './sandbox-spec.mjs';
import { renderSuccessChecks } from './success-checks.mjs';
import { renderZohoConstants } from './zoho-constants.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const client = join(root, 'packages/client');
const check = process.argv.includes('--check');
const constantsOnly = process.argv.includes('--only=constants');

const { spec, sha256 } = loadSpec();
const constants = renderZohoConstants(spec, sha256);

// Each target folder: the files written there, and whether hey-api's types are generated there too.
// With --only=constants only the zoho.ts files are regenerated and compared.
const targets = [
  {
    dir: join(client, 'src/generated'),
    types: !constantsOnly,
    files: constantsOnly ? { 'zoho.ts': constants } : { 'zoho.ts': constants, 'success.ts': renderSuccessChecks(spec, sha256) },
    compareOnly: constantsOnly ? ['zoho.ts'] : undefined,
  },
  { dir: join(root, 'packages/sandbox/src/generated'), types: false, files: { 'zoho.ts': constants, 'spec.ts': renderSandboxSpec(spec, sha256) }, compareOnly: undefined },
];

const stale = [];
for (const target of targets) {
  const out = check ? mkdtempSync(join(tmpdir(), 'zcrm-generated-')) : target.dir;
  try {
    if (target.types) {
      execFileSync(join(client, 'node_modules/.bin/openapi-ts'), [], {
        cwd: client,
        env: { ...process.env, ZCRM_GENERATE_OUT: out },
        stdio: check ? 'pipe' : 'inherit',
      });
    }
    mkdirSync(out, { recursive: true });
    for (const [name, text] of Object.entries(target.files)) writeFileSync(join(out, name), text);
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
