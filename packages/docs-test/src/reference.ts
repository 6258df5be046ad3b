// The typed API reference of the public packages (TypeDoc, typedoc.json): generated offline, failing on
// any export without a doc comment (validation.notDocumented with treatWarningsAsErrors).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const TYPEDOC = fileURLToPath(new URL('../node_modules/typedoc/bin/typedoc', import.meta.url));

export interface TypeDocRun {
  code: number | null;
  /** stdout and stderr, without colours. */
  log: string;
}

/** Runs TypeDoc with typedoc.json and `args` (which override it) in this package. */
export function typedoc(args: string[]): TypeDocRun {
  const run = spawnSync(process.execPath, [TYPEDOC, ...args], { cwd: PACKAGE_DIR, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: run.status, log: `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}
