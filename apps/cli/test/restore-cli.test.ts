// Backup before revoke and `share restore`, end to end against the sandbox with mixed shares (users,
// roles, groups; every permission; related records on and off; public and private): what is read,
// journalled and sent, and that a revoke then a restore leaves every record's shares as the seed had them.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, demoDirectory } from '@zcrm-sharing/sandbox';
import { createZohoCrmClient } from '@zcrm-sharing/client';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { against, idsFile, range, run, sandbox, summaryOf, tmp } from './helpers.ts';
import { key, mixedSandbox, seedKeys, seedShares } from './mixed-shares.ts';

const revoke = (file: string, ...more: string[]) => ['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', ...more];
const restore = (journal: string, ...more: string[]) => ['share', 'restore', '--journal', journal, '--json', ...more];
const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const stateKeys = (s: Awaited<ReturnType<typeof mixedSandbox>>, id: string) => s.record('Contacts', id)!.entries.map(key).sort();
const shared = (n: number) => range(n).filter((_, i) => seedShares(i).length > 0).length;

describe('share revoke backs up each record before its DELETE', () => {
  it('journals every share read (recipient, permission, related, visibility, time), mode 0600; a 204 read sends no DELETE; credits counted and announced', async () => {
    const n = 70;
    const s = await mixedSandbox(n);
    const { args, env } = against(s);
    const file = idsFile(range(n));
    const r = await run(revoke(file, ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(r.stderr).toContain(`this run uses up to ${2 * n} API credits (2 per record: a read for the backup, then the revoke; 1 when the read finds no share)`);
    const journal = `${file}.journal`;
    expect(statSync(journal).mode & 0o777).toBe(0o600);
    const [header, ...entries] = lines(journal);
    expect(header).toMatchObject({ journal: 'zcrm-sharing share revoke', version: 2, backup: true });
    const backups = entries.filter((e) => e.backup);
    expect(backups).toHaveLength(shared(n));
    for (const b of backups) {
      const i = Number(BigInt(b.id) - BigInt(range(1)[0]!));
      expect(b.backup.shares.map(key).sort()).toEqual(seedKeys(i));
      expect(b.backup.read_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(b.backup.shares.every((x: { shared_with: { name?: string } }) => typeof x.shared_with.name === 'string')).toBe(true);
    }
    const summary = summaryOf(r);
    expect(summary).toMatchObject({ revoked: shared(n), notShared: n - shared(n), backedUp: shared(n), credits: n + shared(n) });
    // Records shared with no one: read (204), journalled not_shared, never sent a DELETE.
    for (const [i, id] of range(n).entries()) expect(s.record('Contacts', id)!.revokeCalls, id).toBe(seedShares(i).length ? 1 : 0);
    expect(s.stats().revoke.calls).toBe(shared(n));
  });

  it('a token that may revoke but not read shares: stops at the first read naming the READ scope; nothing revoked', async () => {
    const s = await sandbox();
    const { args, env } = against(s, 'contacts-only');
    const r = await run(revoke(idsFile(range(20)), ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.AUTH);
    expect(r.stderr).toMatch(/lacks the scope to .*ZohoCRM\.share\.contacts\.READ/);
    expect(s.stats().revoke.calls).toBe(0);
  });

  it('a DELETE answered 429 is sent again without reading again: each record read once; the credits are every answer', async () => {
    const n = 300;
    const s = await mixedSandbox(n, { concurrencyLimit: 3, latencyMs: 5 });
    const { args, env } = against(s);
    const r = await run(revoke(idsFile(range(n)), ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    const stats = s.stats();
    expect(stats.rateLimited, 'the limit was hit (auto probes past it)').toBeGreaterThan(0);
    expect(stats.sharing.reads).toBe(n);
    expect(stats.revoke.calls).toBe(shared(n));
    expect(summaryOf(r).credits).toBe(stats.requests);
  });

  it('--no-backup: one DELETE per record, no backup line, the credit count says 1 per record', async () => {
    const s = await mixedSandbox(14);
    const { args, env } = against(s);
    const file = idsFile(range(14));
    const r = await run(revoke(file, '--no-backup', ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(r.stderr).toContain('up to 14 API credits (1 per record; --no-backup');
    expect(lines(`${file}.journal`).some((e) => e.backup)).toBe(false);
    expect(summaryOf(r)).toMatchObject({ backedUp: 0, credits: 14 });
  });

  it('a journal of version 1 (written before backups) still resumes', async () => {
    const s = await mixedSandbox(20);
    const { args, env } = against(s);
    const file = idsFile(range(20));
    const journal = `${file}.journal`;
    const first = await run(revoke(file, '--no-backup', ...args), env);
    expect(first.code).toBe(EXIT.OK);
    // Rewrite it as an older release wrote it: version 1, no `backup`, and only the first 5 ids done.
    const [header, ...entries] = lines(journal);
    delete header.backup;
    header.version = 1;
    writeFileSync(journal, [header, ...entries.slice(0, 5)].map((l) => JSON.stringify(l)).join('\n') + '\n', { mode: 0o600 });
    const r = await run(revoke(file, '--resume', ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(summaryOf(r)).toMatchObject({ skipped: 5 });
    expect(r.stderr).toContain("the journal's job ran without a backup");
  });
});

describe('share restore', () => {
  it('after a backed-up revoke: every record shared again exactly as the seed had it, two calls per shared record; a second run sends nothing', async () => {
    const n = 120;
    const s = await mixedSandbox(n);
    const { args, env } = against(s);
    const file = idsFile(range(n));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    for (const id of range(n)) expect(s.record('Contacts', id)!.shares).toBe(0);
    const journal = `${file}.journal`;
    const dry = await run(restore(journal, '--dry-run', ...args), env);
    expect(dry.code, dry.stderr).toBe(EXIT.OK);
    expect(summaryOf(dry)).toMatchObject({ records: shared(n), left: shared(n), restored: 0 });
    const before = s.stats();
    const r = await run(restore(journal, ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    for (const [i, id] of range(n).entries()) expect(stateKeys(s, id), id).toEqual(seedKeys(i));
    const summary = summaryOf(r);
    // A read, then one POST per call planned: a public entry alone, so a record with one costs three.
    const calls = range(n).reduce((c, _, i) => {
      const sh = seedShares(i);
      return c + (sh.length ? 1 + (sh.some((x) => x.visibility === 'private') ? 1 : 0) + sh.filter((x) => x.visibility === 'public').length : 0);
    }, 0);
    expect(summary).toMatchObject({ restored: shared(n), failed: 0, reshared: 0, credits: calls });
    expect(summary.entriesApplied).toBe(range(n).reduce((c, _, i) => c + seedShares(i).length, 0));
    expect(statSync(`${journal}.restore`).mode & 0o777).toBe(0o600);
    expect(s.stats().revoke.calls).toBe(before.revoke.calls);
    const again = await run(restore(journal, ...args), env);
    expect(again.code, again.stderr).toBe(EXIT.OK);
    expect(summaryOf(again)).toMatchObject({ skipped: shared(n), restored: 0, credits: 0 });
    for (const [i, id] of range(n).entries()) expect(stateKeys(s, id), id).toEqual(seedKeys(i));
  });

  it('a record shared again since the revoke is reported and left alone; --merge then adds the backed-up shares it lacks', async () => {
    const n = 30;
    const s = await mixedSandbox(n);
    const { args, env } = against(s);
    const file = idsFile(range(n));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    const client = createZohoCrmClient({ auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: s.apiBaseUrl });
    const someone = demoDirectory().users![12]!;
    const reshared = [range(n)[1]!, range(n)[2]!];
    for (const recordId of reshared) await client.shareRecord({ module: 'Contacts', recordId, share: [{ shared_with: { type: 'users', id: someone.id }, permission: 'full_access' }] });
    const theirs = reshared.map((id) => stateKeys(s, id));
    const r = await run(restore(`${file}.journal`, ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.PARTIAL);
    expect(reshared.map((id) => stateKeys(s, id))).toEqual(theirs);
    const summary = summaryOf(r);
    expect(summary.reshared).toBe(2);
    expect(summary.resharedRecords.map((x: { id: string }) => x.id).sort()).toEqual(reshared);
    expect(r.stderr).toContain(`shared again: Contacts ${reshared[0]} is shared with`);
    const merged = await run(restore(`${file}.journal`, '--merge', ...args), env);
    expect(merged.code, merged.stderr).toBe(EXIT.OK);
    for (const [j, id] of reshared.entries()) expect(stateKeys(s, id)).toEqual([...theirs[j]!, ...seedKeys(j + 1)].sort());
  });

  it('a partial answer (207): the entries applied are restored, the refused one reported by entry; the record is not journalled restored', async () => {
    // Record 3's seed shares include User 1 (users pool index (1 + j) for j = 0..2): make that user inactive.
    const inactive = demoDirectory().users![2]!.id;
    const i = range(7).findIndex((_, k) => seedShares(k).some((x) => x.id === inactive) && seedShares(k).filter((x) => x.visibility === 'private').length > 1);
    expect(i).toBeGreaterThanOrEqual(0);
    const s0 = await mixedSandbox(7);
    const { args, env } = against(s0);
    const file = idsFile(range(7));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    // The same backups restored into an org where that user is now inactive.
    const s = await mixedSandbox(7, { inactiveUser: inactive });
    const { args: args2, env: env2 } = against(s);
    expect((await run(revoke(idsFile(range(7)), '--no-backup', ...args2), env2)).code).toBe(EXIT.OK);
    const journal = join(tmp(), 'moved.journal');
    writeFileSync(journal, readFileSync(`${file}.journal`, 'utf8').replace(JSON.stringify(s0.url), JSON.stringify(s.url)), { mode: 0o600 });
    chmodSync(journal, 0o600);
    const r = await run(restore(journal, ...args2), env2);
    expect(r.code, r.stderr).toBe(EXIT.PARTIAL);
    const id = range(7)[i]!;
    const refused = summaryOf(r).refused.filter((x: { id: string }) => x.id === id);
    expect(refused.map((x: { share: { shared_with: { id: string } } }) => x.share.shared_with.id)).toEqual([inactive]);
    expect(stateKeys(s, id)).toEqual(seedKeys(i).filter((k) => !k.includes(inactive)));
    const ledger = lines(`${journal}.restore`).filter((e) => e.id === id);
    expect(ledger.map((e) => e.outcome)).toEqual(['started', 'partial']);
    expect(r.stderr).toContain(`refused: Contacts ${id}`);
  });

  it("takes the revoke journal's lock: while another live process holds it, exit LOCKED and nothing sent", async () => {
    const s = await mixedSandbox(10);
    const { args, env } = against(s);
    const file = idsFile(range(10));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    writeFileSync(`${file}.journal.lock`, `${JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() })}\n`);
    const before = s.stats().requests;
    const r = await run(restore(`${file}.journal`, ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.LOCKED);
    expect(s.stats().requests).toBe(before);
  });

  it('entries shared through another record (shared_through) are reported, never sent; the record\'s own shares are restored', async () => {
    const s = await mixedSandbox(2);
    const { args, env } = against(s);
    const file = idsFile(range(2));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    // A backup as Zoho would have listed it with an entry inherited from a parent record.
    const journal = `${file}.journal`;
    const [header, ...entries] = lines(journal);
    const own = entries.find((e) => e.backup && e.id === range(2)[1]);
    own.backup.shared_through = [{ ...own.backup.shares[0], shared_with: { type: 'groups', id: demoDirectory().groups![4]!.id }, shared_through: { id: '4150868000009999999', module: 'Accounts' } }];
    writeFileSync(journal, [header, ...entries].map((l) => JSON.stringify(l)).join('\n') + '\n', { mode: 0o600 });
    const r = await run(restore(journal, ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(summaryOf(r).sharedThroughRecords).toBe(1);
    expect(r.stderr).toContain('1 records had shares through another record (shared_through): not restored from here');
    expect(stateKeys(s, range(2)[1]!)).toEqual(seedKeys(1));
  });

  it("the revoke journal's org (its token's api_domain) is kept: a token of another org restores nothing, exit USAGE", async () => {
    const s = await mixedSandbox(10);
    const trio = { ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId, ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret, ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken };
    const { args, env } = against(s);
    const file = idsFile(range(10));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    // As if the revoke's refreshed token had reported the EU data centre.
    const journal = `${file}.journal`;
    const [header, ...entries] = readFileSync(journal, 'utf8').trim().split('\n');
    writeFileSync(journal, [header, JSON.stringify({ api_domain: 'https://www.zohoapis.eu' }), ...entries].join('\n') + '\n', { mode: 0o600 });
    const r = await run(restore(journal, ...args, '--token-url', s.tokenUrl), trio);
    expect(r.code, r.stderr).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('https://www.zohoapis.eu');
    expect(s.stats().sharing.writes).toBe(0);
  });

  it('--ids-file restores only those records', async () => {
    const s = await mixedSandbox(30);
    const { args, env } = against(s);
    const file = idsFile(range(30));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    const some = [range(30)[1]!, range(30)[8]!];
    const r = await run(restore(`${file}.journal`, '--ids-file', idsFile(some), ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    for (const [i, id] of range(30).entries()) expect(stateKeys(s, id)).toEqual(some.includes(id) ? seedKeys(i) : []);
  });

  it('--verify reads back the records restored and finds each with its backed-up shares', async () => {
    const s = await mixedSandbox(20);
    const { args, env } = against(s);
    const file = idsFile(range(20));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    const r = await run(restore(`${file}.journal`, '--verify', ...args), env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(summaryOf(r).verify).toMatchObject({ sampled: shared(20), confirmed: shared(20), missing: [], unreadable: [] });
  });
});
