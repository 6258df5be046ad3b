// The modular API (a core and operations as functions, auth modes as functions), the facts taken from
// the spec (data centres, modules, versions per operation), and what each runtime's fetch needs:
// called unbound (workerd), a refused connection recognised however it is reported (Deno).
import { spec } from '@zcrm-sharing/openapi/testing/spec';
import { describe, expect, it } from 'vitest';
import {
  API_VERSIONS,
  ConnectionError,
  createZohoCrmClient,
  createZohoCrmCore,
  DATA_CENTER_CODES,
  getDataSharingRulesSummary,
  getSharedRecordDetails,
  InvalidInputError,
  KNOWN_MODULES,
  NON_REVOCABLE_MODULES,
  refreshTokenGrant,
  rerunDataSharingRules,
  resolveEndpoints,
  revokeSharedRecord,
  scopesFor,
  tokenProvider,
  validateModule,
} from '../src/index.ts';
import { isRefused } from '../src/core.ts';
import { EXAMPLES, json, scriptedFetch, specExample } from './helpers.ts';

const ID = '4150868000001148212';
const { revoked: REVOKED, scheduled: SCHEDULED, invalidToken: INVALID_TOKEN } = EXAMPLES;
const FAST = { baseDelayMs: 1, maxDelayMs: 2 };
const tokenAnswer = (n: number) => json(200, { access_token: `access-${n}`, api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: 3600 });

describe('the core and the operations as functions', () => {
  it('revokeSharedRecord(core, ...) sends what the method sends and resolves with the same result', async () => {
    const a = scriptedFetch(json(200, REVOKED));
    const b = scriptedFetch(json(200, REVOKED));
    const core = createZohoCrmCore({ auth: { accessToken: 'tok' }, baseUrl: 'http://h/crm/v8', fetch: a.fetch });
    const client = createZohoCrmClient({ auth: { accessToken: 'tok' }, baseUrl: 'http://h/crm/v8', fetch: b.fetch });
    expect(await revokeSharedRecord(core, { module: 'Contacts', recordId: ID })).toEqual(await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }));
    expect([a.calls[0]!.method, a.calls[0]!.url, a.calls[0]!.headers.get('authorization')]).toEqual([b.calls[0]!.method, b.calls[0]!.url, b.calls[0]!.headers.get('authorization')]);
  });

  it('the functions take a full client as well', async () => {
    const { fetch, calls } = scriptedFetch(json(200, SCHEDULED));
    const client = createZohoCrmClient({ auth: { accessToken: 'tok' }, baseUrl: 'http://h/crm/v8', fetch });
    expect((await rerunDataSharingRules(client, { module: 'Leads' })).outcome).toBe('scheduled');
    expect(calls[0]!.url).toBe('http://h/crm/v8/settings/data_sharing/rules/actions/run?module=Leads');
  });

  it('bad input is a rejection, not a throw, and sends nothing', async () => {
    const { fetch, calls } = scriptedFetch(json(200, REVOKED));
    const core = createZohoCrmCore({ auth: { accessToken: 'tok' }, fetch });
    const pending = revokeSharedRecord(core, { module: 'Events', recordId: ID });
    await expect(pending).rejects.toBeInstanceOf(InvalidInputError);
    await expect(getSharedRecordDetails(core, { module: 'Contacts', recordId: 1 as unknown as string })).rejects.toMatchObject({ field: 'recordId' });
    expect(calls).toHaveLength(0);
  });

  it('getSharedRecordDetails: GET on the record, Zoho-oauthtoken header', async () => {
    const { fetch, calls } = scriptedFetch(json(200, specExample('getSharedRecordDetails', '200', 'SHARED')));
    const core = createZohoCrmCore({ auth: { accessToken: 'tok' }, baseUrl: 'http://h/crm/v8', fetch });
    const shares = await getSharedRecordDetails(core, { module: 'Contacts', recordId: BigInt(ID) });
    expect(shares).toHaveLength(2);
    expect([calls[0]!.method, calls[0]!.url, calls[0]!.headers.get('authorization')]).toEqual(['GET', `http://h/crm/v8/Contacts/${ID}/actions/share`, 'Zoho-oauthtoken tok']);
  });

  it('the summary: ?module= when one is asked for, no query without', async () => {
    const { fetch, calls } = scriptedFetch(json(200, specExample('getDataSharingRulesSummary', '200', 'ALL_MODULES')));
    const core = createZohoCrmCore({ auth: { accessToken: 'tok' }, baseUrl: 'http://h/crm/v8', fetch });
    const all = await getDataSharingRulesSummary(core);
    const one = await getDataSharingRulesSummary(core, { module: 'Leads' });
    expect(all.length).toBeGreaterThan(1);
    expect(one?.module.api_name).toBe('Leads');
    expect(calls.map((c) => c.url)).toEqual(['http://h/crm/v8/settings/data_sharing/rules/actions/summary', 'http://h/crm/v8/settings/data_sharing/rules/actions/summary?module=Leads']);
  });
});

