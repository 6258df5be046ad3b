// The bulk job's cases, through the built bin against the sandbox: the journal as the ledger of one job,
// one process per journal, crash-safe appends, an input read once, the stops that spare an org's
// credits, and input hygiene. Exit codes come from the CLI's one table.
import { appendFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { DEAD_AFTER } from '../src/bulk/health.ts';
import { BUDGET_AFTER, DEFAULT_MAX_CONCURRENCY } from '../src/bulk/limiter.ts';
import { against, idAt, idsFile, isShared, range, run, sandbox, start, summaryOf, tmp, until } from './helpers.ts';

// These tests prove the revoke machinery (journal, lock, limiter, stops) with one call per id; the backup before each DELETE has its own tests (backup-cli.test.ts).
const revoke = (file: string, ...more: string[]) => ['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--no-backup', ...more];
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const journalEntries = (path: string) => lines(path).slice(1).map((l) => JSON.parse(l)).filter((e) => e.id);
const NO_STACK = /\n\s+at .*:\d+:\d+/;

describe('the journal is the ledger of one job', () => {
  it('its header, written before the first call: module, API origin and version, the input by path, size and SHA-256', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(3));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    const header = JSON.parse(lines(`${file}.journal`)[0]!);
    expect(header).toMatchObject({
      journal: 'zcrm-sharing share revoke',
      version: 2,
      module: 'Contacts',
      backup: false,
      api: { origin: s.url, version: 'v8' },
      input: { path: file, size: readFileSync(file).length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it('--resume refuses another --module, another --base-url (another org) and another ids file, naming what differs; nothing is sent', async () => {
    const s = await sandbox();
    const other = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(40));
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    const calls = s.stats().requests;
    const otherFile = idsFile(range(40, 100));
    const cases: [string[], RegExp][] = [
      [['share', 'revoke', '--module', 'Leads', '--ids-file', file, '--resume', ...args], /--module: "Contacts" in the journal, "Leads" now/],
      [revoke(file, '--resume', '--base-url', other.apiBaseUrl), new RegExp(`API origin .*: "${s.url}" in the journal, "${other.url}" now`)],
      [revoke(otherFile, '--resume', '--journal', `${file}.journal`, ...args), /the input: .*ids\.txt \(\d+ bytes, SHA-256 [0-9a-f]{12}\.\.\.\) in the journal, .*ids\.txt \(\d+ bytes/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv, env);
      expect(r.code, r.stderr).toBe(EXIT.USAGE);
      expect(r.stderr).toMatch(/--resume: the journal .* is the ledger of another job/);
      expect(r.stderr).toMatch(message);
    }
    expect([s.stats().requests, other.stats().requests]).toEqual([calls, 0]);
  });

  it('--resume without a journal (a typo) is an error, not a fresh start; a journal that exists needs --resume', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(10));
    const typo = await run(revoke(file, '--resume', '--journal', join(tmp(), 'typo.journal'), ...args), env);
    expect(typo.code).toBe(EXIT.USAGE);
    expect(typo.stderr).toMatch(/--resume: there is no journal at .*typo\.journal \(nothing to resume\)/);
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    const again = await run(revoke(file, ...args), env);
    expect(again.code).toBe(EXIT.USAGE);
    expect(again.stderr).toMatch(/the journal .*ids\.txt\.journal already exists: it is the ledger of an earlier job \(10 ids done\)\. To continue that job: zcrm-sharing share revoke .* --resume\n/);
    expect(s.stats().revoke.calls).toBe(10);
  });

  it('a torn last line (a crash mid-write) is discarded on open: its id is sent again once, answered "already not shared"', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(20));
    const journal = `${file}.journal`;
    expect((await run(revoke(file, ...args), env)).code).toBe(EXIT.OK);
    const all = lines(journal);
    const last = JSON.parse(all.at(-1)!);
    writeFileSync(journal, `${all.slice(0, -1).join('\n')}\n${all.at(-1)!.slice(0, 25)}`); // torn: half a line, no newline
    const r = await run(revoke(file, '--resume', '--json', ...args), env);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toMatch(/discarded a torn last line/);
    expect(summaryOf(r)).toMatchObject({ skipped: 19, notShared: 1, tornLineDiscarded: true });
    expect(s.record('Contacts', last.id)).toMatchObject({ revokeCalls: 2, revokeSuccesses: isShared(last.id) ? 1 : 0 });
    // Nothing was glued onto the fragment: every line is whole.
    for (const l of lines(journal)) expect(() => JSON.parse(l)).not.toThrow();
    expect(journalEntries(journal).at(-1)).toEqual({ id: last.id, outcome: 'not_shared' });
  });
});

