// The HTTP server and the in-process fetch are two adapters over one engine: the same sequence of
// requests (generated: every operation, good and bad tokens, bodies, unknown URLs, token grants, the
// control API, injected faults, a clock that moves) sent to a server and to createSandbox() with the same
// seed, clock and fault rolls gets the same answers: status, Zoho's headers and the body, byte for byte.
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createSandbox, DEMO_CREDENTIALS, startSandbox, type InProcessSandbox, type Sandbox } from '../src/index.ts';
import { GROUP, ID, manualClock, RUN, share, SUMMARY, testSeed, USER } from './helpers.ts';

/** A deterministic Math.random for both sides: the same rolls decide the same faults. */
function rolls(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

const LEAD = '4150868000002000000';
type Step =
  | { kind: 'http'; method: string; path: string; token: string | null | 'minted'; body?: string }
  | { kind: 'grant'; good: boolean }
  | { kind: 'advance'; ms: number };

// Mostly what succeeds (so the state changes), often what does not.
const often = <T>(likely: fc.Arbitrary<T>, rest: fc.Arbitrary<T>) => fc.oneof({ arbitrary: likely, weight: 3 }, { arbitrary: rest, weight: 1 });
const token = often(
  fc.constantFrom<string | null | 'minted'>(DEMO_CREDENTIALS.accessToken, 'minted'),
  fc.constantFrom<string | null | 'minted'>(null, 'nope', 'expired', 'contacts-only', 'read-only', 'other-org'),
);
const record = often(fc.constantFrom(ID, '4150868000001148213', '4150868000001148221'), fc.constantFrom(LEAD, '12x', '4150868000001148212%ZZ', '99999999999999999999'));
const module = often(fc.constant('Contacts'), fc.constantFrom('Leads', 'Events', 'Documents', 'Nope_X', 'Projects_X', 'Vendors_Archive'));
const entry = fc.record({
  shared_with: often(
    fc.integer({ min: 0, max: 11 }).map((i) => ({ type: 'users', id: USER(i) })),
    fc.record({ type: fc.constantFrom('users', 'roles', 'groups', 'bots'), id: fc.constantFrom(USER(12), GROUP(1), '9') }),
  ),
  permission: often(fc.constantFrom('read_only', 'read_write', 'full_access'), fc.constant('none')),
  type: often(fc.constant('private'), fc.constant('public')),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('http' as const), method: fc.constantFrom('GET', 'DELETE', 'PATCH'), path: fc.tuple(module, record).map(([m, r]) => share(m, r)), token }),
  fc.record({
    kind: fc.constant('http' as const),
    method: fc.constantFrom('POST', 'PUT'),
    path: fc.tuple(module, record).map(([m, r]) => share(m, r)),
    token,
    body: often(fc.array(entry, { minLength: 1, maxLength: 4 }).map((share) => JSON.stringify({ share })), fc.constantFrom('{', '', '{"share":3}', '{"share":[]}')),
  }),
  fc.record({ kind: fc.constant('http' as const), method: fc.constantFrom('POST', 'GET'), path: module.map((m) => `${RUN}?module=${m}`), token }),
  fc.record({ kind: fc.constant('http' as const), method: fc.constant('GET'), path: fc.oneof(fc.constant(SUMMARY), module.map((m) => `${SUMMARY}?module=${m}`)), token }),
  fc.record({ kind: fc.constant('http' as const), method: fc.constant('GET'), path: fc.constantFrom('/crm/v2/settings/data_sharing/rules/actions/summary', '/crm/v8/nowhere', '/nowhere', '/__sandbox/stats', `/__sandbox/records/Contacts/${ID}`), token }),
  fc.record({
    kind: fc.constant('http' as const),
    method: fc.constant('PATCH'),
    path: fc.constant('/__sandbox/config'),
    token: fc.constant(null),
    body: fc.constantFrom('{"errorRate":0.3}', '{"errorRate":0}', '{"concurrencyLimit":1}', '{"dailyCredits":5,"retryAfterSeconds":7}', '{"dailyCredits":0}', '{"dailyCredits":null}', '{"errorRate":5}', 'nope'),
  }),
  fc.record({ kind: fc.constant('http' as const), method: fc.constant('POST'), path: fc.constantFrom('/__sandbox/tokens/expire', '/__sandbox/reset'), token: fc.constant(null) }),
  fc.record({ kind: fc.constant('grant' as const), good: fc.boolean() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(100, 5_000, 4_000_000) }),
);

