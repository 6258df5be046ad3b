// The CLI as a user runs it: the built bin in a child process, against an in-process sandbox.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allScopes, DEMO_CREDENTIALS, demoSeed, startSandbox, type Sandbox } from '@zcrm-sharing/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
const FIRST = 4150868000001148212n;
const idAt = (i: number) => String(FIRST + BigInt(i));

const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

async function sandbox(options: Parameters<typeof startSandbox>[0] = {}) {
  const seed = demoSeed({ records: 1000 });
  seed.tokens!.push({ accessToken: 'contacts-only', scopes: ['ZohoCRM.share.contacts.DELETE'] }, { accessToken: 'all', scopes: allScopes() });
  const s = await startSandbox({ seed, rerunDurationMs: 300, ...options });
  sandboxes.push(s);
  return s;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'zcrm-cli-test-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string> = {}, input?: string) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH!, HOME: tmp(), XDG_CONFIG_HOME: tmp(), NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  if (input !== undefined) child.stdin.end(input);
  else child.stdin.end();
  const done = new Promise<Run>((r) => child.on('exit', (code) => r({ code, stdout, stderr })));
  return { child, done };
}
const run = (args: string[], env: Record<string, string> = {}, input?: string) => start(args, env, input).done;

const against = (s: Sandbox, token: string = DEMO_CREDENTIALS.accessToken) => ({ args: ['--base-url', s.apiBaseUrl], env: { ZOHO_ACCESS_TOKEN: token } });

describe('usage', () => {
  it('--help lists the commands and the exit codes, exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/share revoke --module Contacts --ids-file/);
    expect(r.stdout).toMatch(/5 a rerun is already running/);
  });

  it.each([
    [[], /Usage:/],
    [['frobnicate', 'now'], /unknown command "frobnicate now"/],
    [['rules', 'rerun'], /--module is required/],
    [['rules', 'rerun', '--module', '../x'], /--module: expected a module API name/],
    [['share', 'revoke', '--module', 'Contacts'], /exactly one of --id ID or --ids-file FILE/],
    [['share', 'revoke', '--module', 'Contacts', '--id', '4150868000001148212x'], /--id: expected a string of 1-19 digits; got "4150868000001148212x"/],
    [['share', 'revoke', '--module', 'Contacts', '--ids-file', 'x', '--concurrency', '0', '--sandbox'], /--concurrency: expected a whole number from 1 to 100/],
    [['rules', 'rerun', '--module', 'Leads', '--dc', 'mars', '--sandbox', '--bogus'], /Unknown option '--bogus'/],
  ])('%j: exit 2 with a message naming the problem', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
  });

  it('no credentials at all: exit 2, says how to use --sandbox or set credentials', async () => {
    const r = await run(['rules', 'status', '--module', 'Leads']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sandbox/);
    expect(r.stderr).toMatch(/ZOHO_ACCESS_TOKEN/);
  });

  it('an unknown data centre: exit 2 naming --dc', async () => {
    const r = await run(['rules', 'status', '--module', 'Leads', '--dc', 'mars'], { ZOHO_ACCESS_TOKEN: 't' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dc: expected one of us, eu/);
  });
});

