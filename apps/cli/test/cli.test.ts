// The CLI as a user runs it: the built bin in a child process, against an in-process sandbox. The
// bulk job's own cases (journal, lock, stops, input hygiene) are in bulk-cli.test.ts.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { against, idAt, idsFile, range, run, sandbox, start, summaryOf, tmp, until } from './helpers.ts';

describe('usage', () => {
  it('--help lists the commands and the exit codes, exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/share revoke --module Contacts --ids-file/);
    expect(r.stdout).toMatch(/ 5 {2}a rerun of the module is already running/);
  });

  it.each([
    [[], /Usage:/],
    [['frobnicate', 'now'], /unknown command "frobnicate now"/],
    [['rules', 'rerun'], /--module is required/],
    [['rules', 'rerun', '--module', '../x'], /--module: expected a module API name/],
    [['share', 'revoke', '--module', 'Contacts'], /exactly one of --id ID or --ids-file FILE/],
    [['share', 'revoke', '--module', 'Contacts', '--id', '4150868000001148212x'], /--id: expected a record id of 1-19 digits without a leading zero; got "4150868000001148212x"/],
    [['share', 'revoke', '--module', 'Contacts', '--id', '04150868000001148'], /--id: expected a record id of 1-19 digits without a leading zero; got "04150868000001148"/],
    [['share', 'revoke', '--module', 'Contacts', '--ids-file', 'x', '--concurrency', '0', '--sandbox'], /--concurrency: expected a whole number from 1 to 100, got "0"/],
    [['share', 'revoke', '--module', 'Contacts', '--ids-file', 'x', '--concurrency', 'lots', '--sandbox'], /--concurrency: expected auto or a whole number from 1 to 100, got "lots"/],
    [['share', 'revoke', '--module', 'Contacts', '--ids-file', 'x', '--max-concurrency', '0', '--sandbox'], /--max-concurrency: expected a whole number from 1 to 100/],
    [['share', 'revoke', '--module', 'Contacts', '--ids-file', 'x', '--concurrency', '5', '--max-concurrency', '9'], /--max-concurrency bounds --concurrency auto/],
    // With --id, the bulk options would be ignored: refused instead, whatever their value.
    [['share', 'revoke', '--module', 'Contacts', '--id', '4150868000001148212', '--concurrency', '0'], /--concurrency: only with --ids-file/],
    [['share', 'revoke', '--module', 'Contacts', '--id', '4150868000001148212', '--resume', '--journal', 'j'], /--resume: only with --ids-file/],
    [['rules', 'rerun', '--module', 'Leads', '--dc', 'mars', '--sandbox', '--bogus'], /unknown option --bogus for rules rerun\n/],
  ])('%j: a usage error naming the problem', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stdout + r.stderr).toMatch(message);
  });

  // Each bad option is the same usage error with and without --sandbox, found before the embedded
  // sandbox starts (it would print "using the embedded sandbox at ..." first) and before any call.
  it.each([
    [['--dc', 'xx'], /--dc: expected one of us, eu, in, au, jp, cn, ca, sa, got "xx"/],
    [['--environment', 'staging'], /--environment: expected production, sandbox, developer, got "staging"/],
    [['--api-version', 'v9'], /--api-version: /],
    [['--timeout-ms', '0'], /--timeout-ms: expected a whole number from 1 to 3600000, got "0"/],
    [['--max-retries', '-1'], /--max-retries/],
    [['--poll-interval-ms', '5', '--wait'], /--poll-interval-ms: expected a whole number from 10 to 60000, got "5"/],
  ])('%j: the same usage error with and without --sandbox, before the sandbox starts', async (flags, message) => {
    for (const sandboxFlag of [[], ['--sandbox']]) {
      const r = await run(['rules', 'rerun', '--module', 'Leads', ...(flags as string[]), ...sandboxFlag], { ZOHO_ACCESS_TOKEN: 't' });
      expect([r.code, r.stderr], sandboxFlag.join('')).toEqual([EXIT.USAGE, expect.stringMatching(message)]);
      expect(r.stderr).not.toMatch(/embedded sandbox at/);
    }
  });

  it.each([
    [['rules', 'status', '--module', 'Leads', '--sandbox', '--base-url', 'http://127.0.0.1:1/crm/v8'], /--base-url: not with --sandbox/],
    [['rules', 'status', '--module', 'Leads', '--sandbox', '--token-url', 'http://127.0.0.1:1/t'], /--token-url: not with --sandbox/],
    [['rules', 'status', '--module', 'Leads', '--sandbox-latency-ms', '5'], /--sandbox-latency-ms: only with --sandbox/],
    [['share', 'revoke', '--module', 'Contacts', '--ids-file', 'x', '--sandbox-concurrency-limit', '5', '--dry-run'], /--sandbox-concurrency-limit: only with --sandbox/],
    [['share', 'revoke', '--module', 'Contacts', '--ids-file', 'x', '--dc', 'xx', '--sandbox', '--dry-run'], /--dc: expected one of/],
    [['rules', 'status', '--module', 'Leads', '--base-url', 'ftp://x/crm/v8'], /--base-url: expected an http\(s\) URL, got "ftp:\/\/x\/crm\/v8"/],
  ])('%j: refused rather than ignored', async (args, message) => {
    const r = await run(args as string[], { ZOHO_ACCESS_TOKEN: 't' });
    expect([r.code, r.stderr]).toEqual([EXIT.USAGE, expect.stringMatching(message)]);
  });

  it('no credentials at all: a usage error, saying how to use --sandbox or set credentials', async () => {
    const r = await run(['rules', 'status', '--module', 'Leads']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/--sandbox/);
    expect(r.stderr).toMatch(/ZOHO_ACCESS_TOKEN/);
  });

  it("ambiguous or partial credentials in the environment: refused by the client's credentialsFromEnv rule, naming the variables, never a value; nothing sent", async () => {
    const s = await sandbox();
    const trio = { ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId, ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret, ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken, ...trio }, /ZOHO_ACCESS_TOKEN, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN are set: set either ZOHO_ACCESS_TOKEN or ZOHO_CLIENT_ID \+ ZOHO_CLIENT_SECRET \+ ZOHO_REFRESH_TOKEN, not both/],
      [{ ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken, ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken }, /ZOHO_ACCESS_TOKEN and ZOHO_REFRESH_TOKEN are set/],
      [{ ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId, ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken }, /ZOHO_CLIENT_SECRET is not set: the refresh-token grant needs ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN/],
    ];
    for (const [env, message] of cases) {
      const r = await run(['rules', 'status', '--module', 'Leads', '--base-url', s.apiBaseUrl, '--token-url', s.tokenUrl], env);
      expect([r.code, r.stderr]).toEqual([EXIT.USAGE, expect.stringMatching(message)]);
      for (const value of Object.values(env)) expect(r.stdout + r.stderr).not.toContain(value);
    }
    expect(s.stats().requests).toBe(0);
  });

  it('an unknown data centre: a usage error naming --dc', async () => {
    const r = await run(['rules', 'status', '--module', 'Leads', '--dc', 'mars'], { ZOHO_ACCESS_TOKEN: 't' });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/--dc: expected one of us, eu/);
  });
});

