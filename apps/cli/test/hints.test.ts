// One set of hints for every command: the single-record commands (share revoke --id, share show,
// rules rerun, rules status) say what the bulk path says, worded for the credentials given (an access
// token cannot be refreshed; a refresh token can), with the operation's scopes, the module ("did you
// mean"), the data centre. And usage: "did you mean" for options and commands, never parseArgs' raw
// text; each command's help lists the exit codes that command can return, from the one table.
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_TABLE } from '../src/exit-codes.ts';
import { COMMANDS } from '../src/commands/index.ts';
import { against, idAt, idsFile, run, sandbox, type Run } from './helpers.ts';

const ID = idAt(0);
const commands = (module: string, file: string): Record<string, string[]> => ({
  'share revoke --id': ['share', 'revoke', '--module', module, '--id', ID],
  'share show': ['share', 'show', '--module', module, '--id', ID],
  'rules rerun': ['rules', 'rerun', '--module', module],
  'rules status': ['rules', 'status', '--module', module],
  'share revoke --ids-file': ['share', 'revoke', '--module', module, '--ids-file', file],
});

async function each(module: string, env: (s: Awaited<ReturnType<typeof sandbox>>) => { args: string[]; env: Record<string, string> }) {
  const s = await sandbox();
  const { args, env: vars } = env(s);
  const results: [string, Run][] = [];
  for (const [name, argv] of Object.entries(commands(module, idsFile([ID, idAt(1)])))) results.push([name, await run([...argv, ...args], vars)]);
  return results;
}

describe('the hints, for every command', () => {
  it('an access token Zoho refuses: "cannot be refreshed", where to get one, the data centre; never "after one refresh"', async () => {
    for (const [name, r] of await each('Contacts', (s) => against(s, '1000.not-a-token'))) {
      expect(r.code, name).toBe(EXIT.AUTH);
      expect(r.stderr, name).toMatch(/Zoho refused the access token \(INVALID_TOKEN: invalid oauth token\)\. An access token cannot be refreshed: get a new one/);
      expect(r.stderr, name).toContain('and the data centre (--base-url: a token works only in the data centre that issued it)');
      expect(r.stderr, name).not.toContain('after one refresh');
    }
  });

  it('a refresh token Zoho refuses: the refresh variables named, never their values', async () => {
    const creds = { ZOHO_CLIENT_ID: 'cid-x', ZOHO_CLIENT_SECRET: 'secret-x', ZOHO_REFRESH_TOKEN: '1000.refresh-nope' };
    for (const [name, r] of await each('Contacts', (s) => ({ args: ['--base-url', s.apiBaseUrl, '--token-url', s.tokenUrl], env: creds }))) {
      expect(r.code, name).toBe(EXIT.AUTH);
      expect(r.stderr, name).toMatch(/check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN \(or zcrm-sharing config set\) and the data centre/);
      for (const secret of Object.values(creds)) expect(r.stderr + r.stdout, name).not.toContain(secret);
    }
  });

  it("a token without the operation's scope: the scopes of that very operation named", async () => {
    const scopes: Record<string, RegExp> = {
      // Both revokes read the record's shares first (the backup): that read is the call refused.
      'share revoke --id': /lacks the scope to read the sharing of Leads records \(ZohoCRM\.share\.leads\.READ or ZohoCRM\.share\.leads\.ALL or ZohoCRM\.share\.all\)/,
      'share show': /lacks the scope to read the sharing of Leads records \(ZohoCRM\.share\.leads\.READ or ZohoCRM\.share\.leads\.ALL or ZohoCRM\.share\.all\)/,
      'rules rerun': /lacks the scope to rerun data sharing rules \(ZohoCRM\.settings\.data_sharing\.UPDATE or ZohoCRM\.settings\.data_sharing\.ALL\)/,
      'rules status': /lacks the scope to read the data sharing rules summary \(ZohoCRM\.settings\.data_sharing\.READ/,
      'share revoke --ids-file': /lacks the scope to read the sharing of Leads records \(ZohoCRM\.share\.leads\.READ or ZohoCRM\.share\.leads\.ALL or ZohoCRM\.share\.all\)/,
    };
    for (const [name, r] of await each('Leads', (s) => against(s, 'contacts-only'))) {
      expect(r.code, `${name}: ${r.stderr}`).toBe(EXIT.AUTH);
      expect(r.stderr, name).toMatch(/OAUTH_SCOPE_MISMATCH/);
      expect(r.stderr, name).toMatch(scopes[name]!);
    }
  });

  it('share revoke --id --verify with a token that may revoke but not read: the read-back names the READ scopes', async () => {
    const s = await sandbox();
    const { args, env } = against(s, 'contacts-only');
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--id', ID, '--verify', '--no-backup', ...args], env);
    expect(r.code).toBe(EXIT.AUTH);
    expect(r.stderr).toMatch(/lacks the scope to read the sharing of Contacts records \(ZohoCRM\.share\.contacts\.READ or ZohoCRM\.share\.contacts\.ALL or ZohoCRM\.share\.all\)/);
    expect(s.record('Contacts', ID)!.revokeCalls).toBe(1);
  });

  it('a module Zoho does not know: "did you mean --module Contacts?"', async () => {
    for (const [name, r] of await each('Contact', (s) => against(s))) {
      expect(r.code, `${name}: ${r.stderr}`).toBe(EXIT.USAGE);
      expect(r.stderr, name).toMatch(/Zoho does not know the module "Contact" \(.*\); did you mean --module Contacts\?/);
    }
  });
});

describe('usage', () => {
  it('a mistyped option gets "did you mean", a mistyped command too, never parseArgs\' raw text', async () => {
    const cases: [string[], string][] = [
      [['share', 'revoke', '--module', 'Contacts', '--ids', 'x'], 'unknown option --ids for share revoke; did you mean --ids-file?'],
      [['share', 'revoke', '--modul', 'Contacts'], 'unknown option --modul for share revoke; did you mean --module?'],
      [['rules', 'rerun', '--module', 'Leads', '--wiat'], 'unknown option --wiat for rules rerun; did you mean --wait?'],
      [['share', 'revok', '--module', 'Contacts'], 'unknown command "share revok"; did you mean share revoke?'],
      [['share', 'revoke', '--module'], '--module needs a value (NAME)'],
      [['share', 'revoke', '--dry-run=yes'], '--dry-run takes no value'],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(EXIT.USAGE);
      expect(r.stderr, argv.join(' ')).toContain(message);
      expect(r.stderr, argv.join(' ')).not.toMatch(/To specify a positional argument|Unknown option '/);
    }
  });

  it("each command's help lists the exit codes that command can return, and only those", async () => {
    for (const c of COMMANDS) {
      const r = await run([...c.name.split(' '), '--help']);
      const listed = [...r.stdout.slice(r.stdout.indexOf('Exit codes:')).matchAll(/^ +(\d+) {2}/gm)].map((m) => Number(m[1]));
      expect(listed, c.name).toEqual(EXIT_TABLE.filter((e) => c.exits.includes(e.name)).map((e) => e.code));
    }
    const single = await run(['rules', 'status', '--help']);
    expect(single.stdout).not.toContain(`${EXIT.CREDITS}  `);
  });
});
