// What a cell of the matrix runs in: a new user on one Node line with one package manager. A fresh
// home (so no npm, pnpm or yarn setting, cache, store or global folder from this machine or from
// another cell: every install is fetched from the registry), that Node first on PATH, npm and npx
// beside it (Node ships them), the cell's package manager, and the global bin folders a user of that
// manager has on PATH (npm's prefix, `pnpm setup`'s PNPM_HOME, `yarn global bin`). The only setting
// that points anywhere is the registry: npm_config_registry (npm and pnpm read it; yarn 1 reads
// YARN_REGISTRY, set to the same URL).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MANAGERS = ['npm', 'pnpm', 'yarn'];

/** Shims on PATH for npm, npx, pnpm and yarn, each run by whichever `node` comes first on PATH. */
export function writeShims(dir, { npmCli, npxCli, pnpmCli, yarnCli }) {
  const shim = (name, cli) => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\nexec node ${JSON.stringify(cli)} "$@"\n`);
    chmodSync(file, 0o755);
  };
  const all = {};
  for (const manager of MANAGERS) {
    const bin = join(dir, manager);
    mkdirSync(bin, { recursive: true });
    shim(join(manager, 'npm'), npmCli);
    shim(join(manager, 'npx'), npxCli);
    if (manager === 'pnpm') shim(join(manager, 'pnpm'), pnpmCli);
    if (manager === 'yarn') shim(join(manager, 'yarn'), yarnCli);
    all[manager] = bin;
  }
  return all;
}

/** The environment of one cell, rooted at `home` (created). */
export function cellEnvironment({ home, shims, nodeBin, registry }) {
  mkdirSync(home, { recursive: true });
  const prefix = join(home, '.global'); // npm's global prefix (what `npm config set prefix` gives a user); yarn 1 reads it too
  const pnpmHome = join(home, '.local', 'share', 'pnpm'); // where `pnpm setup` puts PNPM_HOME
  writeFileSync(join(home, '.npmrc'), `prefix=${prefix}\n`);
  const kept = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|yarn_|NODE_OPTIONS$|NODE_PATH$|PNPM_HOME$|XDG_|COREPACK_)/i.test(k)),
  );
  return {
    ...kept,
    HOME: home,
    PATH: [shims, nodeBin, pnpmHome, join(prefix, 'bin'), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    PNPM_HOME: pnpmHome,
    npm_config_registry: registry,
    YARN_REGISTRY: registry,
    // Quiet, not redirected: no update check, funding or audit request (the audit endpoint is not the registry's).
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    YARN_DISABLE_SELF_UPDATE_CHECK: 'true',
    // Yarn 1 run as root (CI) ignores HOME for these and uses /usr/local/share/.cache and .config: the
    // places it uses for any other user, inside the cell's home.
    YARN_CACHE_FOLDER: join(home, '.cache', 'yarn'),
    YARN_GLOBAL_FOLDER: join(home, '.config', 'yarn', 'global'),
    NO_COLOR: '1',
  };
}
