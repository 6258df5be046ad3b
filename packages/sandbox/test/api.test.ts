import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox } from '../src/index.ts';
import { call, gate, ID, RUN, share, specExample, SUMMARY, testSeed, USER, useSandbox } from './helpers.ts';

const { start } = useSandbox();

describe('auth', () => {
  it.each([
    ['no Authorization header', null, {}, 'AUTHENTICATION_FAILURE'],
    ['a Bearer token', null, { authorization: `Bearer ${DEMO_CREDENTIALS.accessToken}` }, 'AUTHENTICATION_FAILURE'],
    ['an unknown token', 'nope', {}, 'INVALID_TOKEN'],
    ['an expired token', 'expired', {}, 'INVALID_TOKEN'],
  ])('%s: 401 %s on every operation', async (_l, token, headers, name) => {
    const s = await start();
    for (const [method, path, op] of [
      ['POST', `${RUN}?module=Leads`, 'rerunDataSharingRules'],
      ['GET', SUMMARY, 'getDataSharingRulesSummary'],
      ['GET', share('Contacts', ID), 'getSharedRecordDetails'],
      ['POST', share('Contacts', ID), 'shareRecord'],
      ['PUT', share('Contacts', ID), 'updateRecordShares'],
      ['DELETE', share('Contacts', ID), 'revokeSharedRecord'],
    ] as const) {
      const r = await call(s, method, path, token, { headers });
      expect([r.status, r.body], `${method} ${path}`).toEqual([401, specExample(op, name).value]);
    }
  });

  it('scopes: rerun needs data_sharing UPDATE/ALL, revoke needs share.{module}.DELETE/ALL', async () => {
    const s = await start();
    const rerunNoScope = await call(s, 'POST', `${RUN}?module=Leads`, 'contacts-only');
    expect([rerunNoScope.status, rerunNoScope.body.message]).toEqual([401, 'Unauthorized']);
    expect((await call(s, 'POST', `${RUN}?module=Leads`, 'rules-only')).status).toBe(200);
    expect((await call(s, 'GET', SUMMARY, 'rules-only')).body.code).toBe('OAUTH_SCOPE_MISMATCH'); // UPDATE is not READ
    expect((await call(s, 'DELETE', share('Leads', '4150868000002000000'), 'contacts-only')).body.code).toBe('OAUTH_SCOPE_MISMATCH');
    expect((await call(s, 'DELETE', share('Contacts', ID), 'rules-only')).body.code).toBe('OAUTH_SCOPE_MISMATCH');
    expect((await call(s, 'DELETE', share('Contacts', ID), 'contacts-only')).status).toBe(200);
  });

  it('POST /oauth/v2/token: the refresh-token grant mints a working token; Zoho-style errors otherwise', async () => {
    const s = await start();
    const grant = (fields: Record<string, string>) =>
      fetch(s.tokenUrl, { method: 'POST', body: new URLSearchParams(fields) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const base = { grant_type: 'refresh_token', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, refresh_token: DEMO_CREDENTIALS.refreshToken };
    const ok = await grant(base);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ api_domain: s.url, token_type: 'Bearer', expires_in: 3600 });
    expect((await call(s, 'DELETE', share('Contacts', ID), ok.body.access_token)).status).toBe(200);
    expect(s.stats().tokenRefreshes).toBe(1);
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

describe('routing: the route table is the spec, the answers Zoho envelopes', () => {
  it.each([
    ['GET', `${RUN}?module=Leads`, 'rerunDataSharingRules'],
    ['DELETE', `${RUN}?module=Leads`, 'rerunDataSharingRules'],
    ['POST', `${SUMMARY}?module=Leads`, 'getDataSharingRulesSummary'],
    ['PATCH', share('Contacts', ID), 'getSharedRecordDetails'],
    ['OPTIONS', share('Contacts', ID), 'getSharedRecordDetails'],
  ])('%s %s: 400 INVALID_REQUEST_METHOD (the methods Zoho lacks)', async (method, path, op) => {
    const s = await start();
    const r = await call(s, method, path);
    expect([r.status, r.body]).toEqual([400, specExample(op, 'INVALID_REQUEST_METHOD').value]);
  });

  it('HEAD on the share URL: 400 with no body', async () => {
    const s = await start();
    const r = await fetch(s.url + share('Contacts', ID), { method: 'HEAD', headers: { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}` } });
    expect(r.status).toBe(400);
  });

  it.each([
    ['/crm/v8/nope', 'revokeSharedRecord'],
    ['/crm/v8/Contacts', 'revokeSharedRecord'],
    ['/crm/v8/Contacts/1/actions/nope', 'revokeSharedRecord'],
    ['/crm/v1/Contacts/1/actions/share', 'revokeSharedRecord'],
    ['/crm/v8/settings/data_sharing/rules/actions/stop', 'rerunDataSharingRules'],
    ['/nothing', 'revokeSharedRecord'],
  ])('%s: 404 INVALID_URL_PATTERN, the example of the nearest operation', async (path, op) => {
    const s = await start();
    const r = await call(s, 'POST', path);
    expect([r.status, r.body]).toEqual([404, specExample(op, 'INVALID_URL_PATTERN').value]);
  });

  it("the share URL's INVALID_URL_PATTERN keeps the seed's final period", async () => {
    const s = await start();
    expect((await call(s, 'DELETE', '/crm/v8/Contacts/1/actions')).body.message).toBe('Please check if the URL trying to access is a correct one.');
  });

  it.each([
    ['a module segment', share('Cont%E0%A4acts', ID), 'INVALID_MODULE'],
    ['a record id segment', share('Contacts', '4150868%E0%A4'), 'INVALID_DATA'],
    ['a lone percent sign', share('Contacts', '%'), 'INVALID_DATA'],
  ])('bad percent-encoding in %s: 400 (not 500, which clients retry)', async (_l, path, name) => {
    const s = await start();
    for (const method of ['GET', 'DELETE']) {
      const r = await call(s, method, path);
      expect([r.status, r.body]).toEqual([400, specExample('revokeSharedRecord', name).value]);
    }
  });

  it.each([
    ['a non-numeric id', share('Contacts', 'abc'), 'INVALID_DATA'],
    ['a 20-digit id', share('Contacts', '41508680000011482120'), 'INVALID_DATA'],
    ['an unknown id', share('Contacts', '1'), 'INVALID_DATA'],
    ['a record of another module', share('Contacts', '4150868000002000000'), 'INVALID_DATA'],
    ['an unknown module', share('Nope', ID), 'INVALID_MODULE'],
    ['a module not supported in the API', share('Documents', ID), 'INVALID_MODULE_UNSUPPORTED'],
    ['Events', share('Events', ID), 'OAUTH_SCOPE_MISMATCH'],
    ['Calls', share('Calls', ID), 'OAUTH_SCOPE_MISMATCH'],
    ['Tasks', share('Tasks', ID), 'OAUTH_SCOPE_MISMATCH'],
  ])('%s: the same answer on GET, POST, PUT and DELETE', async (_l, path, name) => {
    const s = await start();
    const body = { share: [{ shared_with: { type: 'users', id: USER(1) }, permission: 'read_only', type: 'private' }] };
    for (const [method, op] of [['GET', 'getSharedRecordDetails'], ['POST', 'shareRecord'], ['PUT', 'updateRecordShares'], ['DELETE', 'revokeSharedRecord']] as const) {
      const r = await call(s, method, path, undefined, { body: method === 'POST' || method === 'PUT' ? body : undefined });
      // POST and PUT answer an unsupported module as Zoho's share_records.yaml does (NOT_ALLOWED).
      const want = specExample(op, name === 'INVALID_MODULE_UNSUPPORTED' && (method === 'POST' || method === 'PUT') ? 'NOT_ALLOWED_MODULE' : name);
      expect([r.status, r.body], method).toEqual([want.status, want.value]);
    }
  });
});

describe('limits and faults', () => {
  it('concurrency limit per org (all its tokens together): over it 429 with Retry-After; another org has its own', async () => {
    const g = gate();
    const s = await start({ concurrencyLimit: 2, latencyMs: 1, retryAfterSeconds: 1, delay: g.delay });
    const admitted = [call(s, 'GET', share('Contacts', ID)), call(s, 'GET', share('Contacts', ID), 'same-org')];
    await g.until(2);
    const limited = await call(s, 'GET', share('Contacts', ID), 'same-org');
    expect([limited.status, limited.body, limited.headers.get('retry-after')]).toEqual([429, specExample('getSharedRecordDetails', 'TOO_MANY_REQUESTS').value, '1']);
    const other = call(s, 'GET', share('Contacts', ID), 'other-org');
    await g.until(3);
    g.open();
    expect((await Promise.all([...admitted, other])).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(s.stats()).toMatchObject({ maxInFlightPerOrg: 2, maxInFlightPerToken: 1, rateLimited: 1, inFlight: 0 });
  });

  it('without retryAfterSeconds, 429 carries no Retry-After', async () => {
    const g = gate();
    const s = await start({ concurrencyLimit: 1, latencyMs: 1, delay: g.delay });
    const first = call(s, 'POST', `${RUN}?module=Leads`);
    await g.until(1);
    const limited = await call(s, 'POST', `${RUN}?module=Deals`);
    g.open();
    await first;
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, null]);
  });

  it('daily credits per org: calls beyond the budget get 429 with the credits message', async () => {
    const s = await start({ dailyCredits: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(s, 'GET', `${SUMMARY}?module=Leads`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await call(s, 'GET', SUMMARY)).body).toEqual(specExample('getDataSharingRulesSummary', 'TOO_MANY_REQUESTS_CREDITS').value);
    expect((await call(s, 'GET', SUMMARY, 'other-org')).status).toBe(200);
    expect(s.stats().creditsUsed).toBe(4);
  });

  it('latency holds every API call for latencyMs, counted from its arrival', async () => {
    const asked: [number, number][] = [];
    const s = await start({ latencyMs: 120, delay: async (ms, arrived) => void asked.push([ms, arrived]) });
    const before = performance.now();
    await call(s, 'GET', `${SUMMARY}?module=Leads`);
    await call(s, 'DELETE', share('Contacts', ID));
    expect(asked.map(([ms]) => ms)).toEqual([120, 120]);
    expect(asked.every(([, arrived]) => arrived >= before && arrived <= performance.now())).toBe(true);
  });

  it.each([
    ['rerun', 'POST', `${RUN}?module=Leads`, undefined],
    ['summary', 'GET', SUMMARY, undefined],
    ['GET share', 'GET', share('Contacts', ID), undefined],
    ['POST share', 'POST', share('Contacts', ID), { share: [{ shared_with: { type: 'users', id: USER(1) }, permission: 'read_only', type: 'private' }] }],
    ['PUT share', 'PUT', share('Contacts', ID), { share: [{ shared_with: { type: 'users', id: USER(1) }, permission: 'read_only', type: 'private' }] }],
    ['revoke', 'DELETE', share('Contacts', ID), undefined],
    ['revoke of an unshared record', 'DELETE', share('Contacts', '4150868000001148221'), undefined],
  ])('the error rate applies to every endpoint (%s): 500 INTERNAL_ERROR, nothing changed', async (_l, method, path, body) => {
    const s = await start({ errorRate: 0.5, random: () => 0.25 });
    const r = await call(s, method, path, undefined, { body });
    expect([r.status, r.body]).toEqual([500, specExample('revokeSharedRecord', 'INTERNAL_ERROR').value]);
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 1, revokeCalls: 0 });
    expect(s.stats()).toMatchObject({ injectedErrors: 1, rerun: { scheduled: 0 } });
  });

  it('injected 500s never half-apply: a later revoke succeeds once', async () => {
    let roll = 0;
    const s = await start({ errorRate: 0.5, random: () => [0.1, 0.9][roll++ % 2]! });
    expect((await call(s, 'DELETE', share('Contacts', ID))).status).toBe(500);
    expect((await call(s, 'DELETE', share('Contacts', ID))).status).toBe(200);
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 0, revokeSuccesses: 1 });
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

  it('200 concurrent connections against a limit of 25: every one answered, only the modelled answers', async () => {
    const g = gate();
    const s = await start({ concurrencyLimit: 25, latencyMs: 1, delay: g.delay });
    const pending = Array.from({ length: 200 }, (_, i) => call(s, 'DELETE', share('Contacts', String(4150868000001148212n + BigInt(i % 50)))));
    await g.until(25);
    const settled = Promise.all(pending);
    // The 175 over the limit are answered while 25 are held.
    while (s.stats().rateLimited < 175) await new Promise((r) => setImmediate(r));
    g.open();
    const results = await settled;
    expect(results.filter((r) => r.status === 429)).toHaveLength(175);
    expect(results.filter((r) => r.status !== 429).every((r) => r.status === 200 || r.body.code === 'BAD_REQUEST')).toBe(true);
    expect(s.stats().maxInFlightPerOrg).toBe(25);
  });
});

describe('admin endpoints', () => {
  it('stats, records, config, reset', async () => {
    const s = await start();
    await call(s, 'DELETE', share('Contacts', ID));
    await call(s, 'DELETE', share('Contacts', ID));
    await call(s, 'GET', '/crm/v8/nope');
    const stats: any = await (await fetch(`${s.url}/__sandbox/stats`)).json();
    expect(stats.revoke).toEqual({ calls: 2, succeeded: 1, nothingToRevoke: 1 });
    // Every answer counts, by status; this stats call is counted once it is answered.
    expect([stats.requests, stats.byStatus]).toEqual([3, { 200: 1, 400: 1, 404: 1 }]);
    expect(await (await fetch(`${s.url}/__sandbox/records/Contacts/${ID}`)).json()).toEqual({ module: 'Contacts', id: ID, shares: 0, entries: [], revokeCalls: 2, revokeSuccesses: 1 });
    const patched = await fetch(`${s.url}/__sandbox/config`, { method: 'PATCH', body: JSON.stringify({ latencyMs: 5, concurrencyLimit: 3 }) });
    expect(await patched.json()).toMatchObject({ latencyMs: 5, concurrencyLimit: 3 });
    const off = await fetch(`${s.url}/__sandbox/config`, { method: 'PATCH', body: JSON.stringify({ concurrencyLimit: null }) });
    expect(((await off.json()) as any).concurrencyLimit).toBeUndefined();
    await fetch(`${s.url}/__sandbox/reset`, { method: 'POST' });
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 1, revokeCalls: 0 });
  });

  it.each([
    [{ errorRate: 5 }, /errorRate: expected a number from 0 to 1, got 5/],
    [{ errorRate: -0.1 }, /errorRate: expected a number from 0 to 1/],
    [{ latencyMs: 1e9 }, /latencyMs: expected an integer from 0 to 60000, got 1000000000/],
    [{ latencyMs: -1 }, /latencyMs: expected an integer from 0 to 60000/],
    [{ concurrencyLimit: 0 }, /concurrencyLimit: expected an integer from 1 to 10000 \(or null to switch it off\)/],
    [{ dailyCredits: 1.5 }, /dailyCredits: expected an integer/],
    [{ accessTokenTtlSeconds: 0 }, /accessTokenTtlSeconds: expected an integer from 1 to 86400/],
    [{ validateRequests: 'no' }, /validateRequests: expected true or false/],
    [{ rerunDurationMs: null }, /rerunDurationMs: expected an integer/],
    [{ bogus: 1 }, /unknown setting bogus/],
    [[1], /expected a JSON object/],
  ])('PATCH config %j: 400 naming the setting and its range; nothing changes', async (patch, message) => {
    const s = await start();
    const before = s.config;
    // A valid setting beside the bad one: the patch is refused as a whole.
    const body = Array.isArray(patch) ? patch : { latencyMs: 7, ...patch };
    const bad = await fetch(`${s.url}/__sandbox/config`, { method: 'PATCH', body: JSON.stringify(body) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error).toMatch(message);
    expect(s.config).toEqual(before);
    expect(() => s.configure(patch as any)).toThrow(message);
  });

  it('startSandbox refuses out-of-range options the same way', async () => {
    await expect(startSandbox({ errorRate: 2 })).rejects.toThrow(/errorRate: expected a number from 0 to 1, got 2/);
  });

  it('with an admin token, /__sandbox/* needs it (Bearer); the API does not', async () => {
    const s = await start({ adminToken: 'let-me-in' });
    expect((await fetch(`${s.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${s.url}/__sandbox/config`, { method: 'PATCH', headers: { authorization: 'Bearer wrong' }, body: '{"errorRate":1}' })).status).toBe(401);
    expect(s.config.errorRate).toBe(0);
    expect((await fetch(`${s.url}/__sandbox/stats`, { headers: { authorization: 'Bearer let-me-in' } })).status).toBe(200);
    expect((await call(s, 'GET', share('Contacts', ID))).status).toBe(200);
  });
});
