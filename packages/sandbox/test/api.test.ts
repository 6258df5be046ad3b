import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/index.ts';
import { call, ID, manualClock, testSeed, useSandbox } from './helpers.ts';

const RUN = '/crm/v8/settings/data_sharing/rules/actions/run';
const SUMMARY = '/crm/v8/settings/data_sharing/rules/actions/summary';
const share = (module: string, id: string, v = 'v8') => `/crm/${v}/${module}/${id}/actions/share`;
const { start } = useSandbox();

describe('rerun data sharing rules', () => {
  it('schedules, answers CANNOT_PROCESS while running, is free again when the computation ends', async () => {
    const clock = manualClock();
    const s = await start({ rerunDurationMs: 150, now: clock.now });
    const first = await call(s, 'POST', `${RUN}?module=Leads`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sharing_rules: [{ code: 'SCHEDULED', details: {}, message: 'Rerun successfully scheduled', status: 'success' }] });
    const busy = await call(s, 'POST', `${RUN}?module=Leads`);
    expect(busy.status).toBe(400);
    expect(busy.body).toEqual({ code: 'CANNOT_PROCESS', details: {}, message: 'The scheduler is currently running', status: 'error' });
    expect((await call(s, 'POST', `${RUN}?module=Contacts`)).status).toBe(200); // other modules are independent
    clock.advance(149);
    expect((await call(s, 'POST', `${RUN}?module=Leads`)).status).toBe(400);
    clock.advance(1);
    expect((await call(s, 'POST', `${RUN}?module=Leads`)).status).toBe(200);
  });

  it('the summary shows the computation running, then done', async () => {
    const clock = manualClock();
    const s = await start({ rerunDurationMs: 150, now: clock.now });
    const idle = await call(s, 'GET', `${SUMMARY}?module=Deals`);
    expect(idle.body.sharing_rules_summary[0]).toMatchObject({ module: { api_name: 'Deals' }, rule_computation_status: false, rule_count: 3 });
    await call(s, 'POST', `${RUN}?module=Deals`);
    expect((await call(s, 'GET', `${SUMMARY}?module=Deals`)).body.sharing_rules_summary[0].rule_computation_status).toBe(true);
    clock.advance(150);
    expect((await call(s, 'GET', `${SUMMARY}?module=Deals`)).body.sharing_rules_summary[0].rule_computation_status).toBe(false);
  });

  it('the summary of a module without rules is 204', async () => {
    const s = await start();
    const r = await call(s, 'GET', `${SUMMARY}?module=Vendors_Archive`);
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
  });

  it.each([
    ['missing module', RUN, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing'],
    ['empty module', `${RUN}?module=`, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing'],
    ['unknown module', `${RUN}?module=Nope`, 'INVALID_DATA', 'the module name given seems to be invalid'],
    ['malformed module', `${RUN}?module=..%2Fx`, 'INVALID_DATA', 'the module name given seems to be invalid'],
  ])('%s: 400 %s with param_name module', async (_l, path, code, message) => {
    const s = await start();
    const r = await call(s, 'POST', path);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code, details: { param_name: 'module' }, message, status: 'error' });
  });

  it.each(['v2', 'v2.1', 'v5', 'v7'])('%s has no rerun endpoint: 404 INVALID_URL_PATTERN', async (v) => {
    const s = await start();
    const r = await call(s, 'POST', `/crm/${v}/settings/data_sharing/rules/actions/run?module=Leads`);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('INVALID_URL_PATTERN');
  });
});

