// One policy for test prerequisites that npm cannot install (a browser, a database server, the right
// to mount a small file system for disk-full tests):
// - found: the tests that need it run;
// - missing: they are skipped, and the test command (scripts/test.mjs) ends with one line naming what was
//   skipped and how to enable it;
// - missing under CI=true: the tests fail, naming it, because a green CI must mean the tests ran.
// Written in plain, erasable TypeScript so both vitest and Node's own type stripping load it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

type Env = Record<string, string | undefined>;

interface Candidate {
  path: string;
  /** Where the candidate came from, for messages: an environment variable or "the usual locations". */
  from: string;
}

interface PrerequisiteSpec {
  label: string;
  /** Which tests need it, in the summary line's words. */
  gates: string;
  /** How to enable those tests. */
  enable: string;
  /** The environment variable that overrides the search. When set, nothing else is tried. */
  envVar: string;
  /** The usual install locations, in order. */
  usual(env: Env): string[];
  /** For a capability rather than a file: says whether a candidate works (default: its marker exists). */
  works?(path: string): boolean;
}

const SPECS = {
  chromium: {
    label: 'Chromium',
    gates: 'browser tests',
    enable:
      'install Chromium (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable',
    envVar: 'CHROMIUM_PATH',
    usual: (env) => {
      const home = env.HOME ?? '';
      return [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/snap/bin/chromium',
        '/usr/bin/google-chrome-stable',
        '/usr/bin/google-chrome',
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
        join(home, 'Applications/Chromium.app/Contents/MacOS/Chromium'),
        join(home, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
      ];
    },
  },
  postgres: {
    label: 'PostgreSQL server binaries (initdb, pg_ctl)',
    gates: 'PostgreSQL tests',
    enable:
      'install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) ' +
      'or set PG_BIN to the folder holding initdb and pg_ctl',
    envVar: 'PG_BIN',
    // Debian keeps the server binaries off PATH, under /usr/lib/postgresql/<major>/bin: newest first.
    usual: (env) => {
      const debian = '/usr/lib/postgresql';
      const versions = existsSync(debian)
        ? readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
        : [];
      const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean);
      return [...versions.map((v) => join(debian, v, 'bin')), '/opt/homebrew/bin', '/usr/local/bin', ...onPath];
    },
  },
  tmpfs: {
    label: 'mounting a small tmpfs (root on Linux)',
    gates: 'disk-full fault tests',
    enable:
      'run the tests as root on Linux with mount(8) (a container with CAP_SYS_ADMIN, as in CI), ' +
      'or set ZCRM_MOUNT to a mount(8) that root may run',
    envVar: 'ZCRM_MOUNT',
    usual: () => ['/usr/bin/mount', '/bin/mount'],
    // Mounting is the only sure test: root without CAP_SYS_ADMIN (most containers) cannot.
    works: canMountTmpfs,
  },
} satisfies Record<string, PrerequisiteSpec>;

/** Tries to mount (and unmount) a 64 KiB tmpfs with `mount` as the current user. */
function canMountTmpfs(mount: string): boolean {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function' || process.getuid() !== 0 || !existsSync(mount)) return false;
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-probe-'));
  try {
    execFileSync(mount, ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(dir);
  }
}

export type PrerequisiteName = keyof typeof SPECS;
export const PREREQUISITE_NAMES = Object.keys(SPECS) as PrerequisiteName[];

export type Located =
  | { name: PrerequisiteName; label: string; available: true; path: string; from: string }
  | { name: PrerequisiteName; label: string; available: false; reason: string };

/** The marker a prerequisite's executable must have, relative to its path ('' = the path itself). */
const MARKER: Record<PrerequisiteName, string> = { chromium: '', postgres: 'pg_ctl', tmpfs: '' };

/** Finds a prerequisite without failing: its environment variable first, then the usual locations. */
export function locate(name: PrerequisiteName, env: Env = process.env, exists: (path: string) => boolean = existsSync): Located {
  const spec: PrerequisiteSpec = SPECS[name];
  if (!spec) throw new TypeError(`unknown test prerequisite ${JSON.stringify(name)}; expected one of ${PREREQUISITE_NAMES.join(', ')}`);
  const marker = (p: string) => (MARKER[name] ? join(p, MARKER[name]) : p);
  const override = env[spec.envVar];
  const candidates: Candidate[] = override
    ? [{ path: override, from: spec.envVar }]
    : spec.usual(env).map((path) => ({ path, from: 'the usual locations' }));
  for (const c of candidates) {
    if (exists(marker(c.path)) && (!spec.works || spec.works(c.path))) return { name, label: spec.label, available: true, path: c.path, from: c.from };
  }
  const reason = spec.works
    ? `${spec.label}: not possible here`
    : override
      ? `${spec.envVar}=${override} does not exist${MARKER[name] ? ` (no ${MARKER[name]} in it)` : ''}`
      : `${spec.label} not found in the usual locations`;
  return { name, label: spec.label, available: false, reason };
}

export class MissingPrerequisiteError extends Error {
  override name = 'MissingPrerequisiteError';
}

/**
 * For a test file: `const browser = prerequisite('chromium'); describe.skipIf(!browser.available)(...)`.
 * Under CI=true a missing prerequisite throws instead, so the file fails with the reason.
 */
export function prerequisite(name: PrerequisiteName, env: Env = process.env): Located {
  const found = locate(name, env);
  if (!found.available && isCi(env)) {
    throw new MissingPrerequisiteError(`${found.reason}; CI=true requires it for the ${SPECS[name].gates}: ${SPECS[name].enable}`);
  }
  return found;
}

export function isCi(env: Env = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** How to enable the tests a missing prerequisite skips. */
export function howToEnable(name: PrerequisiteName): string {
  return SPECS[name].enable;
}

/** What a prerequisite gates, in the summary line's words ("browser tests"). */
export function gates(name: PrerequisiteName): string {
  return SPECS[name].gates;
}
