// The README's test command (`./dev test` = `pnpm test`): `turbo run lint typecheck test`, then one line
// saying which tests were skipped for a missing prerequisite (a browser, a database server) and how to
// enable them. Under CI=true a missing prerequisite fails the run before anything else starts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREREQUISITE_NAMES, gates, howToEnable, isCi, locate } from '../packages/test-support/src/prerequisites.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Test files that call prerequisite('<name>'), found by reading them rather than listed by hand. */
function testFilesUsing() {
  const users = Object.fromEntries(PREREQUISITE_NAMES.map((n) => [n, []]));
  const dirs = ['openapi', ...['packages', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(d, p)))];
  for (const dir of dirs) {
    const testDir = join(root, dir, 'test');
    if (!existsSync(testDir)) continue;
    for (const entry of readdirSync(testDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.test\.[cm]?[jt]s$/.test(entry.name)) continue;
      const file = join(entry.parentPath, entry.name);
      const text = readFileSync(file, 'utf8');
      for (const name of PREREQUISITE_NAMES) {
        if (new RegExp(`\\bprerequisite\\(\\s*['"]${name}['"]\\s*\\)`).test(text)) users[name].push(relative(root, file));
      }
    }
  }
  return users;
}

const users = testFilesUsing();
const found = PREREQUISITE_NAMES.filter((n) => users[n].length > 0).map((n) => locate(n));
const missing = found.filter((f) => !f.available);

if (isCi() && missing.length) {
  for (const m of missing) console.error(`test: ${m.reason}; CI=true requires it for ${users[m.name].join(', ')}: ${howToEnable(m.name)}`);
  process.exit(1);
}

// Turbo hashes this (turbo.json `test.env`), so a run that skipped tests is not replayed from the cache
// once the prerequisite is installed.
const fingerprint = found.map((f) => `${f.name}=${f.available ? f.path : 'missing'}`).join(';');
const turbo = spawnSync('turbo', ['run', 'lint', 'typecheck', 'test', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ZCRM_PREREQUISITES: fingerprint },
});

if (missing.length) {
  const parts = missing.map((m) => `${gates(m.name)} (${users[m.name].join(', ')}): ${m.reason}; to run them, ${howToEnable(m.name)}`);
  console.log(`\nskipped ${parts.join('; and ')}`);
} else if (found.length) {
  console.log(`\nprerequisites: ${found.map((f) => `${f.label} ${f.path}`).join(', ')}; no test skipped`);
}
process.exit(turbo.status ?? 1);