describe('revoke shared records', () => {
  it('revokes every share and answers SUCCESS with the id as a string; again: nothing to revoke', async () => {
    const s = await start();
    expect(s.record('Contacts', ID)!.shares).toBe(1);
    const r = await call(s, 'DELETE', share('Contacts', ID));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } });
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 0, revokeCalls: 1, revokeSuccesses: 1 });
    const again = await call(s, 'DELETE', share('Contacts', ID));
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 'BAD_REQUEST', details: {}, message: 'No sharing through this record is available to revoke.', status: 'error' });
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 0, revokeCalls: 2, revokeSuccesses: 1 });
  });

  it('works on every version from v2', async () => {
    const s = await start();
    expect((await call(s, 'DELETE', share('Contacts', '4150868000001148213', 'v2'))).status).toBe(200);
    expect((await call(s, 'DELETE', share('Contacts', '4150868000001148214', 'v2.1'))).status).toBe(200);
  });

  it('custom modules use the custom scope', async () => {
    const s = await start();
    expect((await call(s, 'DELETE', share('Projects_X', '4150868000003000001'))).status).toBe(200);
  });

  it.each([
    ['a non-numeric id', share('Contacts', 'abc'), 400, 'INVALID_DATA', 'ENTITY_ID_INVALID', { resource_path_index: 1 }],
    ['a 20-digit id', share('Contacts', '41508680000011482120'), 400, 'INVALID_DATA', 'ENTITY_ID_INVALID', { resource_path_index: 1 }],
    ['an unknown id', share('Contacts', '1'), 400, 'INVALID_DATA', 'ENTITY_ID_INVALID', { resource_path_index: 1 }],
    ['a record of another module', share('Contacts', '4150868000002000000'), 400, 'INVALID_DATA', 'ENTITY_ID_INVALID', { resource_path_index: 1 }],
    ['an unknown module', share('Nope', ID), 400, 'INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: 0 }],
    ['a module not supported in the API', share('Documents', ID), 400, 'INVALID_MODULE', 'The given module is not supported in API', { resource_path_index: 0 }],
    ['Events', share('Events', ID), 401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL', {}],
    ['Calls', share('Calls', ID), 401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL', {}],
    ['Tasks', share('Tasks', ID), 401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL', {}],
  ])('%s: %i %s', async (_l, path, status, code, message, details) => {
    const s = await start();
    const r = await call(s, 'DELETE', path);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ code, details, message, status: 'error' });
  });

  it('a user without the share permission: 403 NO_PERMISSION; a read-only user: 400 AUTHORIZATION_FAILED', async () => {
    const s = await start();
    expect((await call(s, 'DELETE', share('Contacts', ID), 'no-share-permission')).body.code).toBe('NO_PERMISSION');
    const ro = await call(s, 'DELETE', share('Contacts', ID), 'read-only');
    expect([ro.status, ro.body.code]).toEqual([400, 'AUTHORIZATION_FAILED']);
    expect(s.record('Contacts', ID)!.shares).toBe(1);
  });
});

describe('auth', () => {
  it.each([
    ['no Authorization header', null, {}, 'AUTHENTICATION_FAILURE', 'Authentication failed'],
    ['a Bearer token', null, { authorization: `Bearer ${DEMO_CREDENTIALS.accessToken}` }, 'AUTHENTICATION_FAILURE', 'Authentication failed'],
    ['an unknown token', 'nope', {}, 'INVALID_TOKEN', 'invalid oauth token'],
    ['an expired token', 'expired', {}, 'INVALID_TOKEN', 'invalid oauth token'],
  ])('%s: 401 %s', async (_l, token, headers, code, message) => {
    const s = await start();
    for (const [method, path] of [['POST', `${RUN}?module=Leads`], ['DELETE', share('Contacts', ID)]] as const) {
      const r = await call(s, method, path, token, headers);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ code, details: {}, message, status: 'error' });
    }
  });

  it('scopes: rerun needs data_sharing UPDATE/ALL, revoke needs share.{module}.DELETE/ALL', async () => {
    const s = await start();
    const rerunNoScope = await call(s, 'POST', `${RUN}?module=Leads`, 'contacts-only');
    expect([rerunNoScope.status, rerunNoScope.body.message]).toEqual([401, 'Unauthorized']);
    expect((await call(s, 'POST', `${RUN}?module=Leads`, 'rules-only')).status).toBe(200);
    expect((await call(s, 'DELETE', share('Leads', '4150868000002000000'), 'contacts-only')).body.code).toBe('OAUTH_SCOPE_MISMATCH');
    expect((await call(s, 'DELETE', share('Contacts', ID), 'rules-only')).body.code).toBe('OAUTH_SCOPE_MISMATCH');
    expect((await call(s, 'DELETE', share('Contacts', ID), 'contacts-only')).status).toBe(200);
  });

  it('POST /oauth/v2/token: the refresh-token grant mints a working token; Zoho-style errors otherwise', async () => {
    const s = await start();
    const grant = (fields: Record<string, string>) =>
      fetch(s.tokenUrl, { method: 'POST', body: new URLSearchParams(fields) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const ok = await grant({ grant_type: 'refresh_token', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, refresh_token: DEMO_CREDENTIALS.refreshToken });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ api_domain: s.url, token_type: 'Bearer', expires_in: 3600 });
    expect((await call(s, 'DELETE', share('Contacts', ID), ok.body.access_token)).status).toBe(200);
    expect(s.stats().tokenRefreshes).toBe(1);
    const base = { grant_type: 'refresh_token', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, refresh_token: DEMO_CREDENTIALS.refreshToken };
    expect((await grant({ ...base, client_secret: 'wrong' })).body).toEqual({ error: 'invalid_client' });
    expect((await grant({ ...base, refresh_token: 'wrong' })).body).toEqual({ error: 'invalid_code' });
    expect(await grant({ ...base, grant_type: 'password' })).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('expireTokens (POST /__sandbox/tokens/expire): INVALID_TOKEN until a refresh', async () => {
    const s = await start();
    await fetch(`${s.url}/__sandbox/tokens/expire`, { method: 'POST' });
    expect((await call(s, 'DELETE', share('Contacts', ID))).body.code).toBe('INVALID_TOKEN');
  });
});

