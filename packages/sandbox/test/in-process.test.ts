// createSandbox(): the client takes its fetch and runs unchanged against Zoho's URLs of every data centre
// and org type (read from the client, not typed here), or the sandbox's own; nothing else is answered,
// and nothing ever leaves the process. Every answer is checked against the spec, as the server's are.
import { fc, test } from '@fast-check/vitest';
import { AbortError, ConnectionError, createZohoCrmClient, DATA_CENTER_CODES, ENVIRONMENTS, NothingToRevokeError, resolveEndpoints, SchedulerBusyError } from '@zcrm-sharing/client';
import { responseProblems } from '@zcrm-sharing/openapi/testing/spec';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandbox, DEMO_CREDENTIALS, type InProcessOptions } from '../src/fetch.ts';
import { exampleProblems, gate, ID, manualClock, testSeed } from './helpers.ts';

const { clientId, clientSecret, refreshToken, accessToken } = DEMO_CREDENTIALS;
let problems: string[] = [];
afterEach(() => {
  expect(problems).toEqual([]);
  problems = [];
  vi.unstubAllGlobals();
});

/** An in-process sandbox whose every Zoho API answer is checked against the spec. */
function sandbox(options: InProcessOptions = {}) {
  return createSandbox({
    seed: testSeed(),
    rerunDurationMs: 200,
    now: manualClock().now, // a rerun computes until the test moves the clock
    ...options,
    onResponse: (r) => {
      if (!r.path.startsWith('/crm/')) return;
      problems.push(...responseProblems(r.method, r.path.replace(/^\/crm\/[^/]+/, ''), r.status, r.body));
      problems.push(...exampleProblems(r.method, r.path, r.status, r.body, r.example));
    },
  });
}

