// `build` of the CLI: esbuild bundles src/bin.ts, the client, the sandbox and their dependencies, so
// the published package has no runtime dependencies and starts without resolving a module tree:
// dist/zcrm-sharing.js is bin.ts alone (help, --version, usage errors; node: builtins only), and
// dist/chunks/ holds the commands, imported when one runs. (One file would make `--help` parse the
// whole bundle and load node:http, readline and undici first: 79 ms instead of 34 ms here.)
// src/demo.ts (the repo's `./dev demo`, not published) becomes dist/demo.js the same way.
//
// Checks before it succeeds: the bundle imports nothing but Node builtins (a package left external
// would be missing once installed), and the licences of every bundled package are collected into
// dist/THIRD-PARTY-NOTICES.md, which ships beside it.
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

// The oldest Node line in `engines`: esbuild lowers syntax newer than that.
const target = `node${pkg.engines.node.match(/\d+\.\d+/)[0]}`;

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target,
  // Whitespace and syntax only: stack traces keep the real function names.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none', // the licences go to THIRD-PARTY-NOTICES.md instead
  // CommonJS dependencies (ajv) may require() Node builtins; an ESM bundle has no `require` of its own.
  banner: { js: "import { createRequire as __zcrmCreateRequire } from 'node:module'; const require = __zcrmCreateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
};
// The published CLI: the entry holds bin.ts (help, version, usage errors: node: builtins only); what a
// command needs is one lazily imported chunk, so `--help` neither parses it nor loads node:http & co.
const published = await build({
  ...common,
  entryPoints: { 'zcrm-sharing': 'src/bin.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// The repo's demo (not published), on its own so it adds no chunk to the package.
const demo = await build({ ...common, entryPoints: { demo: 'src/demo.ts' }, outdir: 'dist' });

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const problems = [];
for (const [file, output] of [...Object.entries(published.metafile.outputs), ...Object.entries(demo.metafile.outputs)]) {
  for (const imp of output.imports) {
    if (imp.external && !builtins.has(imp.path)) problems.push(`${file} imports ${imp.path} at run time`);
  }
}
// esbuild resolves every static require() and import (the sandbox's spec is a static JSON import, so it
// is inlined); what it cannot see is a module loaded through createRequire() at run time.
for (const file of Object.keys(published.metafile.outputs)) {
  if (readFileSync(join(root, file), 'utf8').includes('createRequire(import.meta.url)(')) problems.push(`${file} loads a module through createRequire() at run time`);
}
if (problems.length) {
  console.error(`bundle: the CLI would not run once installed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

// Licences of the third-party packages inside the published bundle.
const packages = new Map();
for (const input of Object.values(published.metafile.outputs).flatMap((o) => Object.keys(o.inputs))) {
  const at = input.lastIndexOf(`node_modules${sep === '\\' ? '\\' : '/'}`);
  if (at === -1) continue;
  const rest = input.slice(at + 'node_modules/'.length).split(/[\\/]/);
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  if (name.startsWith('@zcrm-sharing/')) continue; // ours: the root LICENSE
  packages.set(name, join(root, input.slice(0, at), 'node_modules', name));
}
const notices = [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenceFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'license.md'].map((f) => join(dir, f)).find(existsSync);
  if (!licenceFile) throw new Error(`bundle: ${name} has no LICENSE file to reproduce`);
  return `## ${name}@${meta.version} (${meta.license})\n\n${readFileSync(licenceFile, 'utf8').trim()}\n`;
});
writeFileSync(
  join(dist, 'THIRD-PARTY-NOTICES.md'),
  `# Third-party software in dist/zcrm-sharing.js\n\n${notices.join('\n')}`,
);

const sizes = Object.entries(published.metafile.outputs).map(([f, o]) => `${f} ${(o.bytes / 1024).toFixed(1)} KiB`);
console.log(`bundle (${target}): ${sizes.join(', ')}; bundled: ${[...packages.keys()].join(', ')}`);