describe('auth modes', () => {
  it('refreshTokenGrant() in the core: one refresh, then the token on the call', async () => {
    let n = 0;
    const { fetch, calls } = scriptedFetch((call) => (call.url.endsWith('/oauth/v2/token') ? tokenAnswer(++n) : json(200, REVOKED)));
    const core = createZohoCrmCore({ auth: refreshTokenGrant({ clientId: 'cid', clientSecret: 'the-secret', refreshToken: 'the-refresh' }), dataCenter: 'eu', fetch });
    await revokeSharedRecord(core, { module: 'Contacts', recordId: ID });
    await revokeSharedRecord(core, { module: 'Contacts', recordId: ID });
    expect(calls.map((c) => c.url)).toEqual(['https://accounts.zoho.eu/oauth/v2/token', `https://www.zohoapis.eu/crm/v8/Contacts/${ID}/actions/share`, `https://www.zohoapis.eu/crm/v8/Contacts/${ID}/actions/share`]);
    expect(calls[1]!.headers.get('authorization')).toBe('Zoho-oauthtoken access-1');
    // Its secrets are redacted like the plain shape's.
    expect(core.redact('the-secret the-refresh access-1')).toBe('[redacted] [redacted] [redacted]');
  });

  it('tokenProvider() in the core: asked to refresh after INVALID_TOKEN', async () => {
    const asks: boolean[] = [];
    const { fetch } = scriptedFetch(json(401, INVALID_TOKEN), json(200, REVOKED));
    const core = createZohoCrmCore({ auth: tokenProvider(({ forceRefresh }) => (asks.push(forceRefresh), forceRefresh ? 'fresh-token' : 'stale-token')), fetch });
    expect((await revokeSharedRecord(core, { module: 'Contacts', recordId: ID })).code).toBe('SUCCESS');
    expect(asks).toEqual([false, false, true]);
  });

  it.each([
    ['the plain refresh-token shape (core: refreshTokenGrant)', { clientId: 'c', clientSecret: 's', refreshToken: 'r' }],
    ['the plain provider shape (core: tokenProvider)', { getAccessToken: () => 't' }],
    ['an empty access token', { accessToken: '' }],
    ['nothing', undefined],
  ])('the core refuses %s with a TypeError naming the modes it takes', (_l, auth) => {
    expect(() => createZohoCrmCore({ auth: auth as never })).toThrow(/auth: expected \{ accessToken \}, refreshTokenGrant\(\) or tokenProvider\(\)/);
  });

  it.each([
    ['an access token and a refresh token', { accessToken: 'a-token', clientId: 'c', clientSecret: 's', refreshToken: 'r' }, /not several \(got accessToken and refreshToken\)/],
    ['an access token and a provider', { accessToken: 'a-token', getAccessToken: () => 't' }, /not several \(got accessToken and getAccessToken\)/],
  ])('createZohoCrmClient refuses %s: which token to send is never a guess', (_l, auth, message) => {
    expect(() => createZohoCrmClient({ auth: auth as never })).toThrow(message);
    expect(() => createZohoCrmCore({ auth: auth as never })).toThrow(TypeError);
  });

  it('refreshTokenGrant() checks its values at once', () => {
    expect(() => refreshTokenGrant({ clientId: 'c', clientSecret: '', refreshToken: 'r' })).toThrow(/auth\.clientSecret: expected a non-empty string/);
  });
});

