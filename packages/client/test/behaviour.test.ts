import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  createZohoCrmClient,
  InvalidInputError,
  RateLimitError,
  resolveEndpoints,
  SchedulerBusyError,
  ServerError,
  TimeoutError,
  TokenRefreshError,
  type ClientEvent,
} from '../src/index.ts';
import { backoffDelayMs, RETRY_DEFAULTS } from '../src/retry.ts';
import { EXAMPLES, json, localServers, renderings, scriptedFetch, SECRETS, specExample } from './helpers.ts';

const { scheduled: SCHEDULED, revoked: REVOKED, internal: INTERNAL, tooMany: TOO_MANY, busy: BUSY, invalidToken: INVALID_TOKEN } = EXAMPLES;
const FAST = { baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 50 };
const ID = '4150868000001148212';

const { listen, closeLast, closeAll } = localServers();
afterEach(closeAll);

describe('requests', () => {
  it('rerun: POST with the module in the query and the Zoho-oauthtoken header', async () => {
    const { fetch, calls } = scriptedFetch(json(200, SCHEDULED));
    const client = createZohoCrmClient({ auth: { accessToken: 'tok' }, baseUrl: 'http://h/crm/v8', fetch });
    const result = await client.rerunDataSharingRules({ module: 'Leads' });
    expect(result).toEqual({ outcome: 'scheduled', code: 'SCHEDULED', details: {}, message: 'Rerun successfully scheduled', status: 'success' });
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.url).toBe('http://h/crm/v8/settings/data_sharing/rules/actions/run?module=Leads');
    expect(calls[0]!.headers.get('authorization')).toBe('Zoho-oauthtoken tok');
  });

  it('revoke: DELETE /{module}/{id}/actions/share, the id back as the same string', async () => {
    const { fetch, calls } = scriptedFetch(json(200, REVOKED));
    const client = createZohoCrmClient({ auth: { accessToken: 'tok' }, baseUrl: 'http://h/crm/v8', fetch });
    const result = await client.revokeSharedRecord({ module: 'Contacts', recordId: ID });
    expect(result.details.id).toBe(ID);
    expect(calls[0]!.method).toBe('DELETE');
    expect(calls[0]!.url).toBe(`http://h/crm/v8/Contacts/${ID}/actions/share`);
  });

  it('revoke accepts a bigint id and sends its exact digits', async () => {
    const { fetch, calls } = scriptedFetch(json(200, REVOKED));
    const client = createZohoCrmClient({ auth: { accessToken: 'tok' }, baseUrl: 'http://h', fetch });
    await client.revokeSharedRecord({ module: 'Contacts', recordId: 4150868000001148212n });
    expect(calls[0]!.url).toBe(`http://h/Contacts/${ID}/actions/share`);
  });

  it('rerun: a 204 (a module without rules) is a result saying so, not an error', async () => {
    const { fetch } = scriptedFetch(json(204, null));
    const client = createZohoCrmClient({ auth: { accessToken: 'tok' }, fetch });
    expect(await client.rerunDataSharingRules({ module: 'Leads' })).toEqual({ outcome: 'no_rules' });
  });

  it('API and token calls are made with redirect: manual (a redirect is never followed)', async () => {
    const { fetch, calls } = scriptedFetch(async (call) =>
      call.url.endsWith('/token') ? json(200, { access_token: 'a-token', expires_in: 3600 }) : json(200, REVOKED),
    );
    const client = createZohoCrmClient({ auth: { clientId: 'c', clientSecret: 's-secret', refreshToken: 'r-token' }, fetch });
    await client.revokeSharedRecord({ module: 'Contacts', recordId: ID });
    expect(calls.map((c) => c.redirect)).toEqual(['manual', 'manual']);
  });

  it('summary: the module summary, or null on 204', async () => {
    const { fetch } = scriptedFetch(json(200, specExample('getDataSharingRulesSummary', '200', 'COMPUTING')), json(204, null));
    const client = createZohoCrmClient({ auth: { accessToken: 'tok' }, fetch });
    expect(await client.getDataSharingRulesSummary({ module: 'Leads' })).toMatchObject({ rule_computation_status: true, rule_count: 3 });
    expect(await client.getDataSharingRulesSummary({ module: 'Leads' })).toBeNull();
  });

  it('data centre and environment pick the API host; baseUrl is not needed', async () => {
    const { fetch, calls } = scriptedFetch(json(200, SCHEDULED));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, dataCenter: 'eu', environment: 'sandbox', fetch });
    await client.rerunDataSharingRules({ module: 'Leads' });
    expect(calls[0]!.url).toBe('https://sandbox.zohoapis.eu/crm/v8/settings/data_sharing/rules/actions/run?module=Leads');
  });

  it.each([
    ['us', 'production', 'https://www.zohoapis.com/crm/v8', 'https://accounts.zoho.com/oauth/v2/token'],
    ['eu', 'production', 'https://www.zohoapis.eu/crm/v8', 'https://accounts.zoho.eu/oauth/v2/token'],
    ['in', 'developer', 'https://developer.zohoapis.in/crm/v8', 'https://accounts.zoho.in/oauth/v2/token'],
    ['au', 'production', 'https://www.zohoapis.com.au/crm/v8', 'https://accounts.zoho.com.au/oauth/v2/token'],
    ['jp', 'production', 'https://www.zohoapis.jp/crm/v8', 'https://accounts.zoho.jp/oauth/v2/token'],
    ['cn', 'production', 'https://www.zohoapis.com.cn/crm/v8', 'https://accounts.zoho.com.cn/oauth/v2/token'],
    ['ca', 'sandbox', 'https://sandbox.zohoapis.ca/crm/v8', 'https://accounts.zohocloud.ca/oauth/v2/token'],
    ['sa', 'production', 'https://www.zohoapis.sa/crm/v8', 'https://accounts.zoho.sa/oauth/v2/token'],
  ] as const)('resolveEndpoints %s %s', (dataCenter, environment, apiBaseUrl, tokenUrl) => {
    expect(resolveEndpoints({ dataCenter, environment })).toEqual({ apiBaseUrl, tokenUrl });
  });
});

