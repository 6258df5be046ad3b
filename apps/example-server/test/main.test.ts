// `pnpm start` as a user runs it: the built dist/main.js in a child process.
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, contactId, deliver, request, tempDataDir } from './helpers.ts';
import { MAIN, killAll, spawnNode, type Proc } from './processes.ts';

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (turbo runs build before test)`);
});

const dataDirs: string[] = [];
afterEach(() => {
  killAll();
  for (const d of dataDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** dist/main.js with `env` (and a free port and a fresh DATA_DIR unless given). */
function start(env: Record<string, string>): Proc {
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  return spawnNode(MAIN, [], { PORT: '0', DATA_DIR: dataDir, ...env });
}

const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

describe('start (dist/main.js)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('no credentials: one line names the embedded sandbox and its URL; serves; stops cleanly on %s', async (signal) => {
    const p = start({ WEBHOOK_SECRET: SECRET });
    const sandboxLine = JSON.parse(await p.line(/embedded sandbox/));
    expect(sandboxLine.sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandboxLine.msg).toContain(sandboxLine.sandboxUrl);
    const listening = JSON.parse(await p.line(/"msg":"listening/));
    expect(listening).toMatchObject({ mode: 'sandbox', webhook: 'enabled', revokeConcurrency: 4 });

    expect((await request(`${listening.url}/healthz`)).body).toMatchObject({ status: 'ok', mode: 'sandbox' });
    expect((await fetch(`${listening.url}/`)).status).toBe(200);
    expect((await deliver(listening.url, { module: 'Contacts', recordId: contactId(0) })).status).toBe(202);
    const revoked = await request(`${listening.url}/api/records/Contacts/${contactId(1)}/sharing`, { method: 'DELETE' });
    expect(revoked.body).toMatchObject({ revoked: true });

    p.child.kill(signal);
    expect(await p.exit).toEqual({ code: 0, signal: null });
    const lines = jsonLines(p.stdout());
    expect(lines.filter((l) => /embedded sandbox/.test(l.msg))).toHaveLength(1);
    expect(lines.at(-1)!.msg).toBe('stopped');
    expect(p.stderr()).toBe('');
    // The demo credentials and the webhook secret never reach the output.
    for (const s of [SECRET, DEMO_CREDENTIALS.clientSecret, DEMO_CREDENTIALS.refreshToken]) expect(p.stdout()).not.toContain(s);
  });

  it('no WEBHOOK_SECRET: starts, says the webhook is off and how to turn it on', async () => {
    const p = start({});
    const warn = JSON.parse(await p.line(/WEBHOOK_SECRET is not set/));
    expect(warn.level).toBe('warn');
    const { url } = JSON.parse(await p.line(/"msg":"listening/));
    expect((await deliver(url, { module: 'Contacts', recordId: contactId(0) })).status).toBe(503);
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
  });

  it('with ZOHO_ACCESS_TOKEN and ZOHO_BASE_URL: talks to that Zoho (here a sandbox), no embedded sandbox, token never printed', async () => {
    const zoho = await startSandbox({ seed: demoSeed({ records: 20 }) });
    try {
      const p = start({ ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken, ZOHO_BASE_URL: zoho.apiBaseUrl, REVOKE_CONCURRENCY: '2' });
      const listening = JSON.parse(await p.line(/"msg":"listening/));
      expect(listening).toMatchObject({ mode: 'zoho', revokeConcurrency: 2 });
      const r = await request(`${listening.url}/api/records/Contacts/${contactId(0)}/sharing`, { method: 'DELETE' });
      expect(r.body).toMatchObject({ revoked: true, recordId: contactId(0) });
      expect(zoho.record('Contacts', contactId(0))!.revokeSuccesses).toBe(1);
      p.child.kill('SIGTERM');
      expect((await p.exit).code).toBe(0);
      expect(p.stdout()).not.toMatch(/embedded sandbox/);
      expect(p.stdout() + p.stderr()).not.toContain(DEMO_CREDENTIALS.accessToken);
    } finally {
      await zoho.close();
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ REVOKE_CONCURRENCY: '100' }, 'REVOKE_CONCURRENCY'],
    [{ WEBHOOK_SECRET: 'too-short' }, 'WEBHOOK_SECRET'],
    [{ ZOHO_CLIENT_SECRET: 'a-client-secret-value' }, 'ZOHO_CLIENT_ID'],
    [{ ZOHO_DC: 'eu' }, 'ZOHO_DC'],
  ])('bad configuration %j: exit 2, one error line naming %s, no secret echoed', async (env, variable) => {
    const p = start(env);
    expect((await p.exit).code).toBe(2);
    const [line, ...rest] = jsonLines(p.stderr());
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'error', variable });
    expect(line!.msg).toContain(`invalid configuration: ${variable}:`);
    expect(p.stdout()).toBe('');
    for (const value of ['too-short', 'a-client-secret-value']) expect(p.stderr()).not.toContain(value);
  });

  it('a port in use: exit 1 naming PORT, and the embedded sandbox is closed again', async () => {
    const first = start({});
    const { url } = JSON.parse(await first.line(/"msg":"listening/));
    const second = start({ PORT: new URL(url).port });
    expect((await second.exit).code).toBe(1);
    expect(JSON.parse(second.stderr())).toMatchObject({ level: 'error', variable: 'PORT', code: 'EADDRINUSE' });
    first.child.kill('SIGTERM');
    await first.exit;
  });

  // Root ignores file modes (a read-only folder is writable to it): that case runs only for other users.
  const asRoot = process.getuid?.() === 0;
  type Case = [name: string, prepare: (dir: string) => string, cause: RegExp];
  it.each<Case>([
    ['a DATA_DIR that is a file', (dir: string) => { writeFileSync(join(dir, 'not-a-folder'), ''); return join(dir, 'not-a-folder'); }, /is not a folder/],
    ...(asRoot ? [] : [['a read-only DATA_DIR', (dir: string) => { chmodSync(dir, 0o500); return dir; }, /cannot create or open the store|readonly|EACCES/] as Case]),
    ['a damaged store file', (dir: string) => { writeFileSync(join(dir, 'webhook-jobs.sqlite'), 'this is not a database, just some bytes'.repeat(200)); return dir; }, /webhook-jobs\.sqlite/],
  ])('%s: exit 1 naming DATA_DIR and the cause, not a listen failure on HOST', async (_name, prepare, cause) => {
    const dir = tempDataDir();
    try {
      const p = start({ DATA_DIR: prepare(dir) });
      expect((await p.exit).code).toBe(1);
      const line = JSON.parse(p.stderr().trim().split('\n').at(-1)!);
      expect(line).toMatchObject({ level: 'error', variable: 'DATA_DIR' });
      expect(line.msg).toMatch(/^could not open the job store: /);
      expect(line.msg).not.toMatch(/listen/);
      expect(line.msg).toMatch(cause);
    } finally {
      chmodSync(dir, 0o700);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