describe('rules', () => {
  it('rerun: exit OK; again while running: exit BUSY "a rerun is already running for Leads"; status says computing', async () => {
    const s = await sandbox({ rerunDurationMs: 5000 });
    const { args, env } = against(s);
    expect((await run(['rules', 'rerun', '--module', 'Leads', ...args], env)).code).toBe(EXIT.OK);
    const busy = await run(['rules', 'rerun', '--module', 'Leads', ...args], env);
    expect(busy.code).toBe(EXIT.BUSY);
    expect(busy.stderr).toMatch(/a rerun is already running for Leads/);
    const status = await run(['rules', 'status', '--module', 'Leads', ...args], env);
    expect([status.code, status.stdout.trim()]).toEqual([EXIT.OK, 'computing']);
  });

  it('rerun --wait polls the summary until the computation ends', async () => {
    const s = await sandbox({ rerunDurationMs: 300 });
    const { args, env } = against(s);
    const r = await run(['rules', 'rerun', '--module', 'Deals', '--wait', '--poll-interval-ms', '50', ...args], env);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toMatch(/done: the data sharing rules of Deals are computed/);
    expect((await s.stats()).rerun.scheduled).toBe(1);
    const status = await run(['rules', 'status', '--module', 'Deals', ...args], env);
    expect(status.stdout.trim()).toBe('idle');
  });

  it('Ctrl-C during --wait: says where it stopped (module, elapsed, last known state), exit INTERRUPTED after a newline', async () => {
    const s = await sandbox({ rerunDurationMs: 600_000 });
    const { args, env } = against(s);
    for (const json of [false, true]) {
      const p = start(['rules', 'rerun', '--module', 'Deals', '--wait', '--poll-interval-ms', '20', ...(json ? ['--json'] : []), ...args], env);
      let stderr = '';
      p.child.stderr.on('data', (d) => (stderr += d));
      // Once a poll has answered "computing": a plain line per poll when not a terminal; with --json, a
      // second poll has arrived (sent only after the first one's answer).
      await until(() => (json ? s.stats().summary.calls >= 2 : /computing the rules of Deals/.test(stderr)));
      p.child.kill('SIGINT');
      const r = await p.done;
      expect(r.code).toBe(EXIT.INTERRUPTED);
      expect(r.stderr).toMatch(/interrupted after \d+\.\ds waiting for the rules of Deals; last known state: computing \(3 rules\) at \d+\.\ds\. The rerun goes on in Zoho: check it with `zcrm-sharing rules status --module Deals`\n$/);
      expect(r.stderr).not.toMatch(/calls in flight get/);
      if (json) expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'rerun-interrupted', module: 'Deals', lastState: 'computing (3 rules)', exitCode: EXIT.INTERRUPTED });
      s.reset();
    }
  });

  it('--wait-timeout-ms: no poll after the time limit; says where it stopped, exit WAIT_TIMEOUT', async () => {
    const s = await sandbox({ rerunDurationMs: 600_000 });
    const { args, env } = against(s);
    for (const json of [false, true]) {
      const r = await run(['rules', 'rerun', '--module', 'Deals', '--wait', '--poll-interval-ms', '20', '--wait-timeout-ms', '150', ...(json ? ['--json'] : []), ...args], env);
      expect(r.code).toBe(EXIT.WAIT_TIMEOUT);
      expect(r.stderr).toMatch(/stopped waiting after \d+\.\ds \(--wait-timeout-ms 150\) for the rules of Deals; last known state: computing \(3 rules\) at \d+\.\ds\. The rerun goes on in Zoho/);
      if (json) expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'rerun-wait-timeout', module: 'Deals', lastState: 'computing (3 rules)', exitCode: EXIT.WAIT_TIMEOUT });
      s.reset();
    }
    const bad = await run(['rules', 'rerun', '--module', 'Deals', '--wait', '--wait-timeout-ms', '0', ...args], env);
    expect([bad.code, s.stats().rerun.scheduled]).toEqual([EXIT.USAGE, 0]);
    expect(bad.stderr).toMatch(/--wait-timeout-ms: expected a whole number from 1 to 86400000, got "0"/);
  });

  it('a token without the data sharing scope: exit AUTH', async () => {
    const s = await sandbox();
    const { args, env } = against(s, 'contacts-only');
    const r = await run(['rules', 'rerun', '--module', 'Leads', ...args], env);
    expect(r.code).toBe(EXIT.AUTH);
    expect(r.stderr).toMatch(/OAUTH_SCOPE_MISMATCH/);
  });

  it('--sandbox runs against the embedded sandbox with no credentials', async () => {
    const r = await run(['rules', 'rerun', '--module', 'Leads', '--sandbox', '--json']);
    expect(r.code).toBe(EXIT.OK);
    expect(JSON.parse(r.stdout.trim().split('\n')[0]!)).toMatchObject({ type: 'rerun', module: 'Leads', code: 'SCHEDULED' });
  });
});