describe('input is checked before any request', () => {
  const { fetch, calls } = scriptedFetch(json(200, REVOKED));
  const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch });

  it.each([
    ['a number (precision already lost)', 4150868000001148212, /not a number: ids exceed 2\^53; got 4150868000001148400/],
    ['20 digits', '41508680000011482120', /expected a string of 1-19 digits; got/],
    ['letters', '41508abc', /expected a string of 1-19 digits; got/],
    ['empty', '', /expected a string of 1-19 digits; got/],
    ['a path', '../../settings', /expected a string of 1-19 digits; got/],
    ['a negative bigint', -5n, /expected a string of 1-19 digits \(or a bigint of as many\); got -5n/],
    ['a 20-digit bigint', 10n ** 19n, /expected a string of 1-19 digits \(or a bigint of as many\); got 10000000000000000000n/],
    ['an object', { id: '1' }, /expected a string of 1-19 digits \(or a bigint of as many\); got object/],
  ])('recordId %s is refused', async (_l, recordId, message) => {
    const err = await client.revokeSharedRecord({ module: 'Contacts', recordId: recordId as any }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.field).toBe('recordId');
    expect(err.message).toMatch(message);
    expect(calls).toHaveLength(0);
  });

  it.each(['Events', 'Calls', 'Tasks'])('revoke refuses %s', async (module) => {
    const err = await client.revokeSharedRecord({ module, recordId: ID }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.field).toBe('module');
    expect(calls).toHaveLength(0);
  });

  it.each(['', 'Leads/../x', '1Leads', 'Leads?x=1', 'Con tacts', undefined])('module %j is refused', async (module) => {
    const err = await client.rerunDataSharingRules({ module: module as any }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.field).toBe('module');
    expect(calls).toHaveLength(0);
  });

  it('a custom module API name is accepted', async () => {
    const { fetch, calls } = scriptedFetch(json(200, REVOKED));
    const c = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: 'http://h', fetch });
    await c.revokeSharedRecord({ module: 'Projects_X', recordId: ID });
    expect(calls[0]!.url).toBe(`http://h/Projects_X/${ID}/actions/share`);
  });
});