describe('one process per journal', () => {
  it('two runs on the same ids file and journal at once: the second is refused naming the holder; every id is sent once', async () => {
    const s = await sandbox({ latencyMs: 20 });
    const { args, env } = against(s);
    const file = idsFile(range(300));
    const first = start(revoke(file, '--concurrency', '2', ...args), env);
    await until(() => existsSync(`${file}.journal.lock`) && existsSync(`${file}.journal`));
    const second = await run(revoke(file, '--resume', ...args), env);
    expect(second.code).toBe(EXIT.LOCKED);
    expect(second.stderr).toMatch(new RegExp(`the journal .*ids\\.txt\\.journal is in use by pid ${first.child.pid} on `));
    expect((await first.done).code).toBe(EXIT.OK);
    for (const id of range(300)) expect(s.record('Contacts', id)!.revokeCalls).toBe(1);
    expect(existsSync(`${file}.journal.lock`)).toBe(false);
  });

  it("a lock left by a process that is gone (kill -9) is taken over", async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(5));
    writeFileSync(`${file}.journal.lock`, JSON.stringify({ pid: 2 ** 22 + 17, host: (await import('node:os')).hostname(), started: '2026-01-01T00:00:00Z' }));
    const r = await run(revoke(file, ...args), env);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toMatch(/took over the lock of pid 4194321/);
  });
});

describe('a journal that cannot be written', () => {
  it('the disk fills up mid-run (a file size limit: EFBIG): a clean stop, exit IO, a summary, no stack trace; --resume finishes', async () => {
    const s = await sandbox({ latencyMs: 2 });
    const { args, env } = against(s);
    const ids = range(400);
    const file = idsFile(ids);
    const journal = `${file}.journal`;
    const r = await start(revoke(file, '--concurrency', '4', ...args), env, undefined, { ulimitFileKiB: 8 }).done;
    expect(r.code, r.stderr).toBe(EXIT.IO);
    expect(r.stderr).toMatch(/stopped: could not write the journal .*EFBIG the file is too large/);
    expect(r.stderr).toMatch(/revoked \d+ · already not shared \d+ · failed 0/);
    expect(r.stderr).not.toMatch(NO_STACK);
    const journalled = journalEntries(journal).length;
    expect(journalled).toBeGreaterThan(50);
    // No call started after the failed write: at most the 4 in flight then went unjournalled.
    expect(s.stats().revoke.calls).toBeLessThanOrEqual(journalled + 4);
    expect(readFileSync(journal, 'utf8').endsWith('\n')).toBe(true);
    const resumed = await run(revoke(file, '--resume', ...args), env);
    expect(resumed.code).toBe(EXIT.OK);
    for (const id of ids) expect(s.record('Contacts', id)).toMatchObject({ shares: 0, revokeSuccesses: isShared(id) ? 1 : 0 });
  });

  it('the snapshot of the ids cannot be written: exit IO before any call; a journal that is not a file (/dev/full): a usage error, before any call', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = idsFile(range(300)); // 2,400 bytes of snapshot, over a 1 KiB limit
    const r = await start(revoke(file, ...args), env, undefined, { ulimitFileKiB: 1 }).done;
    expect(r.code).toBe(EXIT.IO);
    expect(r.stderr).toMatch(/cannot write .*ids\.txt\.journal\.ids \(EFBIG\).*nothing was sent/);
    const full = await run(revoke(file, '--journal', '/dev/full', ...args), env);
    expect(full.code).toBe(EXIT.USAGE);
    expect(full.stderr).toMatch(/--journal \/dev\/full: not a regular file/);
    expect(s.stats().requests).toBe(0);
    expect(existsSync('/dev/full.lock')).toBe(false);
  });
});

describe('the input is read once', () => {
  it('truncating or rewriting the file during the run changes nothing: every id of it is sent, none cut short', async () => {
    const s = await sandbox({ latencyMs: 10 });
    const { args, env } = against(s);
    const ids = range(400);
    for (const change of ['truncate', 'rewrite'] as const) {
      s.reset();
      const file = idsFile(ids);
      const p = start(revoke(file, '--concurrency', '4', '--json', ...args), env);
      await until(() => existsSync(`${file}.journal`) && lines(`${file}.journal`).length > 20);
      if (change === 'truncate') truncateSync(file, 100);
      else writeFileSync(file, `${idAt(0).slice(0, 7)}\n${'9'.repeat(19)}\n`);
      const r = await p.done;
      expect(r.code, change).toBe(EXIT.OK);
      expect(summaryOf(r)).toMatchObject({ lines: 400, revoked: 360, notShared: 40, left: 0 });
      expect(s.stats().revoke.calls).toBe(400); // only whole ids of the file as it was read
    }
  });
});