describe('facts from the spec', () => {
  const centres: { code: string; domain: string; 'token-url': string }[] = spec['x-zoho-data-centers'];

  it.each(centres.map((c) => [c.code, c] as const))('data centre %s: its API hosts and token URL as x-zoho-data-centers says', (code, c) => {
    expect(DATA_CENTER_CODES).toContain(code);
    const dataCenter = code as (typeof DATA_CENTER_CODES)[number];
    expect(resolveEndpoints({ dataCenter })).toEqual({ apiBaseUrl: `https://www.zohoapis.${c.domain}/crm/v8`, tokenUrl: c['token-url'] });
    expect(resolveEndpoints({ dataCenter, environment: 'developer', apiVersion: 'v2.1' }).apiBaseUrl).toBe(`https://developer.zohoapis.${c.domain}/crm/v2.1`);
  });

  it('modules and versions as the spec lists them', () => {
    expect([...KNOWN_MODULES]).toEqual(Object.keys(spec['x-zoho-modules'].standard));
    expect([...NON_REVOCABLE_MODULES]).toEqual(spec['x-zoho-modules']['not-shareable']);
    expect([...API_VERSIONS]).toEqual(spec.servers[0].variables.version.enum);
  });

  it("scopesFor: each operation's x-zoho-oauth-scopes, with the module's scope name filled in", () => {
    const operations = Object.values(spec.paths as Record<string, Record<string, any>>).flatMap((item) => Object.values(item).filter((op) => op?.operationId));
    expect(operations.length).toBeGreaterThanOrEqual(6);
    const modules = spec['x-zoho-modules'];
    for (const op of operations) {
      const scopes: string[] = op['x-zoho-oauth-scopes'];
      expect(scopes.length).toBeGreaterThan(0);
      expect(scopesFor(op.operationId)).toEqual(scopes);
      expect(scopesFor(op.operationId, 'Price_Books')).toEqual(scopes.map((x) => x.replace('{module}', modules.standard.Price_Books)));
      expect(scopesFor(op.operationId, 'Projects_X')).toEqual(scopes.map((x) => x.replace('{module}', modules['custom-scope'])));
    }
    expect(scopesFor('revokeSharedRecord', 'Contacts')).toEqual(['ZohoCRM.share.contacts.DELETE', 'ZohoCRM.share.contacts.ALL', 'ZohoCRM.share.all']);
  });

  it("a module name: the spec's pattern and its maxLength (100)", () => {
    const max = spec.components.schemas.ModuleApiName.maxLength as number;
    expect(validateModule(`A${'b'.repeat(max - 1)}`)).toHaveLength(max);
    expect(() => validateModule(`A${'b'.repeat(max)}`)).toThrow(InvalidInputError);
  });

  it('an API version the spec does not list is refused up front, naming the ones it does', () => {
    expect(() => resolveEndpoints({ apiVersion: 'v9' })).toThrow(/apiVersion: expected one of v2, v2\.1, v3, v4, v5, v6, v7, v8, got "v9"/);
  });

  it.each([
    ['apiVersion v7', { apiVersion: 'v7' }],
    ['a base URL on /crm/v7', { baseUrl: 'http://h/crm/v7' }],
  ])('%s: the rule endpoints (v8 only) are refused before any request; revoke (v2+) goes', async (_l, where) => {
    const { fetch, calls } = scriptedFetch(json(200, REVOKED));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, ...where });
    const err = await client.rerunDataSharingRules({ module: 'Leads' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).field).toBe('apiVersion');
    expect((err as Error).message).toMatch(/expected one of v8 \(rerunDataSharingRules exists in those\); got "v7"/);
    await expect(client.getDataSharingRulesSummary()).rejects.toBeInstanceOf(InvalidInputError);
    expect(calls).toHaveLength(0);
    await client.revokeSharedRecord({ module: 'Contacts', recordId: ID });
    expect(calls[0]!.url).toMatch(/\/crm\/v7\/Contacts\//);
  });

  it("a base URL whose version is not known (a mock's bare origin, a newer version) is not checked", async () => {
    const { fetch, calls } = scriptedFetch(json(200, SCHEDULED));
    for (const baseUrl of ['http://127.0.0.1:4010', 'http://h/crm/v9']) await createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl, fetch }).rerunDataSharingRules({ module: 'Leads' });
    expect(calls).toHaveLength(2);
  });
});