describe('Zoho envelopes for wrong methods and unknown paths', () => {
  it.each([
    ['GET', `${RUN}?module=Leads`],
    ['DELETE', `${RUN}?module=Leads`],
    ['POST', `${SUMMARY}?module=Leads`],
    ['GET', share('Contacts', ID)],
    ['PUT', share('Contacts', ID)],
  ])('%s %s: 400 INVALID_REQUEST_METHOD', async (method, path) => {
    const s = await start();
    const r = await call(s, method, path);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 'INVALID_REQUEST_METHOD', details: {}, message: 'The http request method type is not a valid one', status: 'error' });
  });

  it.each(['/crm/v8/nope', '/crm/v8/Contacts', '/crm/v8/Contacts/1/actions/nope', '/crm/v1/Contacts/1/actions/share', '/nothing', '/crm/v8/settings/data_sharing/rules/actions/stop'])(
    '%s: 404 INVALID_URL_PATTERN',
    async (path) => {
      const s = await start();
      const r = await call(s, 'POST', path);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('INVALID_URL_PATTERN');
    },
  );
});

describe('limits and faults', () => {
  // Calls are held in flight by a latency far longer than the test, and the test waits until the sandbox
  // counts them in flight before it sends more: no assumption about how fast requests arrive.
  async function holdInFlight(s: Sandbox, n: number, send: (i: number) => Promise<unknown>) {
    const held = Array.from({ length: n }, (_, i) => send(i).catch(() => undefined));
    while (s.stats().inFlight < n) await new Promise((r) => setImmediate(r));
    return held;
  }

  it('concurrency limit per token: over it 429 TOO_MANY_REQUESTS with Retry-After when configured', async () => {
    const s = await start({ concurrencyLimit: 2, latencyMs: 600_000, retryAfterSeconds: 1 });
    const ids = Array.from({ length: 6 }, (_, i) => String(4150868000001148220n + BigInt(i)));
    await holdInFlight(s, 2, (i) => call(s, 'DELETE', share('Contacts', ids[i]!)));
    const limited = [];
    for (const id of ids.slice(2, 5)) limited.push(await call(s, 'DELETE', share('Contacts', id)));
    expect(limited.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(limited[0]!.body.code).toBe('TOO_MANY_REQUESTS');
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(s.stats().maxInFlightPerToken).toBe(2);
    // Another token has its own budget.
    s.configure({ latencyMs: 0 });
    expect((await call(s, 'DELETE', share('Contacts', ids[5]!), 'contacts-only')).status).toBe(200);
    await s.close(); // ends the held calls
  });

  it('without retryAfterSeconds, 429 carries no Retry-After', async () => {
    const s = await start({ concurrencyLimit: 1, latencyMs: 600_000 });
    await holdInFlight(s, 1, () => call(s, 'POST', `${RUN}?module=Leads`));
    const limited = await call(s, 'POST', `${RUN}?module=Deals`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    await s.close();
  });

  it('daily credits: calls beyond the budget get 429', async () => {
    const s = await start({ dailyCredits: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(s, 'GET', `${SUMMARY}?module=Leads`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(s.stats().creditsUsed).toBe(3);
  });

  it('added latency delays every API call by at least latencyMs', async () => {
    const s = await start({ latencyMs: 120 });
    const t = performance.now();
    await call(s, 'GET', `${SUMMARY}?module=Leads`);
    expect(performance.now() - t).toBeGreaterThanOrEqual(115);
  });

  it('injected 500s never half-apply: the record stays shared, and a later revoke succeeds once', async () => {
    const s = await start({ errorRate: 1 });
    const failed = await call(s, 'DELETE', share('Contacts', ID));
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' });
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 1, revokeSuccesses: 0 });
    expect((await call(s, 'POST', `${RUN}?module=Leads`)).status).toBe(500);
    expect((await call(s, 'GET', `${SUMMARY}?module=Leads`)).body.sharing_rules_summary[0].rule_computation_status).toBe(false);
    s.configure({ errorRate: 0 });
    expect((await call(s, 'DELETE', share('Contacts', ID))).status).toBe(200);
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 0, revokeSuccesses: 1 });
    expect(s.stats().injectedErrors).toBe(2);
  });

  it('the seed file is read, never written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-seed-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(testSeed(5)));
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const s = await start({ seed: file, errorRate: 0.5 });
    for (let i = 0; i < 5; i++) await call(s, 'DELETE', share('Contacts', String(4150868000001148212n + BigInt(i))));
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });

  it('a seed with a numeric record id is refused with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-seed-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, '{"records":[{"module":"Contacts","id":4150868000001148212}]}');
    await expect(startSandbox({ seed: file })).rejects.toThrow(/record ids must be JSON strings/);
  });

  it('200 concurrent connections: every one answered, only the modelled 429s', async () => {
    const s = await start({ concurrencyLimit: 25, latencyMs: 20 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => call(s, 'DELETE', share('Contacts', String(4150868000001148212n + BigInt(i % 50))))),
    );
    const statuses = new Set(results.map((r) => r.status));
    for (const st of statuses) expect([200, 400, 429]).toContain(st);
    expect(results.filter((r) => r.status === 400).every((r) => r.body.code === 'BAD_REQUEST')).toBe(true);
    expect(s.stats().maxInFlightPerToken).toBeLessThanOrEqual(25);
  });
});

describe('admin endpoints', () => {
  it('stats, records, config, reset', async () => {
    const s = await start();
    await call(s, 'DELETE', share('Contacts', ID));
    const stats: any = await (await fetch(`${s.url}/__sandbox/stats`)).json();
    expect(stats.revoke).toEqual({ calls: 1, succeeded: 1, nothingToRevoke: 0 });
    expect(await (await fetch(`${s.url}/__sandbox/records/Contacts/${ID}`)).json()).toEqual({ module: 'Contacts', id: ID, shares: 0, revokeCalls: 1, revokeSuccesses: 1 });
    const patched = await fetch(`${s.url}/__sandbox/config`, { method: 'PATCH', body: JSON.stringify({ latencyMs: 5, concurrencyLimit: 3 }) });
    expect(await patched.json()).toMatchObject({ latencyMs: 5, concurrencyLimit: 3 });
    const bad = await fetch(`${s.url}/__sandbox/config`, { method: 'PATCH', body: JSON.stringify({ latencyMs: -1 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error).toMatch(/latencyMs: expected a number >= 0/);
    await fetch(`${s.url}/__sandbox/reset`, { method: 'POST' });
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 1, revokeCalls: 0 });
  });
});