describe('retries', () => {
  function eventsOf() {
    const events: ClientEvent[] = [];
    return { events, onEvent: (e: ClientEvent) => events.push(e) };
  }

  it('revoke (DELETE) is retried on 5xx: 2 failures then success is 3 requests', async () => {
    const { fetch, calls } = scriptedFetch(json(500, INTERNAL), json(503, INTERNAL), json(200, REVOKED));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: FAST });
    expect((await client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).code).toBe('SUCCESS');
    expect(calls).toHaveLength(3);
  });

  it('gives up after maxRetries (default 2): 3 requests, then ServerError', async () => {
    const { fetch, calls } = scriptedFetch(json(500, INTERNAL));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: FAST });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toBeInstanceOf(ServerError);
    expect(calls).toHaveLength(3);
  });

  it('maxRetries is configurable', async () => {
    const { fetch, calls } = scriptedFetch(json(429, TOO_MANY));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: FAST, maxRetries: 5 });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toBeInstanceOf(RateLimitError);
    expect(calls).toHaveLength(6);
  });

  it('rerun (POST) is NOT retried on 5xx: Zoho may have scheduled it', async () => {
    const { fetch, calls } = scriptedFetch(json(500, INTERNAL), json(200, SCHEDULED));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: FAST });
    await expect(client.rerunDataSharingRules({ module: 'Leads' })).rejects.toBeInstanceOf(ServerError);
    expect(calls).toHaveLength(1);
  });

  it('rerun is retried on 429 (not processed)', async () => {
    const { fetch, calls } = scriptedFetch(json(429, TOO_MANY), json(200, SCHEDULED));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: FAST });
    expect((await client.rerunDataSharingRules({ module: 'Leads' })).outcome).toBe('scheduled');
    expect(calls).toHaveLength(2);
  });

  it('a rerun retried after a 429 and answered CANNOT_PROCESS is SchedulerBusyError: the 429 was not processed, so the run is not ours', async () => {
    const { fetch } = scriptedFetch(json(429, TOO_MANY), json(400, BUSY));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: FAST });
    await expect(client.rerunDataSharingRules({ module: 'Leads' })).rejects.toBeInstanceOf(SchedulerBusyError);
  });

  it('backoff is exponential with full jitter, bounded by min(max, base * 2^n)', () => {
    const opts = { ...RETRY_DEFAULTS };
    for (let n = 0; n < 8; n++) {
      const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** n);
      expect(backoffDelayMs(n, opts, () => 0)).toBe(0);
      expect(backoffDelayMs(n, opts, () => 0.999999)).toBe(ceiling - 1);
    }
    expect(backoffDelayMs(10, opts, () => 0.5)).toBe(4000);
  });

  it('the delays the client actually waits stay within the bounds', async () => {
    const { fetch } = scriptedFetch(json(500, INTERNAL));
    const { events, onEvent } = eventsOf();
    const retry = { baseDelayMs: 8, maxDelayMs: 20, maxRetryAfterMs: 1000 };
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry, maxRetries: 4, onEvent });
    await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }).catch(() => {});
    const delays = events.filter((e) => e.type === 'retry').map((e) => (e as { delayMs: number }).delayMs);
    expect(delays).toHaveLength(4);
    delays.forEach((d, n) => expect(d).toBeLessThan(Math.min(20, 8 * 2 ** n)));
  });

  it('Retry-After is honoured, and capped at maxRetryAfterMs', async () => {
    const { fetch } = scriptedFetch(json(429, TOO_MANY, { 'retry-after': '0.02' }), json(429, TOO_MANY, { 'retry-after': '3600' }), json(200, REVOKED));
    const { events, onEvent } = eventsOf();
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: FAST, onEvent });
    await client.revokeSharedRecord({ module: 'Contacts', recordId: ID });
    const delays = events.filter((e) => e.type === 'retry').map((e) => (e as { delayMs: number }).delayMs);
    expect(delays).toEqual([20, FAST.maxRetryAfterMs]);
  });

  it('connection refused: retried for both operations (the server never saw it)', async () => {
    const url = await listen(() => {});
    await closeLast(); // nothing listens there now
    const { events, onEvent } = eventsOf();
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: url, retry: FAST, onEvent });
    const err = await client.rerunDataSharingRules({ module: 'Leads' }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.refused).toBe(true);
    expect(events.filter((e) => e.type === 'request')).toHaveLength(3);
  });

  it('connection reset mid-request: revoke is retried, the rerun POST is not', async () => {
    let hits = 0;
    const url = await listen((req) => {
      hits++;
      req.socket.destroy();
    });
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: url, retry: FAST });
    const e1 = await client.rerunDataSharingRules({ module: 'Leads' }).catch((e) => e);
    expect(e1).toBeInstanceOf(ConnectionError);
    expect(e1.refused).toBe(false);
    expect(hits).toBe(1);
    hits = 0;
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toBeInstanceOf(ConnectionError);
    expect(hits).toBe(3);
  });
});

