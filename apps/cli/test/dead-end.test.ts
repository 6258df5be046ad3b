// No dead end: after a mistake, the message gives the exact command that works, and that command
// works. A journal with no success and no backup in it (nothing revoked, found not shared or backed
// up) is replaced by the corrected run, which says so; a journal with successes or backups is never
// replaced, and the command given continues it (--resume) or starts the new job beside it (another --journal).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { against, idsFile, range, run, sandbox, summaryOf, tmp } from './helpers.ts';

/** The command a message gives after `marker`, as argv for the bin (a POSIX shell's single quotes undone). */
function commandAfter(stderr: string, marker: string): string[] {
  const at = stderr.indexOf(marker);
  expect(at, `"${marker}" in:\n${stderr}`).toBeGreaterThanOrEqual(0);
  const line = stderr.slice(at + marker.length).split('\n')[0]!.trim();
  const args = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!));
  expect(args[0]).toBe('zcrm-sharing');
  return args.slice(1);
}

describe('no dead end', () => {
  it('--module Contact (a typo), then the command the message gives: exit OK, the journal replaced and said so', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(30), 'my ids.txt'); // a space: the command given must quote it
    const typo = await run(['share', 'revoke', '--module', 'Contact', '--ids-file', file, ...args], env);
    expect(typo.code).toBe(EXIT.USAGE);
    expect(typo.stderr).toContain('did you mean --module Contacts?');
    const next = commandAfter(typo.stderr, 'starts again, replacing it: ');
    expect(next).toContain('Contacts');
    const fixed = await run([...next, '--json'], env);
    expect(fixed.stderr).toMatch(/replacing the journal .*my ids\.txt\.journal: it records no revoke \(its job: --module Contact,/);
    expect(fixed.code, fixed.stderr).toBe(EXIT.OK);
    expect(summaryOf(fixed)).toMatchObject({ revoked: 27, notShared: 3, left: 0 });
  });

  it('the typo then --resume with the fix (as the old message said): the journal with no success is replaced, exit OK', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(10));
    expect((await run(['share', 'revoke', '--module', 'Contact', '--ids-file', file, ...args], env)).code).toBe(EXIT.USAGE);
    const resumed = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--resume', ...args], env);
    expect(resumed.stderr).toMatch(/replacing the journal .*: it records no revoke .*now --module: "Contact" in the journal, "Contacts" now/);
    expect(resumed.code, resumed.stderr).toBe(EXIT.OK);
  });

  it('a journal with successes is never replaced: --resume for another job gives the command with a journal of its own, which works', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(10));
    expect((await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, ...args], env)).code).toBe(EXIT.OK);
    const other = idsFile(range(10, 20));
    const refused = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', other, '--journal', `${file}.journal`, '--resume', ...args], env);
    expect(refused.code).toBe(EXIT.USAGE);
    const next = commandAfter(refused.stderr, 'To start this job with a journal of its own: ');
    expect(next).not.toContain('--resume');
    const r = await run(next, env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(s.stats().revoke.calls).toBe(18); // the 2 unshared of 20 are read (backup), not sent a DELETE
  });

  it('a journal with backups but no success (every read answered, every DELETE refused) is never replaced: the command given continues it with --resume, exit OK', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(10));
    const journal = `${file}.journal`;
    // A token whose user may read shares but not revoke them: the first DELETE stops the run, after its read was journalled.
    const refused = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, ...args], { ...env, ZOHO_ACCESS_TOKEN: 'read-only' });
    expect(refused.code).not.toBe(EXIT.OK);
    const backedUp = readFileSync(journal, 'utf8');
    expect(backedUp).toMatch(/"shares":\[/); // at least one record's shares are in it
    expect(refused.stderr).not.toContain('replacing it');
    // Run again without --resume (the mistake): refused, the backups kept, the command given continues the job.
    const again = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, ...args], env);
    expect(again.code).toBe(EXIT.USAGE);
    expect(again.stderr).toMatch(/the shares of \d+ records backed up/);
    expect(readFileSync(journal, 'utf8')).toBe(backedUp);
    const next = commandAfter(again.stderr, 'To continue that job: ');
    expect(next).toContain('--resume');
    const r = await run([...next, '--json'], env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(readFileSync(journal, 'utf8').startsWith(backedUp)).toBe(true);
    expect(summaryOf(r)).toMatchObject({ left: 0 });
  });

  it('a journal with successes, run again without --resume: the command given continues it, exit OK', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(10));
    const journal = join(tmp(), 'job.journal');
    expect((await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--journal', journal, ...args], env)).code).toBe(EXIT.OK);
    const again = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--journal', journal, ...args], env);
    expect(again.code).toBe(EXIT.USAGE);
    const r = await run(commandAfter(again.stderr, 'To continue that job: '), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(s.stats().revoke.calls).toBe(9); // nothing sent twice (the 1 unshared of 10 is read, not sent a DELETE)
  });
});
