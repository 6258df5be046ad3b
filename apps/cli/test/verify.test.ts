// --verify and share show, through the built bin against the sandbox, both ways: every sampled record
// read back shared with no one (exit OK), and a record the sandbox shares again after its revoke caught
// (listed, exit STILL_SHARED). The sampler and the sample's size are unit-tested below.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { RevokedSample, sampleSize, verifyPlan } from '../src/bulk/verify.ts';
import { against, idAt, idsFile, isShared, range, run, sandbox, summaryOf } from './helpers.ts';

// --verify counts its own reads: without the backup's reads before each DELETE.
const revoke = (file: string, ...more: string[]) => ['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', '--no-backup', ...more];

describe('share revoke --ids-file --verify', () => {
  it('every revoked record read back shared with no one: verified, exit OK; the sample is in the summary', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const r = await run(revoke(idsFile(range(300)), '--verify', ...args), env);
    expect(r.code).toBe(EXIT.OK);
    // 270 revoked (every 10th was not shared): 1% is 2.7, so 3 reads.
    expect(summaryOf(r)).toMatchObject({
      revoked: 270,
      exitCode: EXIT.OK,
      verify: { sample: '1% (at least 1, at most 100)', revoked: 270, sampled: 3, confirmed: 3, stillShared: [], unreadable: [], notRead: 0 },
    });
    expect(s.stats().sharing.reads).toBe(3);
    expect(r.stderr).toMatch(/verify: read back 3 of 270 revoked .*: 3 shared with no one: verified/);
  });

  it('a record the sandbox shares again after its revoke is caught and listed: exit STILL_SHARED', async () => {
    const reshared = idAt(4);
    const s = await sandbox({ resharedAfterRevoke: [reshared] });
    const { args, env } = against(s);
    const r = await run(revoke(idsFile(range(50)), '--verify-sample', '100%', ...args), env);
    expect(r.code).toBe(EXIT.STILL_SHARED);
    const summary = summaryOf(r);
    expect(summary).toMatchObject({ revoked: 45, exitCode: EXIT.STILL_SHARED, exit: 'STILL_SHARED', verify: { sampled: 45, confirmed: 44, unreadable: [], notRead: 0 } });
    expect(summary.verify.stillShared).toEqual([{ id: reshared, shares: [expect.objectContaining({ shared_with: expect.objectContaining({ type: 'users' }), permission: 'read_write' })] }]);
    expect(r.stderr).toContain(`still shared: Contacts ${reshared}, which Zoho said it revoked, is shared with User 4 (users `);
    expect(s.record('Contacts', reshared)).toMatchObject({ shares: 1, revokeSuccesses: 1 });
  });

  it('a count: exactly that many reads; with the default sample the one re-shared record is caught when sampled', async () => {
    const s = await sandbox({ resharedAfterRevoke: [idAt(0)] });
    const { args, env } = against(s);
    // One id, revoked: the default sample is at least 1, so it is read back.
    const one = await run(revoke(idsFile([idAt(0)]), '--verify', ...args), env);
    expect([one.code, summaryOf(one).verify.sampled, summaryOf(one).verify.stillShared.length]).toEqual([EXIT.STILL_SHARED, 1, 1]);
    const counted = await run(revoke(idsFile(range(40, 100)), '--verify-sample', '7', ...args), env);
    expect([counted.code, summaryOf(counted).verify.sampled]).toEqual([EXIT.OK, 7]);
    expect(s.stats().sharing.reads).toBe(8);
  });

  it('a token that may revoke but not read shares: the verification stops at the first read, listed as unreadable, exit STILL_SHARED', async () => {
    const s = await sandbox();
    const { args, env } = against(s, 'contacts-only');
    const r = await run(revoke(idsFile(range(30)), '--verify-sample', '10', ...args), env);
    expect(r.code).toBe(EXIT.STILL_SHARED);
    const v = summaryOf(r).verify;
    expect(v.confirmed).toBe(0);
    expect(v.unreadable.length + v.notRead).toBe(10);
    expect(v.unreadable.every((u: { error: string }) => u.error === 'OAUTH_SCOPE_MISMATCH')).toBe(true);
    // The scopes named are the spec's for the read (x-zoho scopes), filled in for the module.
    expect(v.stopped).toMatch(/OAUTH_SCOPE_MISMATCH.*: the token lacks the scope to read the sharing of Contacts records \(ZohoCRM\.share\.contacts\.READ or ZohoCRM\.share\.contacts\.ALL or ZohoCRM\.share\.all\)/);
    // The reads stop at the first refusal: at most the reads already in flight went out.
    expect(s.stats().sharing.reads).toBeLessThanOrEqual(4);
  });

  it('a run that stops early is not verified (skipped, said so); nothing revoked: nothing to read', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const stopped = await run(['share', 'revoke', '--module', 'Contact', '--ids-file', idsFile(range(20)), '--json', '--verify', '--no-backup', ...args], env);
    expect([stopped.code, summaryOf(stopped).verify]).toEqual([EXIT.USAGE, { sample: '1% (at least 1, at most 100)', skipped: 'the run stopped early' }]);
    const none = await run(revoke(idsFile([idAt(9), idAt(19)]), '--verify', ...args), env); // both already not shared
    expect([none.code, summaryOf(none).verify.sampled]).toEqual([EXIT.OK, 0]);
    expect(s.stats().sharing.reads).toBe(0);
  });

  it.each([
    [['--verify-sample', '0'], /--verify-sample: expected a count from 1 to 10000 or a share of the revoked records from 0.01% to 100%, got "0"/],
    [['--verify-sample', '101%'], /--verify-sample: expected .* got "101%"/],
    [['--verify-sample', 'lots'], /--verify-sample: expected .* got "lots"/],
    [['--verify', '--dry-run'], /--verify reads back what a run revoked; a --dry-run revokes nothing/],
  ])('%j: a usage error before anything is sent', async (flags, message) => {
    const s = await sandbox();
    const { args, env } = against(s);
    const r = await run(revoke(idsFile(range(5)), ...(flags as string[]), ...args), env);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(message);
    expect(s.stats().requests).toBe(0);
  });
});