describe('rules', () => {
  it('rerun: exit 0; again while running: exit 5 "a rerun is already running for Leads"; status says computing', async () => {
    const s = await sandbox({ rerunDurationMs: 5000 });
    const { args, env } = against(s);
    expect((await run(['rules', 'rerun', '--module', 'Leads', ...args], env)).code).toBe(0);
    const busy = await run(['rules', 'rerun', '--module', 'Leads', ...args], env);
    expect(busy.code).toBe(5);
    expect(busy.stderr).toMatch(/a rerun is already running for Leads/);
    const status = await run(['rules', 'status', '--module', 'Leads', ...args], env);
    expect([status.code, status.stdout.trim()]).toEqual([0, 'computing']);
  });

  it('rerun --wait polls the summary until the computation ends', async () => {
    const s = await sandbox({ rerunDurationMs: 300 });
    const { args, env } = against(s);
    const r = await run(['rules', 'rerun', '--module', 'Deals', '--wait', '--poll-interval-ms', '50', ...args], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/done: the data sharing rules of Deals are computed/);
    expect((await s.stats()).rerun.scheduled).toBe(1);
    const status = await run(['rules', 'status', '--module', 'Deals', ...args], env);
    expect(status.stdout.trim()).toBe('idle');
  });

  it('a token without the data sharing scope: exit 3', async () => {
    const s = await sandbox();
    const { args, env } = against(s, 'contacts-only');
    const r = await run(['rules', 'rerun', '--module', 'Leads', ...args], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/OAUTH_SCOPE_MISMATCH/);
  });

  it('--sandbox runs against the embedded sandbox with no credentials', async () => {
    const r = await run(['rules', 'rerun', '--module', 'Leads', '--sandbox', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n')[0]!)).toMatchObject({ type: 'rerun', module: 'Leads', code: 'SCHEDULED' });
  });
});

describe('share revoke --id', () => {
  it('revokes (exit 0), and a second time reports "already not shared" (exit 0)', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const first = await run(['share', 'revoke', '--module', 'Contacts', '--id', idAt(0), ...args], env);
    expect([first.code, first.stderr]).toEqual([0, expect.stringMatching(/revoked: every share of Contacts 4150868000001148212/)]);
    const again = await run(['share', 'revoke', '--module', 'Contacts', '--id', idAt(0), ...args], env);
    expect([again.code, again.stderr]).toEqual([0, expect.stringMatching(/already not shared/)]);
    expect(s.record('Contacts', idAt(0))).toMatchObject({ shares: 0, revokeSuccesses: 1 });
  });

  it('Events is refused before any call (exit 2)', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const r = await run(['share', 'revoke', '--module', 'Events', '--id', idAt(0), ...args], env);
    expect(r.code).toBe(2);
    expect(s.stats().requests).toBe(0);
  });
});

