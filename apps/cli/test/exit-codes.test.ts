// The CLI's exit codes live in one table (src/exit-codes.ts): --help prints it, the README reproduces
// it, no exit path uses a number of its own, and every code is driven by a test.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_TABLE, exitCodesHelp } from '../src/exit-codes.ts';
import { run } from './helpers.ts';

const read = (rel: string) => readFileSync(new URL(rel, import.meta.url), 'utf8');

describe('the exit-code table', () => {
  it("the README's table is the code's table, row for row", () => {
    const readme = read('../README.md');
    const section = readme.slice(readme.indexOf('| code | meaning |'));
    const rows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => ({ code: Number(m[1]), meaning: m[2]!.replace(/`/g, '') }));
    expect(rows).toEqual(EXIT_TABLE.map(({ code, meaning }) => ({ code, meaning })));
  });

  it('--help prints it', async () => {
    const r = await run(['--help']);
    expect(r.stdout).toContain(exitCodesHelp());
    for (const { code, meaning } of EXIT_TABLE) expect(r.stdout).toMatch(new RegExp(`^ +${code}  ${meaning.replace(/[()*.?+[\]]/g, '\\$&')}$`, 'm'));
  });

  it('no source file returns or sets an exit code of its own', () => {
    const dir = new URL('../src/', import.meta.url);
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'exit-codes.ts')) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(text, file).not.toMatch(/return \d+;|exitCode\s*=\s*\d|process\.exit\(\d/);
    }
  });

  it('every code is driven by a test', () => {
    const dir = new URL('./', import.meta.url);
    const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f !== 'exit-codes.test.ts').map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
    for (const { name } of EXIT_TABLE) expect(tests, name).toMatch(new RegExp(`\\b(EXIT|CODES)\\.${name}\\b|exit: '${name}'`));
  });
});
