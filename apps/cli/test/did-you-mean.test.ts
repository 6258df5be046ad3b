// "Did you mean": a property over every option of every command: one slip (a letter dropped, added,
// changed, or two swapped) in a name of 4 letters or more is answered with a name; the start of a
// name is answered with that name when no other starts the same way.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { COMMANDS } from '../src/commands/index.ts';
import { COMMON, CONNECTION } from '../src/commands/shared-options.ts';
import { closest } from '../src/did-you-mean.ts';

const names = [...new Set([...COMMANDS.flatMap((c) => Object.keys(c.options)), ...Object.keys(CONNECTION), ...Object.keys(COMMON)])];
const long = names.filter((n) => n.length >= 4);

const slip = fc.record({ name: fc.constantFrom(...long), at: fc.nat(), kind: fc.constantFrom('drop', 'add', 'change', 'swap'), ch: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-') }).map(({ name, at, kind, ch }) => {
  const i = at % name.length;
  if (kind === 'drop') return name.slice(0, i) + name.slice(i + 1);
  if (kind === 'add') return name.slice(0, i) + ch + name.slice(i);
  if (kind === 'change') return name.slice(0, i) + ch + name.slice(i + 1);
  const j = Math.min(i + 1, name.length - 1);
  return i === j ? name : name.slice(0, i) + name[j] + name[i] + name.slice(j + 1);
});

test.prop([slip])('one slip in an option name is answered with a name', (typed) => {
  expect(closest(typed, names)).toBeDefined();
});

test.prop([fc.constantFrom(...long), fc.integer({ min: 2, max: 30 })])('the start of a name is answered with a name that starts so', (name, n) => {
  const typed = name.slice(0, Math.min(n, name.length));
  expect(closest(typed, names)?.startsWith(typed)).toBe(true);
});