describe('createSandbox().fetch with the client', () => {
  it('unchanged code for Zoho (dataCenter eu, refresh-token auth): refresh, rerun, busy, summary, shares, revoke, again', async () => {
    // The global fetch goes nowhere: every call must go through sandbox.fetch.
    vi.stubGlobal('fetch', () => Promise.reject(new Error('the network was used')));
    const s = sandbox();
    const zoho = createZohoCrmClient({ auth: { clientId, clientSecret, refreshToken }, dataCenter: 'eu', fetch: s.fetch, maxRetries: 0 });
    expect((await zoho.rerunDataSharingRules({ module: 'Leads' })).outcome).toBe('scheduled');
    await expect(zoho.rerunDataSharingRules({ module: 'Leads' })).rejects.toBeInstanceOf(SchedulerBusyError);
    expect((await zoho.getDataSharingRulesSummary({ module: 'Leads' }))?.rule_computation_status).toBe(true);
    const shares = await zoho.getSharedRecordDetails({ module: 'Contacts', recordId: ID });
    expect(shares.map((x) => typeof x.shared_with.id)).toEqual(['string']);
    const revoked = await zoho.revokeSharedRecord({ module: 'Contacts', recordId: ID });
    expect([revoked.code, revoked.details.id]).toEqual(['SUCCESS', ID]);
    await expect(zoho.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toBeInstanceOf(NothingToRevokeError);
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 0, revokeCalls: 2, revokeSuccesses: 1 });
    expect(s.stats()).toMatchObject({ tokenRefreshes: 1, rerun: { scheduled: 1, busy: 1 } });
  });

  test.prop([fc.constantFrom(...DATA_CENTER_CODES), fc.constantFrom(...ENVIRONMENTS)], { numRuns: 40 })(
    "every data centre and org type the client knows: its API and token URLs are answered, the grant's api_domain is the data centre's",
    async (dataCenter, environment) => {
      const s = sandbox();
      const events: { type: string; apiDomain?: string }[] = [];
      const zoho = createZohoCrmClient({ auth: { clientId, clientSecret, refreshToken }, dataCenter, environment, fetch: s.fetch, maxRetries: 0, onEvent: (e) => events.push(e) });
      expect((await zoho.revokeSharedRecord({ module: 'Contacts', recordId: ID })).code).toBe('SUCCESS');
      const production = new URL(resolveEndpoints({ dataCenter }).apiBaseUrl).origin;
      expect(events.filter((e) => e.type === 'token-refresh')).toEqual([{ type: 'token-refresh', ok: true, apiDomain: production }]);
    },
  );

  it('answers exactly the origins the client knows (API and token URLs of every data centre and org type) and its own', () => {
    const s = sandbox();
    const zoho = DATA_CENTER_CODES.flatMap((dataCenter) =>
      ENVIRONMENTS.flatMap((environment) => Object.values(resolveEndpoints({ dataCenter, environment })).map((url) => new URL(url).origin)),
    );
    expect(new Set(s.origins)).toEqual(new Set([s.url, ...zoho]));
    expect(s.origins.length).toBe(new Set(s.origins).size);
  });

  it("its own URLs: apiBaseUrl and tokenUrl under url (default https://zcrm-sandbox.invalid), the grant's api_domain its origin", async () => {
    const s = sandbox();
    expect([s.url, s.apiBaseUrl, s.tokenUrl]).toEqual(['https://zcrm-sandbox.invalid', 'https://zcrm-sandbox.invalid/crm/v8', 'https://zcrm-sandbox.invalid/oauth/v2/token']);
    const zoho = createZohoCrmClient({ auth: { clientId, clientSecret, refreshToken }, baseUrl: s.apiBaseUrl, tokenUrl: s.tokenUrl, fetch: s.fetch, maxRetries: 0 });
    expect((await zoho.getDataSharingRulesSummary({ module: 'Contacts' }))?.rule_count).toBe(3);
    const grant = await s.fetch(s.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }) });
    expect(((await grant.json()) as { api_domain: string }).api_domain).toBe(s.url);
    const custom = sandbox({ url: 'http://sandbox.test:8080' });
    expect((await custom.fetch('http://sandbox.test:8080/__sandbox/config')).status).toBe(200);
  });

  // Zoho's data centres keep their own tokens. For any two data centres and any org type (from the
  // client's constants): a token minted at one's accounts host works at the other's API host exactly
  // when they are the same data centre; the seeded demo token, and one minted at the sandbox's own
  // origin, work at every host (examples use them whatever dataCenter they set).
  test.prop([fc.constantFrom(...DATA_CENTER_CODES), fc.constantFrom(...DATA_CENTER_CODES), fc.constantFrom(...ENVIRONMENTS)], { numRuns: 200 })(
    'a token minted at one data centre works at that data centre only; seeded and own-origin tokens anywhere',
    async (minted, called, environment) => {
      const s = sandbox();
      const form = { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }) };
      const tokenAt = async (url: string) => ((await (await s.fetch(url, form)).json()) as { access_token: string }).access_token;
      const at = resolveEndpoints({ dataCenter: minted });
      const mintedThere = await tokenAt(at.tokenUrl);
      const mintedHere = await tokenAt(s.tokenUrl);
      const url = `${resolveEndpoints({ dataCenter: called, environment }).apiBaseUrl}/settings/data_sharing/rules/actions/summary?module=Contacts`;
      const call = async (token: string) => {
        const res = await s.fetch(url, { headers: { authorization: `Zoho-oauthtoken ${token}` } });
        return { status: res.status, code: res.status === 200 ? 'OK' : ((await res.json()) as { code: string }).code };
      };
      expect(await call(mintedThere)).toEqual(minted === called ? { status: 200, code: 'OK' } : { status: 401, code: 'INVALID_TOKEN' });
      expect(await call(mintedHere)).toEqual({ status: 200, code: 'OK' });
      expect(await call(accessToken)).toEqual({ status: 200, code: 'OK' });
    },
  );

  it('a url that is not an http(s) origin is refused, naming the option', () => {
    for (const url of ['ftp://x', 'https://x/crm/v8', 'nope', 'https://x?a=1']) {
      expect(() => createSandbox({ url })).toThrow(/createSandbox: url: expected an http\(s\) origin/);
    }
  });

  it('any other host: TypeError("fetch failed") before anything is sent, which the client reports as a connection error, not refused', async () => {
    const s = sandbox();
    for (const url of ['https://example.com/crm/v8/Contacts/1/actions/share', 'http://www.zohoapis.com/crm/v8/Contacts/1/actions/share', 'https://zohoapis.com/crm/v8/x']) {
      const err = await s.fetch(url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect((err as TypeError).cause).toMatchObject({ code: 'ENOTFOUND', message: expect.stringContaining(new URL(url).origin) });
    }
    const zoho = createZohoCrmClient({ auth: { accessToken }, baseUrl: 'https://crm.example.com/crm/v8', fetch: s.fetch, maxRetries: 0 });
    const err = await zoho.revokeSharedRecord({ module: 'Contacts', recordId: ID }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).refused).toBe(false);
    expect(s.stats().requests).toBe(0);
  });

  it("each Zoho host serves its own paths: the token endpoint on accounts hosts only, the API on API hosts only", async () => {
    const s = sandbox();
    const form = { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }) };
    const onApiHost = await s.fetch('https://www.zohoapis.eu/oauth/v2/token', form);
    expect([onApiHost.status, ((await onApiHost.json()) as { code: string }).code]).toEqual([404, 'INVALID_URL_PATTERN']);
    const onAccounts = await s.fetch(`https://accounts.zoho.eu/crm/v8/Contacts/${ID}/actions/share`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    expect([onAccounts.status, ((await onAccounts.json()) as { code: string }).code]).toEqual([404, 'INVALID_URL_PATTERN']);
    expect(s.record('Contacts', ID)?.shares).toBe(1);
    expect((await s.fetch('https://accounts.zohocloud.ca/oauth/v2/token', form)).status).toBe(200);
  });

  it('an abort during the latency rejects at once with the signal reason (the client: AbortError); the call still completes, as on a server', async () => {
    const g = gate();
    const s = sandbox({ latencyMs: 50, delay: g.delay });
    const zoho = createZohoCrmClient({ auth: { accessToken }, baseUrl: s.apiBaseUrl, fetch: s.fetch, maxRetries: 0 });
    const controller = new AbortController();
    const call = zoho.revokeSharedRecord({ module: 'Contacts', recordId: ID }, { signal: controller.signal }).catch((e: unknown) => e);
    await g.until(1);
    controller.abort();
    expect(await call).toBeInstanceOf(AbortError);
    expect(s.stats().inFlight).toBe(1);
    g.open();
    await vi.waitFor(() => expect(s.stats().inFlight).toBe(0));
    expect(s.record('Contacts', ID)?.revokeSuccesses).toBe(1);
    const aborted = AbortSignal.abort(new Error('stop'));
    await expect(s.fetch(s.apiBaseUrl, { signal: aborted })).rejects.toThrow('stop');
  });

  it("the server's options: token TTL on the sandbox clock, daily credits with Retry-After, reset and expireTokens", async () => {
    const clock = manualClock();
    const s = sandbox({ now: clock.now, accessTokenTtlSeconds: 60, dailyCredits: 2, retryAfterSeconds: 9 });
    const zoho = createZohoCrmClient({ auth: { clientId, clientSecret, refreshToken }, baseUrl: s.apiBaseUrl, tokenUrl: s.tokenUrl, fetch: s.fetch, maxRetries: 0 });
    await zoho.getDataSharingRulesSummary({ module: 'Leads' });
    clock.advance(61_000);
    await zoho.getDataSharingRulesSummary({ module: 'Leads' }); // the token expired: refreshed once, answered
    expect(s.stats()).toMatchObject({ tokenRefreshes: 2, creditsUsed: 2 });
    const limited = await s.fetch(`${s.apiBaseUrl}/settings/data_sharing/rules/actions/summary`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '9']);
    s.reset();
    s.configure({ dailyCredits: null });
    expect(s.stats().requests).toBe(0);
    s.expireTokens();
    const expired = await s.fetch(`${s.apiBaseUrl}/settings/data_sharing/rules/actions/summary`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    expect(((await expired.json()) as { code: string }).code).toBe('INVALID_TOKEN');
    expect(() => s.configure({ latencyMs: 1e9 })).toThrow(/config.latencyMs: expected an integer from 0 to 60000/);
  });

  it('a body over 64 KiB is dropped as the server drops it; HEAD and 204 answers have no body', async () => {
    const s = sandbox();
    const big = await s.fetch(`${s.apiBaseUrl}/Contacts/${ID}/actions/share`, { method: 'POST', headers: { authorization: `Zoho-oauthtoken ${accessToken}` }, body: 'x'.repeat(64 * 1024 + 1) });
    expect([big.status, ((await big.json()) as { code: string }).code]).toEqual([400, 'MANDATORY_NOT_FOUND']);
    await s.fetch(`${s.apiBaseUrl}/Contacts/${ID}/actions/share`, { method: 'DELETE', headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    const none = await s.fetch(`${s.apiBaseUrl}/Contacts/${ID}/actions/share`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    expect([none.status, none.body, none.headers.get('content-type')]).toEqual([204, null, null]);
  });
});