describe('share revoke --id --verify', () => {
  it('reads the record back: shared with no one, exit OK; shared again, exit STILL_SHARED', async () => {
    const s = await sandbox({ resharedAfterRevoke: [idAt(1)] });
    const { args, env } = against(s);
    const ok = await run(['share', 'revoke', '--module', 'Contacts', '--id', idAt(0), '--verify', '--json', '--no-backup', ...args], env);
    expect([ok.code, JSON.parse(ok.stdout)]).toEqual([EXIT.OK, { type: 'result', id: idAt(0), outcome: 'revoked', verified: true }]);
    const still = await run(['share', 'revoke', '--module', 'Contacts', '--id', idAt(1), '--verify', '--no-backup', ...args], env);
    expect(still.code).toBe(EXIT.STILL_SHARED);
    expect(still.stderr).toMatch(new RegExp(`still shared: Contacts ${idAt(1)} is shared with User 1 \\(users \\d+\\): read_write`));
    const sample = await run(['share', 'revoke', '--module', 'Contacts', '--id', idAt(2), '--verify-sample', '5', ...args], env);
    expect([sample.code, sample.stderr]).toEqual([EXIT.USAGE, expect.stringMatching(/--verify-sample: only with --ids-file/)]);
  });
});

describe('share show', () => {
  it('lists who the record is shared with; after a revoke, "not shared" (204); --json has the shares as Zoho lists them', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const id = idAt(3);
    expect(isShared(id)).toBe(true);
    const shown = await run(['share', 'show', '--module', 'Contacts', '--id', id, ...args], env);
    expect(shown.code).toBe(EXIT.OK);
    expect(shown.stdout).toMatch(new RegExp(`^Contacts ${id} is shared with 1 user, role or group:\\n  User 3 \\(users \\d+\\): read_write, related records not shared, since \\S+, by Sandbox Admin \\(4150868000000225013\\), private\\n$`));
    const json = await run(['share', 'show', '--module', 'Contacts', '--id', id, '--json', ...args], env);
    expect(JSON.parse(json.stdout)).toEqual({ type: 'shares', module: 'Contacts', id, shared: true, shares: s.record('Contacts', id)!.entries });
    await run(['share', 'revoke', '--module', 'Contacts', '--id', id, ...args], env);
    const after = await run(['share', 'show', '--module', 'Contacts', '--id', id, '--json', ...args], env);
    expect([after.code, JSON.parse(after.stdout)]).toEqual([EXIT.OK, { type: 'shares', module: 'Contacts', id, shared: false, shares: [] }]);
    const words = await run(['share', 'show', '--module', 'Contacts', '--id', id, ...args], env);
    expect(words.stdout).toBe(`Contacts ${id} is not shared (Zoho answered 204: shared with no one)\n`);
  });

  it("--shared-to: only that user's shares (Zoho's sharedTo); another user's: not shared with them", async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const id = idAt(3);
    const user = s.record('Contacts', id)!.entries[0]!.shared_with.id;
    const mine = await run(['share', 'show', '--module', 'Contacts', '--id', id, '--shared-to', user, '--json', ...args], env);
    expect([mine.code, JSON.parse(mine.stdout)]).toEqual([EXIT.OK, { type: 'shares', module: 'Contacts', id, sharedTo: user, shared: true, shares: s.record('Contacts', id)!.entries }]);
    const other = '4150868000000224015';
    const none = await run(['share', 'show', '--module', 'Contacts', '--id', id, '--shared-to', other, ...args], env);
    expect([none.code, none.stdout]).toEqual([EXIT.OK, `Contacts ${id} is not shared with user ${other} (Zoho answered 204)\n`]);
  });

  it.each([
    [['--module', 'Contacts', '--id', idAt(0), '--shared-to', 'me'], /--shared-to: expected a user id of 1-19 digits/],
    [['--module', 'Contacts'], /share show needs --id ID/],
    [['--module', 'Events', '--id', idAt(0)], /--module: expected a module .*\(not Events, Calls or Tasks\)/],
    [['--module', 'Contacts', '--id', '12x'], /--id: expected a record id of 1-19 digits/],
    [['--module', 'Contacts', '--id', idAt(0), '--ids-file', 'x'], /--ids-file is not an option of share show/],
  ])('%j: a usage error, nothing sent', async (flags, message) => {
    const s = await sandbox();
    const { args, env } = against(s);
    const r = await run(['share', 'show', ...(flags as string[]), ...args], env);
    expect([r.code, r.stderr]).toEqual([EXIT.USAGE, expect.stringMatching(message)]);
    expect(s.stats().requests).toBe(0);
  });

  it('a token without the read scope: exit AUTH naming OAUTH_SCOPE_MISMATCH', async () => {
    const s = await sandbox();
    const { args, env } = against(s, 'contacts-only');
    const r = await run(['share', 'show', '--module', 'Contacts', '--id', idAt(0), ...args], env);
    expect([r.code, r.stderr]).toEqual([EXIT.AUTH, expect.stringMatching(/OAUTH_SCOPE_MISMATCH/)]);
  });
});

