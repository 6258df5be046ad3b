// The built CLI against every mode of the hostile server: a non-zero exit, no id journalled as
// revoked, nothing sent to the redirect target, no secret in stdout, stderr or the journal. A 429
// whose Retry-After is absurd (days, a year) means the org's credits are spent: the bulk run stops at
// once (exit CREDITS), one call per id. A proxy's bare 429 (no Retry-After) is waited on, and that
// wait ended with Ctrl-C (SIGINT): exit 130, the wait it aborted reported.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { echoForms, HOSTILE_MODES, jsonUnescaped, startHostileServer, type HostileMode, type HostileServer } from '@zcrm-sharing/test-support/hostile-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT as CODES } from '../src/exit-codes.ts';

const BIN = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
const IDS = ['4150868000001148212', '4150868000001148213', '4150868000001148214'];
const CREDENTIALS = { ZOHO_CLIENT_ID: '1000.cli-client-id', ZOHO_CLIENT_SECRET: 'cli-secret+with/special"chars', ZOHO_REFRESH_TOKEN: '1000.refresh token&value=1' };
const RATE_LIMITED = (mode: HostileMode) => mode.startsWith('retry-after-') || mode === 'rate-limited-bare';
/** A Retry-After beyond the longest wait: the credits are spent. */
const CREDITS_SPENT = (mode: HostileMode) => mode.startsWith('retry-after-');

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function hostile(mode: HostileMode) {
  const s = await startHostileServer({ mode });
  servers.push(s);
  return s;
}

