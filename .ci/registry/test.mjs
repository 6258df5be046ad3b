// The registry install test (.ci/steps/45-registry.sh): the READMEs' install lines, as printed, against
// a local registry holding what `changeset publish` published.
//   1. Verdaccio (.tools/ci/registry, from package.json beside this file) on ./dev's Node, 127.0.0.1, a
//      free port, a scratch storage and config (verdaccio.mjs);
//   2. `changeset publish --no-git-tag` from this checkout, as a release publishes (the packages' own
//      `prepack`), to that registry only; the checkout must be unchanged afterwards (git status, tags);
//   3. what the matrix relies on about the registry (canaries.mjs), then the matrix: npm, pnpm, yarn 1 x each Node line of .ci/packages (npm 11 from there too), each cell a
//      new user (environment.mjs) running every README install block in empty folders (cell.mjs), then
//      the client's quick start against the installed sandbox (quickstart.mjs);
//   4. a table, package manager x Node line; any failed cell fails the step.
// Run from the repository root with the workspace's Node (`./dev env`) after `./dev build`:
//   node .ci/registry/test.mjs [--lines 20,24] [--managers npm,yarn] [--jobs 3] [--keep]
// Each cell's lines and their output are in <scratch>/<manager>-node<line>/lines.log (kept on failure, or with --keep).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createReport, installTools } from '../lib/tools.mjs';
import { checkRegistry } from './canaries.mjs';
import { runCell } from './cell.mjs';
import { cellEnvironment, MANAGERS, writeShims } from './environment.mjs';
import { allInstallBlocks } from './install-blocks.mjs';
import { createLock } from './processes.mjs';
import { clientQuickStart } from './quickstart.mjs';
import { startVerdaccio } from './verdaccio.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const packagesDir = join(here, '..', 'packages');
const PUBLIC = ['@zcrm-sharing/client', '@zcrm-sharing/sandbox', '@zcrm-sharing/cli', '@zcrm-sharing/openapi'];
const nodeTools = JSON.parse(readFileSync(join(packagesDir, 'package.json'), 'utf8')).dependencies;
const ownTools = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies;
const allLines = Object.keys(nodeTools).filter((k) => /^node\d+$/.test(k)).map((k) => k.slice(4));
const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: allLines.join(',') },
    managers: { type: 'string', default: MANAGERS.join(',') },
    jobs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const lines = values.lines.split(',');
const managers = values.managers.split(',');
const report = createReport('registry');
const { failures, fail } = report;
const t0 = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(0)}s`;

const blocks = allInstallBlocks(root);
if (blocks.length === 0) fail('no README has an install block (<!-- doc-test: install --> before a ```sh fence)');
for (const m of managers) {
  if (!MANAGERS.includes(m)) fail(`--managers: ${m} is not one of ${MANAGERS.join(', ')}`);
  else if (!blocks.some((b) => b.commands.some((c) => c.manager === m))) fail(`no README install block has a ${m} line`);
}

// --- 1. tools and the registry -----------------------------------------------------------------
const nodeDir = installTools(report, root, 'packages', packagesDir);
const toolDir = installTools(report, root, 'registry', here);
if (!nodeDir || !toolDir || failures.length) process.exit(1);
const work = mkdtempSync(join(tmpdir(), 'zcrm-registry-'));
const registry = await startVerdaccio({ toolDir, dir: join(work, 'verdaccio') }).catch((e) => {
  fail('starting Verdaccio', e.message);
  process.exit(1);
});
let exitCode = 1;
try {
  exitCode = await main();
} finally {
  await registry.stop();
  if (exitCode === 0 && !values.keep) rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);