describe('what the runtimes need', () => {
  // workerd: "Illegal invocation: function called with incorrect `this` reference" unless fetch is called unbound.
  const unboundOnly = (answer: (url: string) => Response) =>
    function (this: unknown, input: string | URL | Request) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation: function called with incorrect `this` reference');
      return Promise.resolve(answer(String(input)));
    } as typeof globalThis.fetch;

  it('fetch is called unbound, for the token refresh and for the API call', async () => {
    let n = 0;
    const fetch = unboundOnly((url) => (url.endsWith('/oauth/v2/token') ? tokenAnswer(++n) : json(200, REVOKED)));
    const client = createZohoCrmClient({ auth: { clientId: 'cid', clientSecret: 'the-secret', refreshToken: 'the-refresh' }, fetch, maxRetries: 0 });
    expect((await client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).details.id).toBe(ID);
    expect(n).toBe(1);
  });

  // The exact shape Deno's fetch rejects with (seen in .ci/runtimes): no `code` anywhere in the chain.
  const denoRefused = () =>
    new TypeError('fetch failed', {
      cause: new Error('error sending request for url (http://127.0.0.1:9/crm/v8/x): client error (Connect): tcp connect error: Connection refused (os error 111)'),
    });

  it("Deno's refused connection is recognised, so a rerun is retried (the server never saw it)", async () => {
    const { fetch, calls } = scriptedFetch(denoRefused(), json(200, SCHEDULED));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: FAST });
    expect((await client.rerunDataSharingRules({ module: 'Leads' })).outcome).toBe('scheduled');
    expect(calls).toHaveLength(2);
    const once = createZohoCrmClient({ auth: { accessToken: 't' }, fetch: scriptedFetch(denoRefused()).fetch, maxRetries: 0 });
    const err = await once.rerunDataSharingRules({ module: 'Leads' }).catch((e: unknown) => e);
    expect([err instanceof ConnectionError, (err as ConnectionError).refused]).toEqual([true, true]);
  });

  const nested = (inner: unknown, depth: number): unknown => (depth ? new TypeError('fetch failed', { cause: nested(inner, depth - 1) }) : inner);
  const cyclic = new Error('a');
  (cyclic as { cause?: unknown }).cause = cyclic;
  it.each([
    ['Node: code ECONNREFUSED on the cause', new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }), true],
    ['Deno: the message only', denoRefused(), true],
    ['Deno on Windows', new TypeError('fetch failed', { cause: new Error('tcp connect error: No connection could be made because the target machine actively refused it. (os error 10061)') }), true],
    ['four causes deep', nested(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 4), true],
    ['deeper than five: not looked for', nested(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 6), false],
    ['workerd: "Network connection lost." (refused, reset and closed alike)', new Error('Network connection lost.'), false],
    ['a reset whose message mentions refused: the code decides', Object.assign(new Error('connection refused by peer, then reset'), { code: 'ECONNRESET' }), false],
    ['a cause that is its own cause: bounded', cyclic, false],
    ['not an error at all', 'connection refused', false],
  ])('%s -> refused %s', (_l, err, refused) => {
    expect(isRefused(err)).toBe(refused);
  });
});