describe('timeouts and aborts', () => {
  // A fetch that never answers and only ends when its signal aborts: the attempt's deadline decides.
  const silent = () =>
    scriptedFetch((call) => new Promise<Response>((_resolve, reject) => call.signal!.addEventListener('abort', () => reject(call.signal!.reason))));

  it('each attempt times out after timeoutMs; revoke retries, then TimeoutError', async () => {
    const { fetch, calls } = silent();
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: 'http://h/crm/v8', fetch, timeoutMs: 50, retry: FAST });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toBeInstanceOf(TimeoutError);
    expect(calls).toHaveLength(3);
  });

  it('a timed-out rerun is not retried (it may have been scheduled)', async () => {
    const { fetch, calls } = silent();
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: 'http://h/crm/v8', fetch, timeoutMs: 50, retry: FAST });
    await expect(client.rerunDataSharingRules({ module: 'Leads' })).rejects.toBeInstanceOf(TimeoutError);
    expect(calls).toHaveLength(1);
  });

  it("the caller's AbortSignal stops the call with AbortError and no retry", async () => {
    const controller = new AbortController();
    let hits = 0;
    // Abort once the server holds the request, not after a guessed delay.
    const url = await listen(() => {
      hits++;
      controller.abort();
    });
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: url, retry: FAST });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: ID }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(hits).toBe(1);
  });

  it('releases each attempt at once: its deadline is cleared and no listener per call stays on the caller signal', async () => {
    const seen: AbortSignal[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      seen.push(init.signal!);
      return json(200, REVOKED);
    }) as typeof globalThis.fetch;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: 'http://sandbox.test/crm/v8', fetch, timeoutMs: 20 });
      const controller = new AbortController();
      for (let i = 0; i < 50; i++) await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }, { signal: controller.signal });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1); // one for all calls, not one per call
      expect(vi.getTimerCount()).toBe(0); // every attempt's deadline was cleared when it ended
      vi.advanceTimersByTime(60); // past every attempt's 20 ms deadline
      expect(seen).toHaveLength(50);
      expect(seen.filter((s) => s.aborted)).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('auth', () => {
  function tokenServer(opts: { expiresIn?: number; fail?: boolean } = {}) {
    let refreshes = 0;
    const forms: URLSearchParams[] = [];
    const handler = async (call: { url: string; body: string | undefined; headers: Headers }) => {
      if (call.url.endsWith('/oauth/v2/token')) {
        refreshes++;
        forms.push(new URLSearchParams(call.body));
        await new Promise((r) => setTimeout(r, 10)); // let concurrent callers pile up
        if (opts.fail) return json(200, { error: 'invalid_client' });
        return json(200, { access_token: `access-${refreshes}`, api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: opts.expiresIn ?? 3600 });
      }
      return json(200, REVOKED);
    };
    return { handler, forms, refreshes: () => refreshes };
  }
  const grant = { clientId: 'cid', clientSecret: SECRETS.clientSecret, refreshToken: SECRETS.refreshToken };

  it('refresh-token grant: a form POST to the token URL, then the token in the Zoho-oauthtoken header', async () => {
    const ts = tokenServer();
    const { fetch, calls } = scriptedFetch(ts.handler);
    const client = createZohoCrmClient({ auth: grant, dataCenter: 'ca', fetch });
    await client.revokeSharedRecord({ module: 'Contacts', recordId: ID });
    expect(calls[0]!.url).toBe('https://accounts.zohocloud.ca/oauth/v2/token');
    expect(Object.fromEntries(ts.forms[0]!)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: SECRETS.clientSecret,
      refresh_token: SECRETS.refreshToken,
    });
    expect(calls[1]!.headers.get('authorization')).toBe('Zoho-oauthtoken access-1');
  });

  it("the token-refresh event carries the grant's api_domain, reported before the call that waited for it is sent", async () => {
    const ts = tokenServer();
    const order: string[] = [];
    const { fetch } = scriptedFetch(async (call) => (order.push(call.url.endsWith('/oauth/v2/token') ? 'grant' : 'api'), ts.handler(call)));
    const onEvent = (e: ClientEvent) => e.type === 'token-refresh' && order.push(`event ${e.ok} ${e.apiDomain}`);
    const client = createZohoCrmClient({ auth: grant, fetch, onEvent });
    await client.revokeSharedRecord({ module: 'Contacts', recordId: ID });
    expect(order).toEqual(['grant', 'event true https://www.zohoapis.com', 'api']);
  });

  it('10 concurrent calls share one refresh, and the token is cached afterwards', async () => {
    const ts = tokenServer();
    const { fetch } = scriptedFetch(ts.handler);
    const client = createZohoCrmClient({ auth: grant, fetch });
    await Promise.all(Array.from({ length: 10 }, () => client.revokeSharedRecord({ module: 'Contacts', recordId: ID })));
    expect(ts.refreshes()).toBe(1);
    await client.revokeSharedRecord({ module: 'Contacts', recordId: ID });
    expect(ts.refreshes()).toBe(1);
  });

  it('10 calls in flight with an expired token make exactly one refresh request', async () => {
    // The clock is Date's, faked: the token's hour (less the 60 s margin) passes between the calls.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const ts = tokenServer({ expiresIn: 3600 });
      const { fetch } = scriptedFetch(ts.handler);
      const client = createZohoCrmClient({ auth: grant, fetch });
      await client.revokeSharedRecord({ module: 'Contacts', recordId: ID });
      expect(ts.refreshes()).toBe(1);
      vi.setSystemTime(Date.now() + 3540_000);
      await Promise.all(Array.from({ length: 10 }, () => client.revokeSharedRecord({ module: 'Contacts', recordId: ID })));
      expect(ts.refreshes()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('401 INVALID_TOKEN: one reactive refresh and retry', async () => {
    const ts = tokenServer();
    let apiCalls = 0;
    const { fetch, calls } = scriptedFetch(async (call) => {
      if (call.url.endsWith('/oauth/v2/token')) return ts.handler(call);
      apiCalls++;
      return apiCalls === 1 ? json(401, INVALID_TOKEN) : json(200, REVOKED);
    });
    const client = createZohoCrmClient({ auth: grant, fetch, maxRetries: 0 });
    expect((await client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).code).toBe('SUCCESS');
    expect(ts.refreshes()).toBe(2);
    expect(calls.filter((c) => !c.url.endsWith('/token')).map((c) => c.headers.get('authorization'))).toEqual([
      'Zoho-oauthtoken access-1',
      'Zoho-oauthtoken access-2',
    ]);
  });

  it('401 INVALID_TOKEN twice: AuthenticationError after exactly one reactive refresh (no loop)', async () => {
    const ts = tokenServer();
    const { fetch } = scriptedFetch(async (call) => (call.url.endsWith('/oauth/v2/token') ? ts.handler(call) : json(401, INVALID_TOKEN)));
    const client = createZohoCrmClient({ auth: grant, fetch });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toBeInstanceOf(AuthenticationError);
    expect(ts.refreshes()).toBe(2);
  });

  it('a token provider is asked to force a refresh after INVALID_TOKEN', async () => {
    const asks: boolean[] = [];
    let n = 0;
    const { fetch } = scriptedFetch(json(401, INVALID_TOKEN), json(200, REVOKED));
    const client = createZohoCrmClient({
      auth: { getAccessToken: ({ forceRefresh }) => (asks.push(forceRefresh), forceRefresh ? `fresh-${++n}` : 'stale') },
      fetch,
    });
    expect((await client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).code).toBe('SUCCESS');
    expect(asks).toEqual([false, false, true]);
  });

  it('a fixed token cannot refresh: INVALID_TOKEN is an AuthenticationError at once', async () => {
    const { fetch, calls } = scriptedFetch(json(401, INVALID_TOKEN));
    const client = createZohoCrmClient({ auth: { accessToken: 'old' }, fetch });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toBeInstanceOf(AuthenticationError);
    expect(calls).toHaveLength(1);
  });

  it('a refused grant ({"error"} with HTTP 200) is a TokenRefreshError carrying the error code', async () => {
    const ts = tokenServer({ fail: true });
    const { fetch } = scriptedFetch(ts.handler);
    const client = createZohoCrmClient({ auth: grant, fetch });
    const err = await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }).catch((e) => e);
    expect(err).toBeInstanceOf(TokenRefreshError);
    expect(err.error).toBe('invalid_client');
  });
});

describe('no secret in any thrown error', () => {
  const grant = { clientId: 'cid', clientSecret: SECRETS.clientSecret, refreshToken: SECRETS.refreshToken };
  function assertClean(err: unknown) {
    for (const text of renderings(err)) for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  }

  it.each([
    ['an API error', () => scriptedFetch(json(401, INVALID_TOKEN))],
    ['a refused refresh', () => scriptedFetch(json(400, { error: 'invalid_code' }))],
    ['a server error', () => scriptedFetch(async (c) => (c.url.endsWith('/token') ? json(200, { access_token: SECRETS.accessToken, expires_in: 3600 }) : json(500, INTERNAL)))],
    ['a connection error', () => scriptedFetch(new TypeError('fetch failed'))],
  ])('%s', async (_l, make) => {
    const { fetch } = make();
    for (const auth of [grant, { accessToken: SECRETS.accessToken }]) {
      const client = createZohoCrmClient({ auth, fetch, retry: FAST });
      const err = await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      assertClean(err);
    }
  });
});
