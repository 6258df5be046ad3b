import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_CREDENTIALS } from '../src/index.ts';

const bin = fileURLToPath(new URL('../bin/zcrm-sandbox.js', import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`exited: ${err}`)));
  });
  url.catch(() => {}); // awaited only by the tests that expect the server to start
  return { child, url, exited, output: () => ({ out, err }) };
}

describe('zcrm-sandbox command', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('prints its URL, serves the API, stops cleanly on %s', async (signal) => {
    const p = run(['--port', '0', '--demo-records', '10']);
    const url = await p.url;
    const res = await fetch(`${url}/crm/v8/Contacts/4150868000001148212/actions/share`, {
      method: 'DELETE',
      headers: { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}` },
    });
    expect(res.status).toBe(200);
    p.child.kill(signal);
    expect(await p.exited).toBe(0);
    expect(p.output().out).toContain(`${signal}, stopping`);
  });

  it("the banner: its URLs and the demo credentials to paste (the printed curl works); a seed file's tokens are never printed", async () => {
    const p = run(['--port', '0', '--demo-records', '10']);
    const url = await p.url;
    await vi.waitFor(() => expect(p.output().out).toContain('try: curl'));
    const banner = p.output().out;
    for (const value of [`${url}/crm/v8`, `${url}/oauth/v2/token`, ...Object.values(DEMO_CREDENTIALS)]) expect(banner).toContain(value);
    // The printed command, run as printed (its header and URL), answers the summary.
    const [, header, printedUrl] = /curl -H '([^']+)' '([^']+)'/.exec(banner)!;
    const [name, value] = header!.split(': ');
    const res = await fetch(printedUrl!, { headers: { [name!]: value! } });
    expect([res.status, ((await res.json()) as { sharing_rules_summary: unknown[] }).sharing_rules_summary.length]).toEqual([200, 1]);
    p.child.kill('SIGTERM');
    await p.exited;

    const dir = mkdtempSync(join(tmpdir(), 'zcrm-banner-'));
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({ tokens: [{ accessToken: 'my-own-secret-token', scopes: [] }], clients: [{ clientId: 'c', clientSecret: 'my-own-client-secret', refreshToken: 'my-own-refresh', scopes: [] }] }));
    const own = run(['--port', '0', '--seed', seedFile]);
    await own.url;
    await vi.waitFor(() => expect(own.output().out).toContain('credentials: those of'));
    own.child.kill('SIGTERM');
    await own.exited;
    expect(own.output().out).not.toMatch(/my-own|sandbox-demo|SANDBOXDEMO/);
  });

  it('applies fault flags (here: --error-rate 1)', async () => {
    const p = run(['--port', '0', '--error-rate', '1']);
    const url = await p.url;
    const res = await fetch(`${url}/crm/v8/settings/data_sharing/rules/actions/run?module=Leads`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}` },
    });
    expect(res.status).toBe(500);
    p.child.kill('SIGTERM');
    await p.exited;
  });

  it('--state FILE: a restart keeps what was revoked', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zcrm-bin-state-')), 'state.json');
    const auth = { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}` };
    const path = '/crm/v8/Contacts/4150868000001148212/actions/share';
    const first = run(['--port', '0', '--demo-records', '10', '--state', file]);
    expect((await fetch(`${await first.url}${path}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0); // exits once the state is on disk
    const second = run(['--port', '0', '--demo-records', '10', '--state', file]);
    const res = await fetch(`${await second.url}${path}`, { headers: auth });
    expect(res.status).toBe(204);
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it.each([
    [['--error-rate', '2'], /--error-rate: expected a number from 0 to 1, got 2/],
    [['--latency-ms', '1e9'], /--latency-ms: expected an integer from 0 to 60000/],
    [['--concurrency-limit', '0'], /--concurrency-limit: expected an integer from 1 to 10000/],
    [['--port', 'abc'], /--port: expected an integer from 0 to 65535, got "abc"/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('bad flags %j: exit 2 naming the flag', async (args, message) => {
    const p = run(args);
    expect(await p.exited).toBe(2);
    expect(p.output().err).toMatch(message);
  });

  it('a missing seed file: exit 1 with the path', async () => {
    const p = run(['--port', '0', '--seed', '/nonexistent/seed.json']);
    expect(await p.exited).toBe(1);
    expect(p.output().err).toMatch(/\/nonexistent\/seed.json/);
  });
});
