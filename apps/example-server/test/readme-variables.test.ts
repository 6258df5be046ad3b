// The README's variable table is written for people (longer explanations than ENV_VARS' one-liners), so it
// is not generated; this keeps the two in step: every variable the server reads is in the table, and the
// table names no variable the server does not read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../src/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The names in the first column of the `| variable | default | meaning |` table. */
function tableVariables(): string[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => /^\|\s*variable\s*\|\s*default\s*\|/.test(l));
  if (start < 0) throw new Error('README.md: no "| variable | default | meaning |" table');
  const names: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const first = line.split('|')[1] ?? '';
    names.push(...[...first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
  }
  return names;
}

describe('README variable table', () => {
  it('lists exactly the variables the server reads (ENV_VARS), each once', () => {
    const names = tableVariables();
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(ENV_VARS).sort());
  });
});
