// A file the CLI creates whole (the journal of a bulk run, of `share revoke --id`, of a restore) never
// replaces one already at its path, whatever appeared there after the CLI looked: the finished
// temporary is hard-linked into place, which fails if anything is there, instead of renamed over
// it. Only a journal the run read and chose to replace (it records nothing done) is renamed over.
// Where the filesystem has no hard links (link() refused: FAT, some network mounts), the same rule
// holds by a check then a rename. The file found there is left as it was, and no temporary remains.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Journal, JournalWriteError, type JobHeader } from '../src/bulk/journal.ts';
import { createAtomic } from '../src/files.ts';

// link() as the filesystem answers it: the real one, or refused as a filesystem without hard links does.
let linkRefused: string | undefined;
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return {
    ...real,
    linkSync: (from: fs.PathLike, to: fs.PathLike) => {
      if (linkRefused) throw Object.assign(new Error(`${linkRefused}: operation not permitted, link`), { code: linkRefused });
      return real.linkSync(from, to);
    },
  };
});
afterEach(() => {
  linkRefused = undefined;
});

const header: JobHeader = { module: 'Contacts', api: { origin: 'https://www.zohoapis.com', version: 'v8' }, input: { path: '/x', size: 1, sha256: 'a' } };
const dir = () => mkdtempSync(join(tmpdir(), 'zcrm-new-'));

describe.each([
  ['with hard links', undefined],
  ['on a filesystem without hard links (EPERM)', 'EPERM'],
  ['on a filesystem without hard links (ENOTSUP)', 'ENOTSUP'],
])('a new file %s', (_, refused) => {
  it('is created whole, mode 0600, no temporary left', () => {
    linkRefused = refused;
    const d = dir();
    const fd = createAtomic(join(d, 'j'), 'whole\n');
    fs.closeSync(fd);
    expect(readFileSync(join(d, 'j'), 'utf8')).toBe('whole\n');
    expect(statSync(join(d, 'j')).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['j']);
  });

  it('never replaces a file already there (EEXIST), which keeps its content; no temporary left', () => {
    linkRefused = refused;
    const d = dir();
    writeFileSync(join(d, 'j'), 'theirs\n');
    expect(() => createAtomic(join(d, 'j'), 'ours\n')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(join(d, 'j'), 'utf8')).toBe('theirs\n');
    expect(readdirSync(d)).toEqual(['j']);
  });

  it('a journal: refused with a JournalWriteError saying a file appeared (never replaced); with replace, the one read is replaced', () => {
    linkRefused = refused;
    const d = dir();
    const path = join(d, 'j.journal');
    writeFileSync(path, 'a journal of another job\n');
    const err = (() => {
      try {
        Journal.create(path, header);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(JournalWriteError);
    expect((err as Error).message).toBe(`could not write the journal ${path}: EEXIST a file appeared there meanwhile (it is never replaced)`);
    expect(readFileSync(path, 'utf8')).toBe('a journal of another job\n');
    const j = Journal.create(path, header, undefined, { replace: true });
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!)).toMatchObject({ module: 'Contacts' });
    expect(j.path).toBe(path);
    expect(readdirSync(d)).toEqual(['j.journal']);
  });
});
