// The `lint` of every public package: packs it exactly as `pnpm publish` would (prepack included, so
// LICENSE is in; `workspace:` and `catalog:` versions rewritten; publishConfig applied), then checks that
// tarball, not the working directory:
//   - publint --strict, and attw (are the types wrong) unless the package ships no JavaScript;
//   - what we promise about every tarball: README.md and LICENSE inside; nothing from src/, test/, bench/,
//     .turbo/, no tsconfig, source map or build info; not private; license, repository and engines set;
//     no dependency still pointing into this workspace.
// Usage, from a package's directory: node ../../scripts/lint-package.mjs [--attw-profile esm-only] [--bundled]
// (--bundled: everything it runs is inside the tarball, so it must declare no dependencies at all).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'attw-profile': { type: 'string', default: 'strict' }, bundled: { type: 'boolean', default: false } } });
const dir = process.cwd();
const source = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const out = mkdtempSync(join(tmpdir(), 'zcrm-lint-package-'));
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', ...opts });

try {
  // pnpm is on PATH whenever this runs as a pnpm script; npm pack would leave `workspace:*` in place.
  // The prepack script's banner comes first on stdout; the JSON report is the rest.
  const report = run('pnpm', ['pack', '--json', '--pack-destination', out], { stdio: ['ignore', 'pipe', 'inherit'] });
  const packed = JSON.parse(report.slice(report.search(/^\{/m)));
  const tarball = packed.filename;
  const files = packed.files.map((f) => f.path);
  const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json']));
  const problems = [];

  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) problems.push(`${required} is not in the tarball`);
  }
  const stray = files.filter((f) => /^(src|test|bench|\.turbo|scripts|testing)\/|(^|\/)tsconfig[^/]*\.json$|\.map$|\.tsbuildinfo$/.test(f));
  if (stray.length) problems.push(`files that are not for users: ${stray.join(', ')} (narrow "files")`);
  if (manifest.private) problems.push('"private" is set: this package is meant to be published');
  if (manifest.license !== 'MIT') problems.push(`"license" is ${JSON.stringify(manifest.license)}, expected "MIT"`);
  if (!manifest.repository?.url || !manifest.repository?.directory) problems.push('"repository" needs url and directory');
  const shipsCode = files.some((f) => /\.[cm]?js$/.test(f));
  if (shipsCode && !manifest.engines?.node) problems.push('"engines.node" is missing: say which Node lines it runs on');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog|link|file):/.test(range)) problems.push(`${field}.${name} is ${range} in the tarball`);
    }
  }
  if (values.bundled && Object.keys(manifest.dependencies ?? {}).length) {
    problems.push(`bundled, yet it declares dependencies: ${Object.keys(manifest.dependencies).join(', ')}`);
  }
  if (problems.length) {
    console.error(`lint-package: ${source.name}:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }

  run('publint', ['run', '--strict', tarball], { stdio: 'inherit' });
  if (shipsCode) run('attw', [tarball, '--profile', values['attw-profile']], { stdio: 'inherit' });
  if (!process.exitCode) console.log(`lint-package: ${source.name}@${manifest.version}: ${files.length} files, ${tarball.split('/').at(-1)} clean`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