describe('share revoke --id', () => {
  it('revokes (exit OK), and a second time reports "already not shared" (exit OK)', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const first = await run(['share', 'revoke', '--module', 'Contacts', '--id', idAt(0), ...args], env);
    expect([first.code, first.stderr]).toEqual([EXIT.OK, expect.stringMatching(/revoked: every share of Contacts 4150868000001148212/)]);
    const again = await run(['share', 'revoke', '--module', 'Contacts', '--id', idAt(0), ...args], env);
    expect([again.code, again.stderr]).toEqual([EXIT.OK, expect.stringMatching(/already not shared/)]);
    expect(s.record('Contacts', idAt(0))).toMatchObject({ shares: 0, revokeSuccesses: 1 });
  });

  it.each([['--id', idAt(0)], ['--ids-file', '-']])('Events, Calls and Tasks are usage errors before anything is sent (%s)', async (flag, value) => {
    const s = await sandbox();
    const { args, env } = against(s);
    for (const module of ['Events', 'Calls', 'Tasks']) {
      const r = await run(['share', 'revoke', '--module', module, flag, value, ...args], env, `${idAt(0)}\n`);
      expect(r.code).toBe(EXIT.USAGE);
      expect(r.stderr).toMatch(/--module: expected a module .*\(not Events, Calls or Tasks\); got "/);
    }
    expect(s.stats().requests).toBe(0);
  });

  it('--dry-run with --id --no-backup sends nothing', async () => {
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--id', idAt(0), '--dry-run', '--no-backup']);
    expect([r.code, r.stderr.trim()]).toEqual([EXIT.OK, `dry run: would revoke every share of Contacts ${idAt(0)}; nothing sent`]);
  });
});

