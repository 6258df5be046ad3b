// What the matrix relies on about the registry, checked before it runs (an npm cell's environment, an
// empty folder): a third-party package resolves through Verdaccio's uplink, and the lockfile records
// Verdaccio's URL for it, so a dependency the packages gain later installs, through Verdaccio. (That our
// own packages come from what was published is checked per install: the lockfile's integrity is the
// published tarball's.) Returns a list of failure messages (empty when all hold).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLine } from './processes.mjs';

const THIRD_PARTY = 'is-number'; // small, no dependencies, on the npm registry for a decade

export async function checkRegistry({ base, env, registry }) {
  const dir = join(base, 'uplink');
  mkdirSync(dir, { recursive: true });
  const r = await runLine(`npm install ${THIRD_PARTY}`, { cwd: dir, env, timeoutMs: 120_000 });
  if (!r.ok) return [`\`npm install ${THIRD_PARTY}\` through the uplink: exit ${r.code}\n${r.out}`];
  const resolved = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages[`node_modules/${THIRD_PARTY}`]?.resolved;
  return resolved?.startsWith(registry) ? [] : [`${THIRD_PARTY} was not resolved from the local registry: ${resolved}`];
}
