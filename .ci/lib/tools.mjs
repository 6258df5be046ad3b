// Shared by the CI scripts under .ci/: a failure log with a command runner, and tools installed from the
// npm registry with `npm ci` from a package.json + package-lock.json kept beside the script.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Failures are collected, not thrown: one run reports everything that is wrong. */
export function createReport(prefix) {
  const failures = [];
  const fail = (what, detail) => {
    failures.push(what);
    console.error(`${prefix}: FAIL ${what}${detail ? `\n${detail.trimEnd().replace(/^/gm, '    ')}` : ''}`);
  };
  /** Runs a command; returns { stdout, all } (all: stdout then stderr), or records a failure and returns null. */
  const run = (what, cmd, args, options = {}) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000, ...options });
    const all = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.status !== 0) {
      fail(what, `$ ${cmd} ${args.join(' ')}\nexit ${r.status ?? r.signal ?? r.error?.message}\n${all}`);
      return null;
    }
    return { stdout: r.stdout, all };
  };
  return { failures, fail, run };
}

/**
 * `npm ci` of the package.json and package-lock.json in `fromDir` into `<root>/.tools/ci/<name>` (ignored
 * by git; kept between runs, re-installed when the lockfile changes). Returns that directory, or null
 * after reporting a failure.
 */
export function installTools(report, root, name, fromDir) {
  const dir = join(root, '.tools', 'ci', name);
  const stamp = join(dir, 'installed-from.json');
  const lock = readFileSync(join(fromDir, 'package-lock.json'), 'utf8');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(fromDir, f), join(dir, f));
  const deps = JSON.parse(readFileSync(join(fromDir, 'package.json'), 'utf8')).dependencies;
  console.log(`${name}: installing ${Object.entries(deps).map(([k, v]) => `${k} ${v.replace(/^npm:/, '')}`).join(', ')} from the npm registry into .tools/ci/${name}`);
  if (report.run(`npm ci in .tools/ci/${name}`, 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir }) === null) return null;
  writeFileSync(stamp, lock);
  return dir;
}