describe('the sample', () => {
  it('size: 1% of the revoked, at least 1, at most 100 by default; a count or a share as asked, never more than revoked', () => {
    const byDefault = verifyPlan({ verify: true })!;
    expect([0, 1, 99, 100, 101, 270, 10_000, 10_001, 1_000_000].map((n) => sampleSize(byDefault, n))).toEqual([0, 1, 1, 1, 2, 3, 100, 100, 100]);
    expect(sampleSize(verifyPlan({ 'verify-sample': '25' })!, 10)).toBe(10);
    expect(sampleSize(verifyPlan({ 'verify-sample': '25' })!, 1000)).toBe(25);
    expect(sampleSize(verifyPlan({ 'verify-sample': '10%' })!, 1_000_000)).toBe(10_000);
    expect(sampleSize(verifyPlan({ 'verify-sample': '0.5%' })!, 1000)).toBe(5);
    expect(verifyPlan({})).toBeUndefined();
  });

  it('uniform: over many draws every id is sampled about as often (bounded memory, any size up to the capacity)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const counts = new Map<string, number>();
    const draws = 2000;
    for (let d = 0; d < draws; d++) {
      const sample = new RevokedSample({ kind: 'count', count: 5 }, random);
      for (let i = 0; i < 50; i++) sample.offer(String(i));
      const taken = sample.take(5);
      expect(new Set(taken).size).toBe(5);
      for (const id of taken) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    // Each id: expected 2000 * 5/50 = 200 times.
    expect(counts.size).toBe(50);
    for (const n of counts.values()) expect(n).toBeGreaterThan(140);
    for (const n of counts.values()) expect(n).toBeLessThan(260);
  });
});