describe('stops before it wastes the org\'s credits', () => {
  async function stops(token: string, module: string, code: number, message: RegExp) {
    const s = await sandbox();
    const { args, env } = against(s, token);
    const file = idsFile(range(500));
    const r = await run(['share', 'revoke', '--module', module, '--ids-file', file, '--json', '--no-backup', ...args], env);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Nothing more was sent; 500 ids are left: the journal records no revoke, so (this command|the same command once fixed) starts again, replacing it: zcrm-sharing share revoke /);
    // The first answer (with the calls already in flight at the Free edition's 5), not 500 credits.
    expect(s.stats().creditsUsed).toBeLessThanOrEqual(5);
    expect(journalEntries(`${file}.journal`)).toEqual([]);
    expect(summaryOf(r)).toMatchObject({ failed: 0, left: 500, stopped: { exit: Object.entries(EXIT).find(([, c]) => c === code)![0] } });
  }
  it('--module Contact (a typo): INVALID_MODULE', () => stops(DEMO_CREDENTIALS.accessToken, 'Contact', EXIT.USAGE, /Zoho does not know the module "Contact" \(INVALID_MODULE/));
  it("a token without the module's scope: OAUTH_SCOPE_MISMATCH", () => stops('contacts-only', 'Leads', EXIT.AUTH, /OAUTH_SCOPE_MISMATCH.*lacks the scope to revoke sharing of Leads records \(ZohoCRM\.share\.leads\.DELETE or ZohoCRM\.share\.leads\.ALL or ZohoCRM\.share\.all\)/));
  it('a linking module (not knowable offline): the first OAUTH_SCOPE_MISMATCH', () => stops(DEMO_CREDENTIALS.accessToken, 'Contacts_X_Leads', EXIT.AUTH, /OAUTH_SCOPE_MISMATCH.*a linking module/));
  it('a token Zoho refuses (INVALID_TOKEN, no refresh possible)', () => stops('1000.not-a-token', 'Contacts', EXIT.AUTH, /Zoho refused the access token \(INVALID_TOKEN.*An access token cannot be refreshed/));
  it('a user without the permission: NO_PERMISSION', () => stops('no-share-permission', 'Contacts', EXIT.AUTH, /NO_PERMISSION.*may not revoke sharing of Contacts records/));
  it('a read-only profile: AUTHORIZATION_FAILED', () => stops('read-only', 'Contacts', EXIT.AUTH, /AUTHORIZATION_FAILED.*may not revoke sharing/));

  it('a token refused even after one refresh: refreshed once, then the stop', async () => {
    // Every minted token has expired by its first use: the sandbox's clock moves 5 s per look, tokens live 1 s.
    let clock = Date.now();
    const s = await sandbox({ accessTokenTtlSeconds: 1, now: () => (clock += 5000) });
    const file = idsFile(range(50));
    const env = { ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId, ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret, ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken };
    const r = await run(revoke(file, '--base-url', s.apiBaseUrl, '--token-url', s.tokenUrl), env);
    expect(r.code).toBe(EXIT.AUTH);
    expect(r.stderr).toMatch(/Zoho refused the token \(INVALID_TOKEN: invalid oauth token\), after one refresh/);
    // The first token, then at most one reactive refresh per call in flight (5 at the start), shared when they coincide.
    expect(s.stats().tokenRefreshes).toBeLessThanOrEqual(6);
    expect(s.stats().revoke.calls).toBe(0);
  });

  it('a refresh token Zoho Accounts refuses: exit AUTH before any API call', async () => {
    const s = await sandbox();
    const file = idsFile(range(50));
    const env = { ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId, ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret, ZOHO_REFRESH_TOKEN: '1000.revoked.refresh-token' };
    const r = await run(revoke(file, '--base-url', s.apiBaseUrl, '--token-url', s.tokenUrl), env);
    expect(r.code).toBe(EXIT.AUTH);
    expect(r.stderr).toMatch(/token refresh failed: .*invalid_code/);
    expect(s.stats().requests).toBe(1); // the grant alone
  });

  it(`spent credits: 429s that persist at concurrency 1: exit CREDITS, ${BUDGET_AFTER} tries alone, nothing journalled as failed`, async () => {
    const s = await sandbox({ dailyCredits: 40, retryAfterSeconds: 0 });
    const { args, env } = against(s);
    const file = idsFile(range(300));
    const r = await run(revoke(file, '--json', ...args), env);
    const seen = `${r.stderr.slice(-600)}\n${JSON.stringify(s.stats())}`;
    expect(r.code, seen).toBe(EXIT.CREDITS);
    expect(r.stderr).toMatch(/stopped: Zoho answered 429 5 times in a row to a call sent alone .*API credits for the rolling 24 hours look spent/);
    // The 40 calls the credits paid for, each as the sandbox answered it (which 40 depends on the order of the 429s).
    const { revoke: answered } = s.stats();
    expect(summaryOf(r), seen).toMatchObject({ revoked: answered.succeeded, notShared: answered.nothingToRevoke, failed: 0, left: 260 });
    expect(answered.succeeded + answered.nothingToRevoke).toBe(40);
    // Bounded: the calls in flight when the credits ran out (up to 25 once the doubling got there),
    // their re-sends until a streak halves the concurrency, five alone (limiter.test.ts's bound).
    expect(s.stats().rateLimited, seen).toBeLessThanOrEqual(2 * DEFAULT_MAX_CONCURRENCY + BUDGET_AFTER + 5);
    expect(journalEntries(`${file}.journal`).every((e) => e.outcome !== 'failed')).toBe(true);
  });

  it('spent credits with a Retry-After: stops at the first 429, "resume after" the time Zoho gave', async () => {
    const s = await sandbox({ dailyCredits: 10, retryAfterSeconds: 7200 });
    const { args, env } = against(s);
    const file = idsFile(range(100));
    const before = Date.now();
    const r = await run(revoke(file, '--json', ...args), env);
    expect(r.code).toBe(EXIT.CREDITS);
    expect(r.stderr).toMatch(/Retry-After 7200 s.*Resume after .* \(Zoho's Retry-After\)/);
    const resumeAfter = Date.parse(summaryOf(r).stopped.resumeAfter);
    expect(resumeAfter - before).toBeGreaterThanOrEqual(7200_000);
    expect(resumeAfter - before).toBeLessThan(7200_000 + 60_000);
    // The first 429 stops it: only the calls already in flight are answered 429 too.
    expect(s.stats().rateLimited).toBeLessThanOrEqual(DEFAULT_MAX_CONCURRENCY);
    expect(s.stats().revoke.calls).toBe(10);
  });

  describe('a dead endpoint', () => {
    let server: Server | undefined;
    afterEach(() => void server?.close());
    it(`connections reset by the peer: stops after ${DEAD_AFTER} calls without an answer, exit UNREACHABLE, nothing journalled`, async () => {
      let connections = 0;
      server = createServer((socket) => (connections++, socket.destroy()));
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      const file = idsFile(range(500));
      const r = await run(revoke(file, '--base-url', `http://127.0.0.1:${port}/crm/v8`), { ZOHO_ACCESS_TOKEN: 't0ken' });
      expect(r.code).toBe(EXIT.UNREACHABLE);
      expect(r.stderr).toMatch(/stopped: Zoho is unreachable: the last 1\d calls got no answer/);
      // Each call is tried 3 times by the client: a few dozen connections, not 1,500.
      expect(connections).toBeLessThanOrEqual((DEAD_AFTER + 5) * 3);
      expect(journalEntries(`${file}.journal`)).toEqual([]);
    });
  });
});

describe('input hygiene', () => {
  it('a one-column CSV headed "Record Id"; duplicates sent once and counted; leading zeros refused; a 20 MB line named by file and line', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'export.csv');
    writeFileSync(file, `Record Id\n${idAt(0)}\n${idAt(1)}\n${idAt(0)}\n0${idAt(2).slice(1)}\n`);
    appendFileSync(file, `${'4'.repeat(20 * 1024 * 1024)}\n${idAt(1)}\n${idAt(3)}\n`);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', '--no-backup', ...args], env);
    expect(r.code).toBe(EXIT.PARTIAL);
    expect(r.stderr).toContain(`${file}:4: ${idAt(0)} is a duplicate of an earlier line; sent once`);
    expect(r.stderr).toContain(`${file}:5: expected a record id without a leading zero`);
    expect(r.stderr).toContain(`${file}:6: line is longer than 1024 bytes`);
    expect(r.stderr).toContain(`${file}:7: ${idAt(1)} is a duplicate`);
    expect(summaryOf(r)).toMatchObject({ lines: 7, unique: 3, duplicates: 2, invalid: 2, revoked: 3, left: 0 });
    expect(s.record('Contacts', idAt(0))!.revokeCalls).toBe(1);
    expect(s.stats().revoke.calls).toBe(3);
  });

  it('a missing file, a directory, an empty file and a closed stdin: usage errors naming them, nothing sent', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const dir = tmp();
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '# nothing here\n\n');
    const cases: [string, string | undefined, RegExp][] = [
      [join(dir, 'missing.txt'), undefined, /--ids-file: no such file: .*missing\.txt/],
      [dir, undefined, new RegExp(`--ids-file: ${dir} is a directory`)],
      [empty, undefined, /empty\.txt has no record ids \(only blank lines, comments or a header\); nothing to do/],
      ['-', '', /<stdin> has no record ids \(it is empty\); nothing to do/],
    ];
    for (const [path, input, message] of cases) {
      const r = await run(revoke(path, '--journal', join(tmp(), 'j.journal'), ...args), env, input);
      expect(r.code, path).toBe(EXIT.USAGE);
      expect(r.stderr).toMatch(message);
    }
    expect(s.stats().requests).toBe(0);
  });
});