const demo = DEMO_CREDENTIALS.accessToken;
const shareBody = (...users: number[]) => JSON.stringify({ share: users.map((u) => ({ shared_with: { type: 'users', id: USER(u) }, permission: 'read_only', type: 'private' })) });
/** Run first (fast-check's `examples`): every kind of answer at least once, whatever the generated runs reach. */
const tour: Step[] = [
  { kind: 'grant', good: true },
  { kind: 'http', method: 'POST', path: share('Contacts', ID), token: 'minted', body: shareBody(11) }, // 201
  { kind: 'http', method: 'POST', path: share('Contacts', ID), token: demo, body: shareBody(10, 11) }, // 207
  { kind: 'http', method: 'DELETE', path: share('Contacts', ID), token: demo }, // 200
  { kind: 'http', method: 'GET', path: share('Contacts', ID), token: demo }, // 204
  { kind: 'http', method: 'POST', path: `${RUN}?module=Leads`, token: 'nope' }, // 401
  { kind: 'http', method: 'GET', path: '/crm/v8/nowhere', token: demo }, // 404
  { kind: 'http', method: 'PATCH', path: '/__sandbox/config', token: null, body: '{"errorRate":1}' },
  { kind: 'http', method: 'POST', path: `${RUN}?module=Leads`, token: demo }, // 500
  { kind: 'http', method: 'PATCH', path: '/__sandbox/config', token: null, body: '{"errorRate":0,"dailyCredits":0,"retryAfterSeconds":7}' },
  { kind: 'http', method: 'POST', path: `${RUN}?module=Leads`, token: demo }, // 429 with Retry-After
  { kind: 'advance', ms: 86_400_001 },
  { kind: 'http', method: 'POST', path: '/__sandbox/reset', token: null },
];

/** Zoho's headers: what the sandbox sets. Node's own (date, connection, content-length...) are the transport's. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => !TRANSPORT.has(k)));

describe('the HTTP server and the in-process fetch answer alike', () => {
  let server: Sandbox;
  const serverClock = manualClock();
  let serverRolls = rolls(0);
  beforeAll(async () => {
    server = await startSandbox({ seed: testSeed(20), rerunDurationMs: 3000, now: serverClock.now, random: () => serverRolls() });
  });
  // The generated sequences reach every kind of answer, or the comparison proves little.
  const seen = new Set<number>();
  afterAll(async () => {
    await server.close();
    expect([...seen].sort()).toEqual(expect.arrayContaining([200, 201, 204, 207, 400, 401, 404, 429, 500]));
  });

  test.prop([fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer()], { numRuns: 60, examples: [[tour, 7]] })('any sequence: same status, headers and body', async (steps, seed) => {
    // Both from the seed, the same clock reading and the same rolls.
    const clock = manualClock();
    serverClock.advance(clock.now() - serverClock.now());
    serverRolls = rolls(seed);
    const settings = { errorRate: 0, concurrencyLimit: null, dailyCredits: null, retryAfterSeconds: null };
    server.configure(settings);
    server.reset();
    // Its URL is the server's, so the token grant's api_domain and every URL are the same on both sides.
    const local: InProcessSandbox = createSandbox({ seed: testSeed(20), rerunDurationMs: 3000, now: clock.now, random: rolls(seed), url: server.url });
    local.configure(settings); // the same keys in the same order: GET /__sandbox/config is compared as text
    const sides = [
      { name: 'http', fetch: globalThis.fetch, minted: '' },
      { name: 'in-process', fetch: local.fetch, minted: '' },
    ];
    for (const s of steps) {
      if (s.kind === 'advance') {
        clock.advance(s.ms);
        serverClock.advance(s.ms);
        continue;
      }
      const answers = [];
      for (const side of sides) {
        const res =
          s.kind === 'grant'
            ? await side.fetch(`${server.url}/oauth/v2/token`, {
                method: 'POST',
                body: new URLSearchParams({ grant_type: 'refresh_token', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, refresh_token: s.good ? DEMO_CREDENTIALS.refreshToken : 'wrong' }),
              })
            : await side.fetch(server.url + s.path, {
                method: s.method,
                headers: s.token === null ? {} : { authorization: `Zoho-oauthtoken ${s.token === 'minted' ? side.minted : s.token}` },
                ...(s.body === undefined ? {} : { body: s.body }),
              });
        let text = await res.text();
        const minted = /"access_token":"([^"]+)"/.exec(text)?.[1];
        if (minted) {
          side.minted = minted;
          text = text.replace(minted, '<minted>'); // random on each side
        }
        seen.add(res.status);
        answers.push({ status: res.status, headers: headersOf(res), text });
      }
      expect(answers[1], `${JSON.stringify(s)}`).toEqual(answers[0]);
    }
    expect(local.stats()).toEqual(server.stats());
  });
});
