// No write through a link: every file the CLI creates (the journal's temporary, the snapshot, the
// lock, the config file; backups will use the same helper) is created exclusively with mode 0600,
// and the journal reopened on --resume is opened with O_NOFOLLOW. A link planted at each path is
// refused with an error naming it, and the file it points to is left as it was.
import { lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotWriter } from '../src/bulk/input.ts';
import { Journal, type JobHeader } from '../src/bulk/journal.ts';
import { acquireLock } from '../src/bulk/lock.ts';
import { writeConfig } from '../src/credentials.ts';
import { EXIT } from '../src/exit-codes.ts';
import { createExclusive, LinkError } from '../src/files.ts';
import { against, idAt, idsFile, run, sandbox, tmp } from './helpers.ts';

const header: JobHeader = { module: 'Contacts', api: { origin: 'https://www.zohoapis.com', version: 'v8' }, input: { path: '/x', size: 1, sha256: 'a' } };

/** A file of the user's, and a link to it at `path`. */
function plant(path: string): string {
  const victim = join(mkdtempSync(join(tmpdir(), 'zcrm-victim-')), 'precious.txt');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, path);
  return victim;
}
const untouched = (victim: string) => expect(readFileSync(victim, 'utf8')).toBe('precious\n');

describe('a link planted where the CLI writes', () => {
  it.each([
    ['the journal temporary (J.tmp-<pid>)', (j: string) => `${j}.tmp-${process.pid}`, (j: string) => Journal.create(j, header)],
    ['the journal itself (J)', (j: string) => j, (j: string) => Journal.create(j, header)],
    ['the snapshot (J.ids)', (j: string) => `${j}.ids`, (j: string) => new SnapshotWriter(`${j}.ids`)],
    ['the lock (J.lock)', (j: string) => `${j}.lock`, (j: string) => acquireLock(j)],
    ['the journal on --resume (O_NOFOLLOW)', (j: string) => j, (j: string) => Journal.append(j, 0)],
    ['the config file', (j: string) => j, (j: string) => writeConfig({ clientId: 'a', clientSecret: 'b', refreshToken: 'c' }, j)],
  ])('%s: refused, naming it; the file it points to unchanged', (_, at, write) => {
    const journal = join(tmp(), 'j.journal');
    const victim = plant(at(journal));
    expect(() => write(journal)).toThrow(new LinkError(at(journal)));
    expect(() => write(journal)).toThrow(`${at(journal)} is a symbolic link`);
    untouched(victim);
    expect(lstatSync(at(journal)).isSymbolicLink()).toBe(true);
  });

  it('files are created exclusively with mode 0600; a regular file a crash left is replaced only when asked', () => {
    const path = join(tmp(), 'new');
    createExclusive(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => createExclusive(path)).toThrow(/EEXIST/);
    expect(() => createExclusive(path, { replace: true })).not.toThrow();
    const j = Journal.create(join(tmp(), 'j.journal'), header);
    expect(statSync(j.path).mode & 0o777).toBe(0o600);
  });
});

describe('through the bin', () => {
  it('a J.ids link planted beside the journal: exit IO naming it, nothing sent, the target unchanged', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile([idAt(0), idAt(1)]);
    const journal = join(tmp(), 'j.journal');
    const victim = plant(`${journal}.ids`);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--journal', journal, ...args], env);
    expect(r.code).toBe(EXIT.IO);
    expect(r.stderr).toContain(`${journal}.ids is a symbolic link`);
    untouched(victim);
    expect(s.stats().revoke.calls).toBe(0);
  });

  it('the journal itself a link on --resume: exit IO naming it, nothing sent, the target unchanged', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile([idAt(0)]);
    const journal = join(tmp(), 'j.journal');
    const victim = plant(journal);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--journal', journal, '--resume', ...args], env);
    expect(r.code).toBe(EXIT.IO);
    expect(r.stderr).toContain(`${journal} is a symbolic link`);
    untouched(victim);
    expect(s.stats().revoke.calls).toBe(0);
  });
});