describe('--concurrency auto', () => {
  it("finds the sandbox's limit by itself, settles under it, and shows the concurrency in plain progress lines", async () => {
    const s = await sandbox({ concurrencyLimit: 8, latencyMs: 5, records: 3000 });
    const { args, env } = against(s);
    const file = idsFile(range(3000));
    const r = await run(revoke(file, '--json', ...args), env);
    expect(r.code).toBe(EXIT.OK);
    const summary = summaryOf(r);
    expect(summary.concurrency).toMatchObject({ mode: 'auto', start: 5, max: 25 });
    // Settled under the level where 429s came, not after dozens: the doubling's overshoot (from 5 it
    // reaches 10 at most, two above the limit), then two at the level; on a loaded machine a few more.
    expect(summary.concurrency.settled.after429s).toBeGreaterThanOrEqual(2);
    expect(summary.concurrency.settled.after429s).toBeLessThanOrEqual(8);
    expect(summary.concurrency.ceiling, JSON.stringify(summary.concurrency)).toBeGreaterThanOrEqual(6);
    expect(summary.concurrency.ceiling, JSON.stringify(summary.concurrency)).toBeLessThanOrEqual(8);
    // The sandbox's 429s are the ones the limiter counted. Under load the CLI's count of calls in flight
    // runs ahead of the server's (answers wait in socket buffers), so it may first settle above the
    // limit and step down, a few 429s per level (16-47 seen with both cores busy, 62 once in CI):
    // a bound of 5% of the calls here; the exact counts are limiter.test.ts's, on virtual time.
    expect(summary.concurrency.rateLimited).toBe(s.stats().rateLimited);
    expect(s.stats().maxInFlightPerOrg).toBeLessThanOrEqual(8);
    expect(s.stats().rateLimited).toBeLessThan(3000 * 0.05);
    const plain = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', idsFile(range(50)), '--resume', '--journal', `${file}.journal`, ...args], env);
    expect(plain.code).toBe(EXIT.USAGE); // another input: the journal refuses it
    const again = await run(['share', 'revoke', '--module', 'Leads', '--ids-file', idsFile(Array.from({ length: 200 }, (_, i) => String(4150868000002000000n + BigInt(i)))), ...args], env);
    // With the backup: a read per record, a DELETE per shared one (180 + 200), plus any 429 answered.
    const progressLine = /^progress: 200\/200 revoked=180 not_shared=20 failed=0 credits=(\d+) rate=\d+\/s concurrency=\d+$/m.exec(again.stderr);
    expect(Number(progressLine?.[1])).toBeGreaterThanOrEqual(380);
  });

  it('grows from 5 to --max-concurrency while Zoho accepts everything', async () => {
    const s = await sandbox({ latencyMs: 5, records: 2000 });
    const { args, env } = against(s);
    const r = await run(revoke(idsFile(range(2000)), '--max-concurrency', '12', '--json', ...args), env);
    expect(summaryOf(r).concurrency).toMatchObject({ mode: 'auto', start: 5, max: 12, limit: 12, rateLimited: 0 });
    expect(s.stats().maxInFlightPerOrg).toBeLessThanOrEqual(12);
    expect(s.stats().maxInFlightPerOrg).toBeGreaterThan(5);
  });
});
