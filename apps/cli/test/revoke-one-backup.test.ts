// `share revoke --id` backs the record up before its DELETE (issue 26, for one record): its shares read
// and journalled in the bulk run's format (MODULE-ID.revoke.journal in the current directory, or
// --journal), never over an existing file nor through a link; `share restore --journal` puts them
// back exactly. Against the sandbox with mixed shares (users, roles, groups; every permission;
// related records on and off; public and private), each CLI run in a directory of its own.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { fc, it as prop } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { against, idAt, run, tmp, type Run } from './helpers.ts';
import { key, mixedSandbox, seedKeys, seedShares } from './mixed-shares.ts';

const N = 70;
const revoke = (id: string, ...more: string[]) => ['share', 'revoke', '--module', 'Contacts', '--id', id, ...more];
const restore = (journal: string, ...more: string[]) => ['share', 'restore', '--journal', journal, ...more];
const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const records = (r: Run) => r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const defaultName = (id: string) => `Contacts-${id}.revoke.journal`;
const stateKeys = (s: Awaited<ReturnType<typeof mixedSandbox>>, id: string) => s.record('Contacts', id)!.entries.map(key).sort();
/** Record 6 of the seed: a user, a role and a group twice each, every permission, related records on and off, one public. */
const MIXED = 6;
/** A sandbox of N records with mixed shares, a directory for the CLI to run in, record i's id. */
async function setup(i = MIXED) {
  const s = await mixedSandbox(N);
  return { s, ...against(s), cwd: tmp(), id: idAt(i) };
}

