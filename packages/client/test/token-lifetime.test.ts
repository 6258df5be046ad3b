// How often the refresh-token grant asks Zoho Accounts for a token: an `expires_in` of 0, negative or
// within the 60 s margin is taken as 5 minutes (never a refresh per call); a refused token is refreshed
// once, for every call that holds it; and never more than 10 token requests in 10 minutes (Zoho's
// limit per refresh token), past which a call fails with TokenRefreshError saying so. Clocks are
// injected (the token source's `now`, or a faked Date), never read from the wall.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it, vi } from 'vitest';
import { createZohoCrmClient, TokenRefreshError } from '../src/index.ts';
import type { RawAnswer, RawRequest } from '../src/http.ts';
import { createSecretSet } from '../src/redact.ts';
import { MIN_TOKEN_LIFETIME_S, REFRESH_LIMIT, refreshTokenGrant, renewAtOf } from '../src/refresh-token.ts';
import { EXAMPLES, json, scriptedFetch, SECRETS } from './helpers.ts';

const ID = '4150868000001148212';
const GRANT = { clientId: '1000.id', clientSecret: SECRETS.clientSecret, refreshToken: SECRETS.refreshToken };
const MINUTE = 60_000;
// No token is part of another (1000.token-1 is in 1000.token-10): each is redacted from what follows.
const tokenNo = (n: number) => `1000.token-${String(n).padStart(3, '0')}`;

/** A token source over a fake token URL answering `expires_in`, on the clock `clock.now`. */
function source(expiresIn: unknown) {
  const clock = { now: 1_800_000_000_000 };
  const requests: RawRequest[] = [];
  const request = async (r: RawRequest): Promise<RawAnswer> => {
    requests.push(r);
    const text = JSON.stringify({ access_token: tokenNo(requests.length), expires_in: expiresIn });
    return { status: 200, header: (name) => (name === 'content-type' ? 'application/json' : null), text, tooLarge: false, redirect: false, encoded: false };
  };
  const tokens = refreshTokenGrant(GRANT).createTokenSource({
    tokenUrl: 'http://accounts.test/oauth/v2/token',
    dataCenter: 'us',
    request,
    timeoutMs: 1000,
    maxResponseBytes: 1 << 16,
    secrets: createSecretSet([]),
    now: () => clock.now,
  });
  return { clock, requests, tokens };
}

describe('expires_in', () => {
  it.each([[0], [-5], [30], [60], ['0'], [-1e308]])('%j is taken as 5 minutes: 60 calls, one token; renewed 60 s before the 5 minutes end', async (expiresIn) => {
    const { clock, requests, tokens } = source(expiresIn);
    const got = await Promise.all(Array.from({ length: 60 }, () => tokens.get()));
    expect(new Set(got)).toEqual(new Set([tokenNo(1)]));
    expect(MIN_TOKEN_LIFETIME_S).toBe(300);
    clock.now += 4 * MINUTE - 1;
    expect(await tokens.get()).toBe(tokenNo(1));
    clock.now += 1;
    expect(await tokens.get()).toBe(tokenNo(2));
    expect(requests).toHaveLength(2);
  });

  it.each([
    [3600, 3540_000],
    [90, 45_000], // within two margins: renewed at half its life
    ['abc', 3540_000], // not a number: an hour
    [undefined, 3540_000],
    [1e12, 86_400_000 - 60_000], // at most a day
  ])('%j: renewed after %d ms', (expiresIn, ms) => {
    expect(renewAtOf(expiresIn, 0)).toBe(ms);
  });

  test.prop([fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null), fc.boolean())], { numRuns: 10_000 })(
    'whatever a token URL says, a token is kept at least 30 s and renewed within a day',
    (expiresIn) => {
      const renew = renewAtOf(expiresIn, 0);
      expect(renew).toBeGreaterThanOrEqual(30_000);
      expect(renew).toBeLessThanOrEqual(86_400_000);
    },
  );
});

