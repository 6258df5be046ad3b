// How install blocks are read (install-blocks.mjs), and that no README install line escapes the
// registry step: every shell block that installs a @zcrm-sharing package carries the install marker.
// Run by .ci/steps/45-registry.sh before the matrix: node --test .ci/registry/install-blocks.test.mjs
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allInstallBlocks, installBlocks, isGlobal, managerOf, MARKER, packagesOf, trackedReadmes } from './install-blocks.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = (text) => {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-install-blocks-'));
  writeFileSync(join(dir, 'README.md'), text);
  return dir;
};

describe('install blocks', () => {
  it('keeps each line as printed (comments too), skips blank and comment-only lines, joins continuations', () => {
    const dir = readme(['# T', '', MARKER, '```sh', 'npm install @zcrm-sharing/client   # the client', '', '# or:', 'pnpm add \\', '  @zcrm-sharing/client', '```', ''].join('\n'));
    assert.deepEqual(installBlocks(dir, 'README.md'), [
      {
        readme: 'README.md',
        line: 4,
        commands: [
          { text: 'npm install @zcrm-sharing/client   # the client', manager: 'npm' },
          { text: 'pnpm add  @zcrm-sharing/client', manager: 'pnpm' },
        ],
      },
    ]);
  });

  it('reads only marked blocks', () => {
    const dir = readme(['```sh', 'npm install @zcrm-sharing/client', '```', '<!-- doc-test: skip (not here) -->', '```sh', 'npm install x', '```'].join('\n'));
    assert.deepEqual(installBlocks(dir, 'README.md'), []);
  });

  it('refuses a marker that is not right before a shell fence, or a block never closed, naming the line', () => {
    assert.throws(() => installBlocks(readme(['a', MARKER, '', '```sh', 'npm i x', '```'].join('\n')), 'README.md'), /README\.md:2: .*must be followed by a ```sh fence/);
    assert.throws(() => installBlocks(readme([MARKER, '```ts', 'x', '```'].join('\n')), 'README.md'), /README\.md:1:/);
    assert.throws(() => installBlocks(readme([MARKER, '```sh', 'npm i x'].join('\n')), 'README.md'), /README\.md:2: the install block is never closed/);
  });

  it('tags a line with the manager its first word names; npx and other commands name none', () => {
    assert.equal(managerOf('npm install --global @zcrm-sharing/cli'), 'npm');
    assert.equal(managerOf('  pnpm add -D x'), 'pnpm');
    assert.equal(managerOf('yarn global add x'), 'yarn');
    assert.equal(managerOf('npx @zcrm-sharing/cli --help'), null);
    assert.equal(managerOf('zcrm-sharing rules rerun --module Leads --wait --sandbox'), null);
    assert.equal(managerOf('npmx install'), null);
  });

  it('tells global installs from local ones, and reads package names, both before the comment', () => {
    for (const g of ['npm install --global @zcrm-sharing/cli', 'npm i -g @zcrm-sharing/cli', 'pnpm add --global @zcrm-sharing/cli', 'yarn global add @zcrm-sharing/cli']) assert.equal(isGlobal(g), true, g);
    for (const l of ['npm install @zcrm-sharing/client  # not -g', 'pnpm add --save-dev @zcrm-sharing/sandbox', 'yarn add @zcrm-sharing/openapi # yarn global add']) assert.equal(isGlobal(l), false, l);
    assert.deepEqual(packagesOf('npm install --save-dev @zcrm-sharing/sandbox @zcrm-sharing/client   # or @zcrm-sharing/cli'), ['@zcrm-sharing/sandbox', '@zcrm-sharing/client']);
  });
});

describe("this repository's READMEs", () => {
  it('mark every shell block that installs a @zcrm-sharing package, so the registry step runs it', () => {
    const marked = new Set(allInstallBlocks(root).map((b) => `${b.readme}:${b.line}`));
    const unmarked = [];
    for (const file of trackedReadmes(root)) {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      let fence = null;
      lines.forEach((line, i) => {
        if (fence === null && /^```(sh|bash|shell)\s*$/.test(line)) fence = i + 1;
        else if (fence !== null && /^```\s*$/.test(line)) fence = null;
        else if (fence !== null && /^(npm (i|install|add)|pnpm add|yarn (global )?add)\b.*@zcrm-sharing\//.test(line.trim()) && !marked.has(`${file}:${fence}`)) unmarked.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(unmarked, []);
  });

  it('print an npm, a pnpm and a yarn line for each package', () => {
    const lines = allInstallBlocks(root).flatMap((b) => b.commands);
    for (const name of ['@zcrm-sharing/client', '@zcrm-sharing/sandbox', '@zcrm-sharing/cli', '@zcrm-sharing/openapi']) {
      for (const manager of ['npm', 'pnpm', 'yarn']) {
        assert.ok(lines.some((c) => c.manager === manager && packagesOf(c.text).includes(name)), `no ${manager} install line for ${name}`);
      }
    }
  });
});
