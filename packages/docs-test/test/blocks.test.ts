// The extraction and the markers: what decides whether a README block is run, so a parsing slip would
// silently stop testing blocks.
import { describe, expect, test } from 'vitest';
import { blocksOf, parseMarker } from '../src/blocks.ts';

describe('blocksOf', () => {
  test('finds each fence with its language, line, text and the marker on the line before', () => {
    const readme = ['# T', '', '<!-- doc-test: skip (needs a Zoho org) -->', '```sh', 'zcrm-sharing share revoke', '```', '', '```ts', "const a = '```';", '```', '~~~js', 'x', '~~~'].join('\n');
    expect(blocksOf('R.md', readme)).toEqual([
      { readme: 'R.md', line: 4, lang: 'sh', info: '', text: 'zcrm-sharing share revoke\n', marker: { kind: 'skip', reason: 'needs a Zoho org' } },
      { readme: 'R.md', line: 8, lang: 'ts', info: '', text: "const a = '```';\n", marker: undefined },
      { readme: 'R.md', line: 11, lang: 'js', info: '', text: 'x\n', marker: undefined },
    ]);
  });

  test('a marker that is not on the line just before the fence does not apply', () => {
    const [block] = blocksOf('R.md', '<!-- doc-test: install -->\n\n```sh\nnpm i x\n```\n');
    expect(block!.marker).toBeUndefined();
  });

  test('keeps the info string after the language (the guides annotate there)', () => {
    expect(blocksOf('R.md', '```python file=app.py\nprint(1)\n```\n')[0]).toMatchObject({ lang: 'python', info: 'file=app.py' });
  });

  test('an indented block (in a list) loses its indentation', () => {
    expect(blocksOf('R.md', '- step\n\n  ```sh\n  echo hi\n  ```\n')[0]!.text).toBe('echo hi\n');
  });

  test('a block never closed is an error naming its line', () => {
    expect(() => blocksOf('R.md', 'a\n```sh\necho\n')).toThrow('R.md:2: code block never closed');
  });
});

describe('parseMarker', () => {
  test.each([
    ['install', { kind: 'install' }],
    ['output', { kind: 'output' }],
    ['skip (starts a server (until Ctrl-C))', { kind: 'skip', reason: 'starts a server (until Ctrl-C)' }],
  ])('%s', (text, marker) => {
    expect(parseMarker(text, 'R.md:1')).toEqual(marker);
  });

  test.each(['skip', 'skip ()', 'skip because', 'run', 'Install'])('refuses %j, naming the place and what is expected', (text) => {
    expect(() => parseMarker(text, 'R.md:7')).toThrow(/^R\.md:7: doc-test marker .*expected install, output or skip \(reason\)/);
  });
});