describe('share revoke --ids-file', () => {
  it('bad lines are reported as FILE:LINE and not sent; the rest is; exit PARTIAL', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'ids.txt');
    writeFileSync(file, `# header comment\n${idAt(1)}\n\n${idAt(2)}\nnot-an-id\n${idAt(3)}\n41508680000011482120\n4150868000001148400.0\n`);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, ...args], env);
    expect(r.code).toBe(EXIT.PARTIAL);
    expect(r.stderr).toContain(`${file}:5: expected a record id of 1-19 digits, got "not-an-id" (not sent)`);
    expect(r.stderr).toMatch(/ids\.txt:7: .*"41508680000011482120"/);
    expect(r.stderr).toMatch(/ids\.txt:8: .*"4150868000001148400.0"/);
    expect(r.stderr).toMatch(/revoked 3 · already not shared 0 · failed 0 · invalid 3 · duplicates 0/);
    expect(s.stats().revoke.calls).toBe(3);
  });

  it('a CSV with a record_id column, quoted values; --json gives one object per result and a summary', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'ids.csv');
    writeFileSync(file, `name,record_id\n"Ada, L.",${idAt(4)}\nBob,"${idAt(5)}"\nNine,${idAt(9)}\n`);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', ...args], env);
    expect(r.code).toBe(EXIT.OK);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const results = lines.filter((l) => l.type === 'result');
    expect(results.map((l) => [l.id, l.outcome]).sort()).toEqual([
      [idAt(4), 'revoked'],
      [idAt(5), 'revoked'],
      [idAt(9), 'not_shared'], // the demo seed leaves every 10th record unshared
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', lines: 3, unique: 3, revoked: 2, notShared: 1, failed: 0, invalid: 0, exitCode: EXIT.OK });
  });

  it('ids from stdin (-): the journal names the spooled snapshot by its SHA-256', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const journal = join(tmp(), 'stdin.journal');
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', '-', '--journal', journal, ...args], env, `${idAt(6)}\n${idAt(7)}\n`);
    expect(r.code).toBe(EXIT.OK);
    const [header, ...entries] = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(header.input).toEqual({ path: '-', size: 40, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Each id: its backup (the shares read before the DELETE), then its outcome.
    for (const id of [idAt(6), idAt(7)]) expect(entries.filter((e) => e.id === id).map((e) => (e.backup ? 'backup' : e.outcome))).toEqual(['backup', 'revoked']);
    expect(entries).toHaveLength(4);
  });

  it('--dry-run validates and counts, sends nothing, needs no credentials', async () => {
    const s = await sandbox();
    const file = idsFile([idAt(1), idAt(2), 'bad', idAt(1)]);
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--dry-run']);
    expect(r.code).toBe(EXIT.PARTIAL);
    expect(r.stderr).toMatch(/dry run: 4 ids read: 2 unique, 1 invalid, 1 duplicates; 2 to send; nothing sent/);
    expect(s.stats().requests).toBe(0);
    expect(existsSync(`${file}.journal`)).toBe(false);
  });

  it('--concurrency N: a 429 storm from a lower limit: backs off, never above the limit for long, finishes everything', async () => {
    const s = await sandbox({ concurrencyLimit: 2, latencyMs: 5 });
    const { args, env } = against(s);
    const file = idsFile(range(200));
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--concurrency', '10', '--json', ...args], env);
    expect(r.code).toBe(EXIT.OK);
    const stats = s.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(stats.maxInFlightPerOrg).toBeLessThanOrEqual(2);
    expect(summaryOf(r)).toMatchObject({ revoked: 180, notShared: 20, failed: 0, concurrency: { mode: 'pinned', max: 10 } });
  });

  it('a token that expires mid-run is refreshed once; no secret in any output or the journal', async () => {
    const s = await sandbox({ latencyMs: 5 });
    const file = idsFile(range(400));
    const env = { ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId, ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret, ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken };
    const p = start(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', '--base-url', s.apiBaseUrl, '--token-url', s.tokenUrl], env);
    const journal = `${file}.journal`;
    await until(() => existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length >= 100);
    s.expireTokens();
    const r = await p.done;
    expect(r.code).toBe(EXIT.OK);
    expect(s.stats().tokenRefreshes).toBe(2);
    const everything = r.stdout + r.stderr + readFileSync(journal, 'utf8');
    for (const secret of [DEMO_CREDENTIALS.clientSecret, DEMO_CREDENTIALS.refreshToken]) expect(everything).not.toContain(secret);
    // The refreshed token's api_domain (the org's API origin) is part of the job's header.
    expect(readFileSync(journal, 'utf8').split('\n')[1]).toBe(JSON.stringify({ api_domain: s.url }));
  });
});