describe('at most 10 token requests in 10 minutes', () => {
  it('the 11th refresh is not sent: TokenRefreshError saying why and when; allowed again once the oldest is 10 minutes old', async () => {
    const { clock, requests, tokens } = source(3600);
    for (let i = 1; i <= REFRESH_LIMIT.tokens; i++) {
      const token = await tokens.get();
      expect(token).toBe(tokenNo(i));
      tokens.invalidate(token);
      clock.now += 1000;
    }
    const err = await Promise.resolve(tokens.get()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRefreshError);
    expect((err as TokenRefreshError).kind).toBe('token_refresh');
    expect((err as Error).message).toMatch(/10 access tokens were already requested in the last 10 minutes, the most Zoho Accounts issues per refresh token; the next can be requested at \S+Z \(in 590 s\)/);
    expect(requests).toHaveLength(10);
    clock.now += 590_000 - 1;
    await expect(Promise.resolve(tokens.get())).rejects.toBeInstanceOf(TokenRefreshError);
    clock.now += 1;
    expect(await tokens.get()).toBe(tokenNo(11));
    expect(requests).toHaveLength(11);
  });
});

describe('through the client', () => {
  const tokenAnswer = (n: number, expiresIn: unknown = 3600) => json(200, { access_token: tokenNo(n), expires_in: expiresIn });

  it('a token URL answering expires_in: 0: 60 calls, one token request', async () => {
    let tokenRequests = 0;
    const { fetch } = scriptedFetch(async (call) => (call.url.endsWith('/token') ? tokenAnswer(++tokenRequests, 0) : json(200, EXAMPLES.revoked)));
    const client = createZohoCrmClient({ auth: GRANT, tokenUrl: 'http://accounts.test/token', baseUrl: 'http://zoho.test/crm/v8', fetch });
    for (let i = 0; i < 60; i++) await client.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' });
    expect(tokenRequests).toBe(1);
  });

  it('20 calls in flight refused with 401 INVALID_TOKEN share one refresh, then all succeed', async () => {
    let tokenRequests = 0;
    const held: (() => void)[] = [];
    const { fetch, calls } = scriptedFetch(async (call) => {
      if (call.url.endsWith('/token')) return tokenAnswer(++tokenRequests);
      if (call.headers.get('authorization') !== `Zoho-oauthtoken ${tokenNo(1)}`) return json(200, EXAMPLES.revoked);
      // Every call is refused only once all 20 hold the first token.
      await new Promise<void>((r) => (held.push(r), held.length === 20 && held.forEach((go) => go())));
      return json(401, EXAMPLES.invalidToken);
    });
    const client = createZohoCrmClient({ auth: GRANT, tokenUrl: 'http://accounts.test/token', baseUrl: 'http://zoho.test/crm/v8', fetch });
    const results = await Promise.all(Array.from({ length: 20 }, () => client.revokeSharedRecord({ module: 'Contacts', recordId: ID })));
    expect(results.every((r) => r.details.id === ID)).toBe(true);
    expect(tokenRequests).toBe(2);
    expect(calls.filter((c) => !c.url.endsWith('/token'))).toHaveLength(40);
  });

  it('a server refusing every token: 30 calls make 10 token requests, then fail with token_refresh without calling the API', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      let tokenRequests = 0;
      const { fetch, calls } = scriptedFetch(async (call) => (call.url.endsWith('/token') ? tokenAnswer(++tokenRequests) : json(401, EXAMPLES.invalidToken)));
      const client = createZohoCrmClient({ auth: GRANT, tokenUrl: 'http://accounts.test/token', baseUrl: 'http://zoho.test/crm/v8', fetch, maxRetries: 0 });
      const kinds: string[] = [];
      for (let i = 0; i < 30; i++) kinds.push(await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }).then(() => 'revoked', (e: { kind: string }) => e.kind));
      expect(tokenRequests).toBe(10);
      // Each of the first 9 calls: refused, one refresh, refused again; the 10th's refresh is the 11th token.
      expect(kinds).toEqual([...Array(9).fill('authentication'), ...Array(21).fill('token_refresh')]);
      expect(calls.filter((c) => !c.url.endsWith('/token'))).toHaveLength(19);
      // Ten minutes on, the window has room again: a token, refused, and its one refresh.
      vi.setSystemTime(Date.now() + 10 * MINUTE);
      await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toMatchObject({ kind: 'authentication' });
      expect(tokenRequests).toBe(12);
    } finally {
      vi.useRealTimers();
    }
  });
});