async function main() {
  console.log(`registry: Verdaccio ${ownTools.verdaccio} at ${registry.url} (Node ${process.versions.node}), scratch ${work}`);

  // --- 2. changeset publish ----------------------------------------------------------------------
  const gitState = () => spawnSync('bash', ['-c', 'git status --porcelain --ignored=no; git tag --list'], { cwd: root, encoding: 'utf8' }).stdout;
  const before = gitState();
  const userconfig = join(work, 'publish.npmrc');
  writeFileSync(userconfig, `//${new URL(registry.url).host}/:_authToken=${registry.token}\n`);
  const publishEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k)));
  Object.assign(publishEnv, { npm_config_registry: registry.url, npm_config_userconfig: userconfig });
  const p0 = Date.now();
  const published = report.run('changeset publish --no-git-tag', 'pnpm', ['exec', 'changeset', 'publish', '--no-git-tag'], { cwd: root, env: publishEnv, timeout: 300_000 });
  if (published === null) return 1;
  if (gitState() !== before) fail('changeset publish changed the checkout', `before:\n${before}\nafter:\n${gitState()}`);
  const manifests = {};
  for (const name of PUBLIC) {
    const doc = await fetch(`${registry.url}${name.replace('/', '%2f')}`).then((r) => (r.ok ? r.json() : null));
    const version = doc?.['dist-tags']?.latest;
    if (!version) fail(`${name} is not on the local registry after changeset publish`, published.all);
    else manifests[name] = { version, integrity: doc.versions[version].dist.integrity };
  }
  if (failures.length) return 1;
  console.log(`registry: changeset publish in ${seconds(Date.now() - p0)}: ${PUBLIC.map((n) => `${n}@${manifests[n].version}`).join(', ')}`);

  // --- 3. the matrix -----------------------------------------------------------------------------
  const shims = writeShims(join(work, 'bin'), {
    npmCli: join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    npxCli: join(nodeDir, 'node_modules', 'npm', 'bin', 'npx-cli.js'),
    pnpmCli: join(toolDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs'),
    yarnCli: join(toolDir, 'node_modules', 'yarn', 'bin', 'yarn.js'),
  });
  const canaryBase = join(work, 'registry-checks');
  const canaryEnv = cellEnvironment({ home: join(canaryBase, 'home'), shims: shims.npm, nodeBin: join(nodeDir, 'node_modules', `node${lines.at(-1)}`, 'bin'), registry: registry.url });
  for (const f of await checkRegistry({ base: canaryBase, env: canaryEnv, registry: registry.url })) fail('the local registry', f);
  if (failures.length) return 1;
  console.log(`registry: a third-party package resolves through the uplink (npm registry)`);

  const quickstarts = [clientQuickStart(root)];
  const lock = createLock();
  const cells = managers.flatMap((manager) => lines.map((line) => ({ manager, line })));
  const results = new Map();
  const nodeVersions = {};
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const { manager, line } = cells[next++];
      const base = join(work, `${manager}-node${line}`);
      const nodeBin = join(nodeDir, 'node_modules', `node${line}`, 'bin');
      nodeVersions[line] ??= spawnSync(join(nodeBin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
      const env = cellEnvironment({ home: join(base, 'home'), shims: shims[manager], nodeBin, registry: registry.url });
      mkdirSync(base, { recursive: true });
      const r = await runCell({ manager, blocks, base, env, published: manifests, cliVersion: manifests['@zcrm-sharing/cli'].version, lock, quickstarts });
      results.set(`${manager} ${line}`, r);
      console.log(`registry: ${manager.padEnd(4)} on Node ${nodeVersions[line]}: ${r.ok ? 'ok' : 'FAILED'} in ${seconds(r.ms)} (${r.blocks.map((b) => `${b.where} ${b.ok ? seconds(b.ms) : 'FAILED'}`).join(', ')})`);
      for (const b of r.blocks.filter((x) => !x.ok)) fail(`${manager} on Node ${nodeVersions[line]}: ${b.where}`, b.failure);
    }
  };
  const m0 = Date.now();
  await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, worker));

  // --- 4. the table ------------------------------------------------------------------------------
  const versions = { npm: nodeTools.npm, pnpm: ownTools.pnpm, yarn: ownTools.yarn };
  const col = 16;
  console.log(`\nregistry: README install lines as printed, from the local registry (${seconds(Date.now() - m0)} for ${cells.length} cells, ${values.jobs} at a time)`);
  console.log(`  ${''.padEnd(14)}${lines.map((l) => `Node ${nodeVersions[l] ?? l}`.padEnd(col)).join('')}`);
  for (const manager of managers) {
    const row = lines.map((l) => {
      const r = results.get(`${manager} ${l}`);
      return (r ? `${r.ok ? 'ok' : 'FAILED'} ${seconds(r.ms)}` : 'not run').padEnd(col);
    });
    console.log(`  ${`${manager} ${versions[manager]}`.padEnd(14)}${row.join('')}`);
  }
  for (const manager of managers) {
    const ran = [...new Set(lines.flatMap((l) => results.get(`${manager} ${l}`)?.blocks.map((b) => b.where) ?? []))];
    console.log(`  ${manager} cells ran: ${ran.join('; ')}`);
  }
  console.log(`registry: ${seconds(Date.now() - t0)} in all`);
  if (failures.length) {
    console.error(`\nregistry: ${failures.length} failure(s):\n  ${failures.join('\n  ')}\n(scratch folders and Verdaccio's log kept in ${work})`);
    return 1;
  }
  console.log('registry: every cell passed');
  return 0;
}