describe('share revoke --ids-file', () => {
  it('validates every line first: bad lines reported with line numbers and not sent; exit 4', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const dir = tmp();
    const file = join(dir, 'ids.txt');
    writeFileSync(file, `# header comment\n${idAt(1)}\n\n${idAt(2)}\nnot-an-id\n${idAt(3)}\n41508680000011482120\n4150868000001148400.0\n`);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, ...args], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/line 5: expected a record id of 1-19 digits, got "not-an-id" \(not sent\)/);
    expect(r.stderr).toMatch(/line 7: .*"41508680000011482120"/);
    expect(r.stderr).toMatch(/line 8: .*"4150868000001148400.0"/);
    expect(r.stderr).toMatch(/revoked 3 · already not shared 0 · invalid 3 · failed 0/);
    expect(s.stats().revoke.calls).toBe(3);
  });

  it('a CSV with a record_id column, quoted values; --json gives one object per result and a summary', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'ids.csv');
    writeFileSync(file, `name,record_id\n"Ada, L.",${idAt(4)}\nBob,"${idAt(5)}"\nNine,${idAt(9)}\n`);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', ...args], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const results = lines.filter((l) => l.type === 'result');
    expect(results.map((l) => [l.id, l.outcome]).sort()).toEqual([
      [idAt(4), 'revoked'],
      [idAt(5), 'revoked'],
      [idAt(9), 'not_shared'], // the demo seed leaves every 10th record unshared
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', total: 3, revoked: 2, notShared: 1, failed: 0, invalid: 0 });
  });

  it('ids from stdin (-)', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const journal = join(tmp(), 'stdin.journal');
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', '-', '--journal', journal, ...args], env, `${idAt(6)}\n${idAt(7)}\n`);
    expect(r.code).toBe(0);
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('--dry-run validates and counts, sends nothing, needs no credentials', async () => {
    const s = await sandbox();
    const file = join(tmp(), 'ids.txt');
    writeFileSync(file, `${idAt(1)}\n${idAt(2)}\nbad\n`);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--dry-run']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/dry run: 2 valid ids \(2 to send\), 1 invalid lines; nothing sent/);
    expect(s.stats().requests).toBe(0);
  });

  it('resume after kill -9 mid-run: every id revoked exactly once, none lost', async () => {
    const s = await sandbox({ latencyMs: 15 });
    const { args, env } = against(s);
    const dir = tmp();
    const file = join(dir, 'ids.txt');
    const ids = Array.from({ length: 600 }, (_, i) => idAt(i));
    writeFileSync(file, `${ids.join('\n')}\n`);
    const journal = `${file}.journal`;
    const first = start(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--concurrency', '4', ...args], env);
    while (!existsSync(journal) || readFileSync(journal, 'utf8').split('\n').length < 150) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    expect((await first.done).code).toBeNull();
    const journalled = readFileSync(journal, 'utf8').trim().split('\n').length;
    expect(journalled).toBeLessThan(600);

    const second = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--resume', '--json', ...args], env);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout.trim().split('\n').at(-1)!);
    expect(summary.skipped).toBeGreaterThanOrEqual(journalled - 4);
    for (const id of ids) {
      const r = s.record('Contacts', id)!;
      expect(r.shares).toBe(0);
      // Shared records were revoked exactly once; at most the calls in flight at the kill were sent twice.
      expect(r.revokeSuccesses).toBe(Number((BigInt(id) - FIRST) % 10n !== 9n));
    }
    const calls = ids.reduce((n, id) => n + s.record('Contacts', id)!.revokeCalls, 0);
    expect(calls).toBeLessThanOrEqual(600 + 4);
  });

  it('a 429 storm from the concurrency limit: backs off, never exceeds the limit for long, finishes everything', async () => {
    const s = await sandbox({ concurrencyLimit: 2, latencyMs: 5 });
    const { args, env } = against(s);
    const file = join(tmp(), 'ids.txt');
    writeFileSync(file, `${Array.from({ length: 200 }, (_, i) => idAt(i)).join('\n')}\n`);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--concurrency', '10', '--json', ...args], env);
    expect(r.code).toBe(0);
    const stats = s.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(stats.maxInFlightPerToken).toBeLessThanOrEqual(2);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ revoked: 180, notShared: 20, failed: 0 });
  });

  it('a token that expires mid-run is refreshed once; no secret in any output or the journal', async () => {
    const s = await sandbox({ latencyMs: 5 });
    const file = join(tmp(), 'ids.txt');
    writeFileSync(file, `${Array.from({ length: 400 }, (_, i) => idAt(i)).join('\n')}\n`);
    const env = { ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId, ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret, ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken };
    const p = start(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', '--base-url', s.apiBaseUrl, '--token-url', s.tokenUrl], env);
    const journal = `${file}.journal`;
    while (!existsSync(journal) || readFileSync(journal, 'utf8').split('\n').length < 100) await new Promise((r) => setTimeout(r, 10));
    s.expireTokens();
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(s.stats().tokenRefreshes).toBe(2);
    const everything = r.stdout + r.stderr + readFileSync(journal, 'utf8');
    for (const secret of [DEMO_CREDENTIALS.clientSecret, DEMO_CREDENTIALS.refreshToken]) expect(everything).not.toContain(secret);
  });
});

describe('config set', () => {
  it('writes the credentials with mode 0600 and uses them; a group-readable file is refused', async () => {
    const s = await sandbox();
    const xdg = tmp();
    const set = await run(['config', 'set', '--client-id', DEMO_CREDENTIALS.clientId], { XDG_CONFIG_HOME: xdg }, `${DEMO_CREDENTIALS.clientSecret}\n${DEMO_CREDENTIALS.refreshToken}\n`);
    expect(set.code).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(DEMO_CREDENTIALS.clientSecret);
    const path = join(xdg, 'zcrm-sharing', 'config.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const use = await run(['rules', 'status', '--module', 'Leads', '--base-url', s.apiBaseUrl, '--token-url', s.tokenUrl], { XDG_CONFIG_HOME: xdg });
    expect(use.code).toBe(0);
    chmodSync(path, 0o644);
    const refused = await run(['rules', 'status', '--module', 'Leads', '--base-url', s.apiBaseUrl], { XDG_CONFIG_HOME: xdg });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/readable by other users.*chmod 600/);
  });
});
