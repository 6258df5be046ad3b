// Benchmark (not a test): wall time of `zcrm-sharing --help` through the INSTALLED bin, as a user runs it
// after `npm install -g` of the packed tarball, against two baselines measured in the same run and
// interleaved with it (so machine load hits all three alike):
//   - `node empty.mjs`: the floor, Node starting an ES module that does nothing;
//   - the repo's bin (apps/cli/bin/zcrm-sharing.js), the same bundle run in place.
// Run: pnpm --filter @zcrm-sharing/cli bench:installed [-- --runs 40] (after a build). Uses this Node.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' } } });
const runs = Number(values.runs);
const pkg = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'zcrm-cli-installed-help-'));

try {
  execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: pkg, stdio: 'ignore' });
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')));
  const prefix = join(work, 'global');
  // npm from this Node's installation; the CLI has no dependencies, so nothing comes from the registry.
  const npm = join(dirname(process.execPath), 'npm');
  const npmCmd = spawnSync(npm, ['--version']).status === 0 ? npm : 'npm';
  execFileSync(npmCmd, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', tarball], { stdio: 'inherit' });
  const empty = join(work, 'empty.mjs');
  writeFileSync(empty, '');
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };

  const cases = {
    'node empty.mjs (floor)': [process.execPath, [empty]],
    'repo bin --help': [process.execPath, [join(pkg, 'bin', 'zcrm-sharing.js'), '--help']],
    'installed zcrm-sharing --help': [join(prefix, 'bin', 'zcrm-sharing'), ['--help']],
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < runs + 3; i++) {
    for (const [name, [cmd, args]] of Object.entries(cases)) {
      const t = performance.now();
      const r = spawnSync(cmd, args, { env, stdio: 'ignore' });
      const ms = performance.now() - t;
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
      if (i >= 3) times[name].push(ms); // the first rounds warm the file cache
    }
  }
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
  const floor = q(times['node empty.mjs (floor)'], 0.5);
  const result = Object.fromEntries(
    Object.entries(times).map(([name, xs]) => [name, { medianMs: +q(xs, 0.5).toFixed(1), p90Ms: +q(xs, 0.9).toFixed(1), vsFloor: +(q(xs, 0.5) / floor).toFixed(2) }]),
  );
  const installed = result['installed zcrm-sharing --help'];
  console.log(
    JSON.stringify(
      { node: process.version, runs, results: result, installedMinusFloorMs: +(installed.medianMs - floor).toFixed(1), target: 'installed --help median < 100 ms on Node 24' },
      null,
      2,
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