function cli(args: string[], server: HostileServer, cwd?: string) {
  // Only the endless body needs the deadline to end; elsewhere it is generous, so load cannot decide the outcome.
  const timeout = server.mode === 'endless-body' ? '400' : '10000';
  const child = spawn(process.execPath, [BIN, ...args, '--base-url', server.apiBaseUrl, '--token-url', server.tokenUrl, '--timeout-ms', timeout, '--max-retries', '1'], {
    env: { PATH: process.env.PATH!, HOME: mkdtempSync(join(tmpdir(), 'zcrm-home-')), NO_COLOR: '1', ...CREDENTIALS },
    ...(cwd && { cwd }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
  return { child, done };
}

function expectNoSecret(text: string, server: HostileServer) {
  const secrets = [CREDENTIALS.ZOHO_CLIENT_SECRET, CREDENTIALS.ZOHO_REFRESH_TOKEN, ...server.minted];
  for (const form of secrets.flatMap(echoForms)) {
    expect(text).not.toContain(form);
    expect(jsonUnescaped(text)).not.toContain(form);
  }
}

// What the exit code says for each mode (OK only for the control).
const EXIT: Partial<Record<HostileMode, number>> = {
  success: CODES.OK,
  'unauthorized-forever': CODES.AUTH,
  'gateway-401': CODES.AUTH,
  'token-echo': CODES.AUTH,
  'echo-message': CODES.PARTIAL,
  'echo-details': CODES.PARTIAL,
  'echo-code': CODES.PARTIAL,
  'echo-body': CODES.PARTIAL,
  'echo-escaped-404': CODES.USAGE, // a 404 is about the URL, not the record: the job stops, saying so
  'echo-escaped-secrets': CODES.PARTIAL,
  'endless-body': CODES.UNREACHABLE, // every attempt times out: no answer, 10 times in a row
  'rate-limited-bare': CODES.INTERRUPTED,
};
const exitFor = (mode: HostileMode) => EXIT[mode] ?? (mode.startsWith('token-redirect-') ? CODES.AUTH : CREDITS_SPENT(mode) ? CODES.CREDITS : CODES.ERROR);

describe('share revoke --ids-file against each hostile mode', () => {
  it.each(HOSTILE_MODES.map((m) => [m]))('%s', async (mode) => {
    const server = await hostile(mode);
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-hostile-'));
    const file = join(dir, 'ids.txt');
    writeFileSync(file, `${IDS.join('\n')}\n`);
    const run = cli(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', '--no-backup'], server);
    if (mode === 'rate-limited-bare') {
      // Every id has been answered 429 once: the CLI now waits before sending again.
      await vi.waitFor(() => expect(server.requests.filter((r) => r.method === 'DELETE').length).toBeGreaterThanOrEqual(IDS.length), { timeout: 20_000 });
      run.child.kill('SIGINT');
    }
    const r = await run.done;
    const journal = existsSync(`${file}.journal`) ? readFileSync(`${file}.journal`, 'utf8') : '';

    expect(r.code, r.stderr).toBe(exitFor(mode));
    const revoked = journal.split('\n').filter((l) => l.includes('"revoked"'));
    expect(revoked).toHaveLength(mode === 'success' ? IDS.length : 0);
    expect(server.elsewhere.requests).toEqual([]);
    expectNoSecret(r.stdout + r.stderr + journal, server);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    if (RATE_LIMITED(mode)) {
      // The CLI's limiter owns 429s (the client does not retry them), and nothing looped.
      const deletes = server.requests.filter((q) => q.method === 'DELETE').length;
      if (CREDITS_SPENT(mode)) {
        // Stopped at the first answer, saying when to resume (the Retry-After, read up to 24 days).
        expect(summary).toMatchObject({ revoked: 0, left: IDS.length, stopped: { exit: 'CREDITS', resumeAfter: expect.any(String) } });
        expect(Date.parse(summary.stopped.resumeAfter)).toBeGreaterThan(Date.now() + 86_400_000);
        expect(deletes).toBe(IDS.length);
      } else {
        expect(summary).toMatchObject({ interrupted: true, revoked: 0 });
        expect(summary.waitsAborted).toBeGreaterThanOrEqual(1);
        expect(deletes).toBeLessThanOrEqual(IDS.length * 3);
      }
    }
  });
});

describe('share revoke --id with its backup (the read first) against each hostile mode', () => {
  // No mode answers the read with Zoho's documented list of shares: only its 204 (shared with no one)
  // is an answer, and it proves there is nothing to revoke. So no DELETE ever goes out. (Not the
  // absurd Retry-After modes: a single call waits the longest wait, a minute, before its retry; the
  // Ctrl-C test below ends that wait.)
  it.each(HOSTILE_MODES.filter((m) => !CREDITS_SPENT(m)).map((m) => [m]))('%s: no DELETE, never "revoked", no secret in the output or the journal', async (mode) => {
    const server = await hostile(mode);
    const cwd = mkdtempSync(join(tmpdir(), 'zcrm-hostile-one-'));
    const r = await cli(['share', 'revoke', '--module', 'Contacts', '--id', IDS[0]!, '--json'], server, cwd).done;
    const path = join(cwd, `Contacts-${IDS[0]}.revoke.journal`);
    const journal = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (mode === 'no-content-204') {
      expect(r.code, r.stderr).toBe(CODES.OK);
      const entries = journal.trim().split('\n').slice(1).map((l) => JSON.parse(l));
      expect(entries.filter((e) => e.id)).toEqual([{ id: IDS[0], outcome: 'not_shared' }]);
    } else {
      expect(r.code, r.stderr).not.toBe(CODES.OK);
      expect(journal, 'a read that failed leaves no journal behind').toBe('');
    }
    expect(server.requests.filter((q) => q.method === 'DELETE')).toEqual([]);
    expect(r.stdout + r.stderr).not.toMatch(/"outcome":"revoked"|revoked: every share/);
    expect(server.elsewhere.requests).toEqual([]);
    expectNoSecret(r.stdout + r.stderr + journal, server);
  });
});

describe('single calls against hostile answers', () => {
  it.each([['html-200'], ['redirect-307'], ['numeric-id'], ['mismatched-id'], ['no-content-204'], ['echo-code']] as [HostileMode][])(
    'share revoke --id, %s: non-zero, never "revoked", no secret',
    async (mode) => {
      const server = await hostile(mode);
      const r = await cli(['share', 'revoke', '--module', 'Contacts', '--id', IDS[0]!, '--no-backup', '--json'], server).done;
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/"outcome":"revoked"|revoked: every share/);
      expect(server.elsewhere.requests).toEqual([]);
      expectNoSecret(r.stdout + r.stderr, server);
    },
  );

  it.each([['html-200'], ['empty-200'], ['invalid-json'], ['no-envelope'], ['mismatched-id']] as [HostileMode][])(
    'rules status and rules rerun --wait, %s: non-zero, never "idle" or "done"',
    async (mode) => {
      const server = await hostile(mode);
      const status = await cli(['rules', 'status', '--module', 'Leads'], server).done;
      expect(status.code).not.toBe(0);
      expect(status.stdout).not.toMatch(/idle|computing/);
      const rerun = await cli(['rules', 'rerun', '--module', 'Leads', '--wait', '--poll-interval-ms', '10'], server).done;
      expect(rerun.code).not.toBe(0);
      expect(rerun.stderr).not.toMatch(/scheduled:|done:/);
    },
  );

  // Issue 22: 200s that pass a check of `status` and the id, ambiguous JSON, and coding labels.
  const NOT_PROOF: HostileMode[] = [
    'code-no-permission-200',
    'code-internal-error-200',
    'code-invalid-data-200',
    'code-lowercase-success-200',
    'code-cannot-process-200',
    'duplicate-status',
    'duplicate-envelope',
    'duplicate-id',
    'coding-gzip',
    'coding-br',
    'coding-unknown',
  ];
  it.each(NOT_PROOF.map((m) => [m]))('share revoke --id, %s: exit ERROR, never "revoked", nothing journalled as revoked', async (mode) => {
    const server = await hostile(mode);
    const r = await cli(['share', 'revoke', '--module', 'Contacts', '--id', IDS[0]!, '--no-backup', '--json'], server).done;
    expect(r.code, r.stderr).toBe(CODES.ERROR);
    expect(r.stdout + r.stderr).not.toMatch(/"outcome":"revoked"|revoked: every share/);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ type: 'error', kind: 'unexpected_response' });
    if (mode.startsWith('duplicate-')) expect(last.message).toMatch(/the key "(status|share|id)" is repeated/);
    if (mode.startsWith('coding-')) expect(last.message).toMatch(/Content-Encoding (gzip|br|x-zoho-custom) is not decoded/);
    expectNoSecret(r.stdout + r.stderr, server);
  });

  it.each(NOT_PROOF.map((m) => [m]))('rules rerun, %s: exit ERROR, never "scheduled"', async (mode) => {
    const server = await hostile(mode);
    const r = await cli(['rules', 'rerun', '--module', 'Leads'], server).done;
    expect(r.code, r.stderr).toBe(CODES.ERROR);
    // (The error's body snippet may quote Zoho's message "Rerun successfully scheduled": not the verdict.)
    expect(r.stdout + r.stderr).not.toMatch(/scheduled: rerun/);
    expect(r.stderr).toMatch(/rerunDataSharingRules: HTTP 200 .* is not the documented answer/);
    const json = await cli(['rules', 'rerun', '--module', 'Leads', '--json'], server).done;
    expect(json.stdout).not.toMatch(/"outcome":"scheduled"/);
  });

  it('Ctrl-C during a single revoke waiting on Retry-After: 999999 ends it, exit 130', async () => {
    const server = await hostile('retry-after-huge');
    const run = cli(['share', 'revoke', '--module', 'Contacts', '--id', IDS[0]!, '--no-backup'], server);
    await vi.waitFor(() => expect(server.requests.some((r) => r.method === 'DELETE')).toBe(true), { timeout: 20_000 });
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(CODES.INTERRUPTED);
    expect(server.requests.filter((q) => q.method === 'DELETE')).toHaveLength(1);
  });
});