describe('config set', () => {
  it('writes the credentials with mode 0600 and uses them; a group-readable file is refused', async () => {
    const s = await sandbox();
    const xdg = tmp();
    const set = await run(['config', 'set', '--client-id', DEMO_CREDENTIALS.clientId], { XDG_CONFIG_HOME: xdg }, `${DEMO_CREDENTIALS.clientSecret}\n${DEMO_CREDENTIALS.refreshToken}\n`);
    expect(set.code).toBe(EXIT.OK);
    expect(set.stdout + set.stderr).not.toContain(DEMO_CREDENTIALS.clientSecret);
    const path = join(xdg, 'zcrm-sharing', 'config.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const use = await run(['rules', 'status', '--module', 'Leads', '--base-url', s.apiBaseUrl, '--token-url', s.tokenUrl], { XDG_CONFIG_HOME: xdg });
    expect(use.code).toBe(EXIT.OK);
    chmodSync(path, 0o644);
    const refused = await run(['rules', 'status', '--module', 'Leads', '--base-url', s.apiBaseUrl], { XDG_CONFIG_HOME: xdg });
    expect(refused.code).toBe(EXIT.USAGE);
    expect(refused.stderr).toMatch(/readable by other users.*chmod 600/);
  });

  it('an unquoted secret in config.json is never printed; the error names the file', async () => {
    const xdg = tmp();
    const path = join(xdg, 'zcrm-sharing', 'config.json');
    const secret = 'Qx7Zr9Wv2Kp4Tn8Ls3Jd';
    await run(['config', 'set', '--client-id', 'cid'], { XDG_CONFIG_HOME: xdg }, 'x\ny\n'); // creates the directory, mode 0600
    writeFileSync(path, `{"clientId":"cid","clientSecret":${secret},"refreshToken":"r"}\n`, { mode: 0o600 });
    for (const args of [['rules', 'status', '--module', 'Leads'], ['share', 'revoke', '--module', 'Contacts', '--id', idAt(0)]]) {
      const r = await run(args, { XDG_CONFIG_HOME: xdg });
      expect(r.code).toBe(EXIT.USAGE);
      expect(r.stderr).toContain(`${path} is not valid JSON`);
      for (let i = 0; i + 4 <= secret.length; i++) expect(r.stdout + r.stderr, 'no 4 characters of it').not.toContain(secret.slice(i, i + 4));
    }
  });
});
