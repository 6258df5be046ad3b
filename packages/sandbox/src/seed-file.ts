// A seed given as a file path (`--seed FILE`, `startSandbox({ seed: 'file.json' })`): read with node:fs,
// outside the core, which only ever gets the seed object.
import { readFileSync } from 'node:fs';
import { demoSeed, type SandboxSeed } from './seed.js';

/** Reads a seed file. The sandbox never writes it, so a fault can never corrupt it. */
export function loadSeed(seed: SandboxSeed | string | undefined): SandboxSeed {
  if (seed === undefined) return demoSeed();
  if (typeof seed !== 'string') return seed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(seed, 'utf8'));
  } catch (err) {
    throw new Error(`seed: could not read ${seed} as JSON (${(err as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`seed: expected a JSON object in ${seed}`);
  for (const r of (parsed as SandboxSeed).records ?? []) {
    if (typeof r.id !== 'string') throw new Error(`seed: record ids must be JSON strings (a number loses digits above 2^53); got ${JSON.stringify(r.id)} in ${seed}`);
  }
  return parsed as SandboxSeed;
}
