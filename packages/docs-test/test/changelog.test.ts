// The CHANGELOG is written by changesets: `changeset version` (what `./dev version-packages` runs), in a
// scratch copy of the workspace's manifests and pending changesets, gives each public package a
// CHANGELOG.md holding every pending changeset that names it, under one version shared by the fixed
// group (.changeset/config.json), and leaves the private packages' versions alone.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT } from '../src/blocks.ts';

interface Changeset {
  file: string;
  bumps: Map<string, string>;
  summary: string;
}

/** A pending changeset: its front matter (`'package': bump` lines) and its summary. */
function readChangeset(file: string): Changeset {
  const text = readFileSync(join(ROOT, '.changeset', file), 'utf8');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`.changeset/${file}: no front matter`);
  const bumps = new Map<string, string>();
  for (const line of match[1]!.split(/\r?\n/).filter((l) => l.trim())) {
    const m = /^\s*['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line);
    if (!m) throw new Error(`.changeset/${file}: front matter line ${JSON.stringify(line)} is not 'package': major|minor|patch`);
    bumps.set(m[1]!, m[2]!);
  }
  return { file, bumps, summary: match[2]!.trim() };
}

const words = (text: string) => text.replace(/\s+/g, ' ').trim();
const workspaceDirs = ['openapi', ...['packages', 'apps'].flatMap((d) => readdirSync(join(ROOT, d)).map((p) => `${d}/${p}`))].filter((d) =>
  existsSync(join(ROOT, d, 'package.json')),
);
const manifests = new Map(workspaceDirs.map((d) => [d, JSON.parse(readFileSync(join(ROOT, d, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean }]));
const publicDirs = workspaceDirs.filter((d) => !manifests.get(d)!.private);
const changesets = readdirSync(join(ROOT, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md').map(readChangeset);
const scratch = mkdtempSync(join(tmpdir(), 'zcrm-changeset-version-'));

beforeAll(() => {
  for (const f of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(ROOT, f), join(scratch, f));
  cpSync(join(ROOT, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  for (const d of workspaceDirs) {
    mkdirSync(join(scratch, d), { recursive: true });
    for (const f of ['package.json', 'CHANGELOG.md']) if (existsSync(join(ROOT, d, f))) cpSync(join(ROOT, d, f), join(scratch, d, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: scratch, stdio: 'pipe' });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const after = (d: string) => JSON.parse(readFileSync(join(scratch, d, 'package.json'), 'utf8')) as { version: string };

test('there are pending changesets, each naming workspace packages', () => {
  expect(changesets.length).toBeGreaterThan(0);
  const names = new Set([...manifests.values()].map((m) => m.name));
  for (const c of changesets) expect([...c.bumps.keys()].filter((p) => !names.has(p)), c.file).toEqual([]);
});

test('the public packages move to one new version together (the fixed group)', () => {
  const versions = new Set(publicDirs.map((d) => after(d).version));
  expect(versions.size).toBe(1);
  if (changesets.some((c) => publicDirs.some((d) => c.bumps.has(manifests.get(d)!.name)))) {
    expect([...versions][0]).not.toBe(manifests.get(publicDirs[0]!)!.version);
  }
});

test('each public package\'s CHANGELOG.md holds, under the new version, every pending changeset that names it', () => {
  for (const d of publicDirs) {
    const name = manifests.get(d)!.name;
    const changelog = readFileSync(join(scratch, d, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${after(d).version}`);
    const missing = changesets.filter((c) => c.bumps.has(name) && !words(changelog).includes(words(c.summary))).map((c) => c.file);
    expect(missing, `${d}/CHANGELOG.md`).toEqual([]);
  }
});

test('private packages keep their versions (never versioned or published)', () => {
  for (const d of workspaceDirs.filter((w) => manifests.get(w)!.private)) expect(after(d).version, d).toBe(manifests.get(d)!.version);
});
