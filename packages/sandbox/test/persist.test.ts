// `statePath` / `--state FILE`: a restart keeps the records' shares, running reruns, tokens and
// credits; writes are coalesced and atomic.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox } from '../src/index.ts';
import { call, ID, manualClock, ROLE, RUN, share, SUMMARY, testSeed, USER, useSandbox } from './helpers.ts';

const { start } = useSandbox();
const dir = () => mkdtempSync(join(tmpdir(), 'zcrm-state-'));

describe('state file', () => {
  it('a restart keeps revokes, new shares, a running rerun and a minted token', async () => {
    const clock = manualClock();
    const file = join(dir(), 'state.json');
    const first = await start({ statePath: file, now: clock.now, rerunDurationMs: 60_000 });
    await call(first, 'DELETE', share('Contacts', ID));
    await call(first, 'POST', share('Contacts', '4150868000001148221'), undefined, { body: { share: [{ shared_with: { type: 'roles', id: ROLE(2) }, permission: 'full_access', type: 'private' }] } });
    await call(first, 'POST', `${RUN}?module=Leads`);
    const grant = await fetch(first.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, refresh_token: DEMO_CREDENTIALS.refreshToken }),
    });
    const minted = ((await grant.json()) as any).access_token as string;
    await first.close();

    clock.advance(1000);
    const second = await start({ statePath: file, now: clock.now, rerunDurationMs: 60_000 });
    expect((await call(second, 'GET', share('Contacts', ID))).status).toBe(204);
    expect((await call(second, 'DELETE', share('Contacts', ID))).body.code).toBe('BAD_REQUEST');
    const shared = await call(second, 'GET', share('Contacts', '4150868000001148221'), minted);
    expect(shared.body.share.map((e: any) => [e.shared_with.name, e.permission])).toEqual([['Support Agent', 'full_access']]);
    expect((await call(second, 'GET', `${SUMMARY}?module=Leads`)).body.sharing_rules_summary[0].rule_computation_status).toBe(true);
    expect((await call(second, 'POST', `${RUN}?module=Leads`)).body.code).toBe('CANNOT_PROCESS');
    expect(second.record('Contacts', ID)).toMatchObject({ revokeCalls: 2, revokeSuccesses: 1 });
  });

  it('a burst of changes is written coalesced, atomically, readable only by its owner', async () => {
    const d = dir();
    const file = join(d, 'state.json');
    const s = await start({ statePath: file });
    const ids = Array.from({ length: 40 }, (_, i) => String(4150868000001148212n + BigInt(i)));
    await Promise.all(ids.map((id) => call(s, 'DELETE', share('Contacts', id))));
    await s.flush();
    const writes = s.stats().stateWrites;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThan(40);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.records.filter((r: any) => ids.includes(r.id)).every((r: any) => r.entries.length === 0)).toBe(true);
    expect(readdirSync(d)).toEqual(['state.json']); // no temporary file left behind
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('nothing is written until something changes; reads change nothing', async () => {
    const file = join(dir(), 'state.json');
    const s = await start({ statePath: file });
    await call(s, 'GET', share('Contacts', ID));
    await s.flush();
    expect(existsSync(file)).toBe(false);
  });

  it('reset goes back to the seed, and so does the file', async () => {
    const file = join(dir(), 'state.json');
    const s = await start({ statePath: file });
    await call(s, 'DELETE', share('Contacts', ID));
    s.reset();
    await s.close();
    const again = await start({ statePath: file });
    expect(again.record('Contacts', ID)!.entries.map((e) => e.shared_with.id)).toEqual([USER(0)]);
  });

  it('a file that is not a state file is refused, naming it', async () => {
    const file = join(dir(), 'state.json');
    writeFileSync(file, '{"records": 1}');
    await expect(startSandbox({ seed: testSeed(), statePath: file })).rejects.toThrow(new RegExp(`${file} is not a zcrm-sandbox state file`));
    writeFileSync(file, 'not json');
    await expect(startSandbox({ seed: testSeed(), statePath: file })).rejects.toThrow(/could not read .* as JSON/);
  });
});