describe('share revoke --id backs up, share restore puts back', () => {
  it('the record shared with users, roles and groups (mixed permissions, related on and off, public): journalled in MODULE-ID.revoke.journal (0600), revoked, then restored exactly', async () => {
    const shares = seedShares(MIXED);
    expect(new Set(shares.map((x) => x.type))).toEqual(new Set(['users', 'roles', 'groups']));
    expect(new Set(shares.map((x) => x.permission)).size).toBe(3);
    expect(new Set(shares.map((x) => x.shareRelatedRecords))).toEqual(new Set([true, false]));
    const { s, args, env, cwd, id } = await setup();
    const r = await run(revoke(id, ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    const journal = join(cwd, defaultName(id));
    expect(statSync(journal).mode & 0o777).toBe(0o600);
    expect(s.record('Contacts', id)!.shares).toBe(0);
    // The bulk run's format: header (same format and version), one backup line, the outcome line.
    const [header, backup, outcome, ...rest] = lines(journal);
    expect(header).toMatchObject({ journal: 'zcrm-sharing share revoke', version: 2, module: 'Contacts', backup: true, api: { version: 'v8' } });
    expect(backup.id).toBe(id);
    expect(backup.backup.shares.map(key).sort()).toEqual(seedKeys(MIXED));
    expect(backup.backup.read_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect([outcome, rest]).toEqual([{ id, outcome: 'revoked' }, []]);
    expect(r.stderr).toContain('this revoke uses up to 2 API credits (a read for the backup, then the revoke; 1 when the read finds no share)');
    expect(r.stderr).toContain(`in ${journal}`);
    expect(r.stderr).toContain(`undo with: zcrm-sharing share restore --journal ${journal}`);
    expect(r.stderr).toContain('API credits used: 2');
    expect(s.stats()).toMatchObject({ requests: 2, sharing: { reads: 1 }, revoke: { calls: 1 } });

    const back = await run(restore(journal, ...args), env, undefined, { cwd: tmp() });
    expect(back.code, back.stderr).toBe(EXIT.OK);
    expect(stateKeys(s, id)).toEqual(seedKeys(MIXED));
    for (const other of [0, 1, 5, 7, 13]) expect(stateKeys(s, idAt(other)), 'no other record touched').toEqual(seedKeys(other));
  });

  prop.prop([fc.integer({ min: 0, max: N - 1 })], { numRuns: 6, examples: [[0]] })('any record of the seed: revoked by id with its backup, restored, its shares equal the seed\'s', async (i) => {
    const { s, args, env, cwd, id } = await setup(i);
    const r = await run(revoke(id, '--json', ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(s.record('Contacts', id)!.shares).toBe(0);
    const journal = join(cwd, defaultName(id));
    const back = await run(restore(journal, ...args), env, undefined, { cwd });
    expect(back.code, back.stderr).toBe(EXIT.OK);
    expect(stateKeys(s, id)).toEqual(seedKeys(i));
    // A record shared with no one: the read (204) proves it; no DELETE.
    expect(s.record('Contacts', id)!.revokeCalls).toBe(seedShares(i).length ? 1 : 0);
  });

  it('--journal FILE: the backup goes there (relative to the current directory), nothing at the default path; the restore of FILE puts it back', async () => {
    const { s, args, env, cwd, id } = await setup();
    mkdirSync(join(cwd, 'backups'));
    const r = await run(revoke(id, '--journal', 'backups/one.journal', ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(readdirSync(cwd).sort()).toEqual(['backups']);
    expect(readdirSync(join(cwd, 'backups'))).toEqual(['one.journal']);
    expect(r.stderr).toContain('undo with: zcrm-sharing share restore --journal backups/one.journal');
    expect(lines(join(cwd, 'backups/one.journal'))[1].backup.shares.map(key).sort()).toEqual(seedKeys(MIXED));
    const back = await run(restore('backups/one.journal', ...args), env, undefined, { cwd });
    expect(back.code, back.stderr).toBe(EXIT.OK);
    expect(stateKeys(s, id)).toEqual(seedKeys(MIXED));
  });

  it('--no-backup: the DELETE alone (no read), no file written; with --journal too, a usage error before anything is sent', async () => {
    const { s, args, env, cwd, id } = await setup();
    const r = await run(revoke(id, '--no-backup', ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(r.stderr).toContain(`revoked: every share of Contacts ${id}`);
    expect(s.stats()).toMatchObject({ requests: 1, sharing: { reads: 0 }, revoke: { calls: 1 } });
    expect(readdirSync(cwd)).toEqual([]);
    const both = await run(revoke(idAt(1), '--no-backup', '--journal', 'j', ...args), env, undefined, { cwd });
    expect([both.code, both.stderr]).toEqual([EXIT.USAGE, expect.stringContaining('--journal: with --id and --no-backup nothing is journalled')]);
    expect(s.stats().requests).toBe(1);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a default journal that exists is never overwritten: refused (exit USAGE) naming it, with the command that works; that command works', async () => {
    const { s, args, env, cwd, id } = await setup();
    const existing = join(cwd, defaultName(id));
    writeFileSync(existing, 'an earlier backup\n', { mode: 0o600 });
    const r = await run(revoke(id, ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.USAGE);
    expect(r.stderr).toContain(`the journal ${existing} already exists`);
    expect(r.stderr).toContain(`Or remove ${existing} and run the same command again.`);
    expect(readFileSync(existing, 'utf8')).toBe('an earlier backup\n');
    expect(s.stats().requests, 'nothing sent').toBe(0);
    const command = /To revoke with a journal of its own: zcrm-sharing (.*)$/m.exec(r.stderr)?.[1];
    const other = join(cwd, `Contacts-${id}.revoke-2.journal`);
    expect(command).toBe([...revoke(id, ...args), '--journal', other].join(' '));
    const again = await run(command!.split(' '), env, undefined, { cwd });
    expect(again.code, again.stderr).toBe(EXIT.OK);
    expect(lines(other)[1].backup.shares.map(key).sort()).toEqual(seedKeys(MIXED));
    expect(readFileSync(existing, 'utf8')).toBe('an earlier backup\n');
  });

  it.each([['to a file'], ['dangling']])('a symbolic link planted at the default path (%s): refused (exit IO), nothing sent, the link and its target untouched', async (kind) => {
    const { s, args, env, cwd, id } = await setup();
    const target = join(tmp(), 'precious');
    if (kind === 'to a file') writeFileSync(target, 'precious\n');
    const link = join(cwd, defaultName(id));
    symlinkSync(target, link);
    const r = await run(revoke(id, ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.IO);
    expect(r.stderr).toContain(`${link} is a symbolic link`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    if (kind === 'to a file') expect(readFileSync(target, 'utf8')).toBe('precious\n');
    else expect(existsSync(target)).toBe(false);
    expect(readdirSync(cwd)).toEqual([defaultName(id)]);
    expect(s.stats().requests).toBe(0);
    expect(s.record('Contacts', id)!.shares).toBe(seedShares(MIXED).length);
  });

  it('a record shared with no one: the read proves it, no DELETE sent; journalled as already not shared (no backup line), 1 credit', async () => {
    const { s, args, env, cwd, id } = await setup(0);
    expect(seedShares(0)).toEqual([]);
    const r = await run(revoke(id, '--json', ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(r.stderr).toContain(`already not shared: Contacts ${id}`);
    expect(s.stats()).toMatchObject({ requests: 1, sharing: { reads: 1 }, revoke: { calls: 0 } });
    const [header, ...entries] = lines(join(cwd, defaultName(id)));
    expect(header).toMatchObject({ journal: 'zcrm-sharing share revoke', version: 2, backup: true });
    expect(entries).toEqual([{ id, outcome: 'not_shared' }]);
    expect(records(r).at(-1)).toMatchObject({ type: 'result', id, outcome: 'not_shared', shares: [], credits: 1 });
  });

  it('--dry-run: sends nothing, writes nothing, says where the backup would go and what it costs', async () => {
    const { s, args, env, cwd, id } = await setup();
    const r = await run(revoke(id, '--dry-run', '--json', ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    const journal = join(cwd, defaultName(id));
    expect(r.stderr).toContain(`dry run: would read the shares of Contacts ${id}, journal them in ${journal}, then revoke them (up to 2 API credits); nothing sent, nothing written`);
    expect(records(r)).toEqual([{ type: 'plan', records: 1, creditsAtMost: 2, creditsPerRecord: 2, backup: true, journal }]);
    expect(readdirSync(cwd)).toEqual([]);
    expect(s.stats().requests).toBe(0);
  });

  it('--json: a plan record (2 credits at most), then the result with the journal path, the shares read, when, and the credits used', async () => {
    const { s, args, env, cwd, id } = await setup();
    const r = await run(revoke(id, '--json', ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    const journal = join(cwd, defaultName(id));
    const [plan, result, ...rest] = records(r);
    expect(rest).toEqual([]);
    expect(plan).toEqual({ type: 'plan', records: 1, creditsAtMost: 2, creditsPerRecord: 2, backup: true, journal });
    expect(result).toMatchObject({ type: 'result', id, outcome: 'revoked', journal, credits: 2 });
    expect(result.shares.map(key).sort()).toEqual(seedKeys(MIXED));
    expect(result.readAt).toBe(lines(journal)[1].backup.read_at);
  });

  it('--verify after a backed-up revoke: the read-back joins the result; the journal as without it', async () => {
    const { s, args, env, cwd, id } = await setup();
    const r = await run(revoke(id, '--verify', '--json', ...args), env, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    expect(records(r).at(-1)).toMatchObject({ type: 'result', id, outcome: 'revoked', verified: true, journal: join(cwd, defaultName(id)) });
    expect(lines(join(cwd, defaultName(id))).map((l) => (l.journal ? 'header' : (l.outcome ?? 'backup')))).toEqual(['header', 'backup', 'revoked']);
  });
});

// A stand-in between the CLI and the sandbox: forwards each call, or answers it itself (`answer`), or
// edits the sandbox's answer (`edit`).
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});
async function proxy(s: Awaited<ReturnType<typeof mixedSandbox>>, o: { answer?: (method: string) => { status: number; body: object } | undefined; edit?: (body: string) => string }) {
  const upstream = new URL(s.apiBaseUrl);
  const server = createServer((req, res) => {
    void (async () => {
      const own = o.answer?.(req.method!);
      if (own) return void res.writeHead(own.status, { 'content-type': 'application/json' }).end(JSON.stringify(own.body));
      const answer = await fetch(new URL(req.url!, upstream.origin), { method: req.method, headers: { authorization: String(req.headers.authorization) } });
      const body = (o.edit ?? ((b) => b))(await answer.text());
      const type = answer.headers.get('content-type');
      res.writeHead(answer.status, type ? { 'content-type': type } : {}).end(answer.status === 204 ? undefined : body);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${upstream.pathname}`;
}

describe('a DELETE that fails after the backup', () => {
  it('exit non-zero, never "revoked"; the journal keeps the backup and a failed line; the output says where it is; restoring it changes nothing', async () => {
    const { s, env, cwd, id } = await setup();
    const base = await proxy(s, { answer: (method) => (method === 'DELETE' ? { status: 500, body: { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' } } : undefined) });
    const r = await run(revoke(id, '--base-url', base, '--max-retries', '0'), env, undefined, { cwd });
    expect(r.code, r.stderr).not.toBe(EXIT.OK);
    expect(r.stderr).not.toMatch(/revoked: every share/);
    const journal = join(cwd, defaultName(id));
    expect(r.stderr).toContain(`the shares read before the revoke are in ${journal}; if the revoke took effect all the same, undo it with: zcrm-sharing share restore --journal ${journal}`);
    const [, backup, failed, ...rest] = lines(journal);
    expect(backup.backup.shares.map(key).sort()).toEqual(seedKeys(MIXED));
    expect([failed, rest]).toEqual([{ id, outcome: 'failed', code: 'INTERNAL_ERROR' }, []]);
    expect(stateKeys(s, id)).toEqual(seedKeys(MIXED));
    // Through the proxy's origin: the journal's header names it.
    const back = await run(restore(journal, '--base-url', base, '--json'), env, undefined, { cwd });
    expect(back.code, back.stderr).toBe(EXIT.OK);
    expect(records(back).at(-1)).toMatchObject({ restored: 0, alreadyPresent: 1 });
    expect(stateKeys(s, id)).toEqual(seedKeys(MIXED));
  });
});

describe('secrets', () => {
  it('a share whose name echoes the access token: journalled and printed [redacted], never the token', async () => {
    const s = await mixedSandbox(N);
    const token = DEMO_CREDENTIALS.accessToken;
    const base = await proxy(s, { edit: (body) => body.replaceAll('User 1', token) });
    const i = [...Array(N).keys()].find((k) => seedShares(k).some((x) => x.name === 'User 1'))!;
    const id = idAt(i);
    const cwd = tmp();
    const r = await run(revoke(id, '--json', '--base-url', base), { ZOHO_ACCESS_TOKEN: token }, undefined, { cwd });
    expect(r.code, r.stderr).toBe(EXIT.OK);
    const journal = readFileSync(join(cwd, defaultName(id)), 'utf8');
    expect(journal).toContain('[redacted]');
    for (const text of [journal, r.stdout, r.stderr]) expect(text).not.toContain(token);
  });
});
