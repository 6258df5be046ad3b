// Everything a server controls is bounded, and every wait ends when the caller says so: Retry-After
// (parsed safely, capped, no timer overflow), the retry policy hook, the body cap, redirects, and a
// shared token refresh that no single caller can cancel for the others.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  createZohoCrmClient,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
  type ClientEvent,
  type ZohoCrmError,
} from '../src/index.ts';
import { MAX_TIMER_MS, wait } from '../src/internal/deadline.ts';
import { parseRetryAfter } from '../src/retry.ts';
import { EXAMPLES, json, localServers, scriptedFetch } from './helpers.ts';

const { revoked: REVOKED, tooMany: TOO_MANY, internal: INTERNAL, scheduled: SCHEDULED, invalidToken: INVALID_TOKEN } = EXAMPLES;
const ID = '4150868000001148212';
const FAST = { baseDelayMs: 1, maxDelayMs: 2 };
const revoke = (client: ReturnType<typeof createZohoCrmClient>, options?: { signal?: AbortSignal }) =>
  client.revokeSharedRecord({ module: 'Contacts', recordId: ID }, options);

const { listen, closeAll } = localServers();
afterEach(async () => {
  vi.restoreAllMocks();
  await closeAll();
});

describe('Retry-After', () => {
  const NOW = Date.parse('2026-12-01T00:00:00Z');
  const CAP = 60_000;
  it.each([
    ['3', 3000],
    ['0.25', 250],
    ['0', 0],
    [' 7 ', 7000],
    ['999999', CAP], // 11.6 days: capped
    ['99999999999', CAP], // past what a 32-bit timer holds: capped, not overflowed to 1 ms
    ['9'.repeat(400), CAP], // parses to Infinity: still the cap
    ['Tue, 01 Dec 2026 00:00:30 GMT', 30_000], // an HTTP date 30 s ahead
    ['Wed, 01 Dec 2027 00:00:00 GMT', CAP], // a year ahead
    ['Mon, 30 Nov 2026 00:00:00 GMT', 0], // in the past: now
    ['-5', undefined],
    ['1e3', undefined],
    ['soon', undefined],
    ['', undefined],
  ])('%j -> %j ms', (value, ms) => {
    expect(parseRetryAfter(value, CAP, NOW)).toBe(ms);
  });

  it('absent: undefined', () => expect(parseRetryAfter(null, CAP)).toBeUndefined());

  it('a huge Retry-After is waited at most maxRetryAfterMs, and RateLimitError carries the capped value', async () => {
    const { fetch } = scriptedFetch(json(429, TOO_MANY, { 'retry-after': '999999' }));
    const events: ClientEvent[] = [];
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 1, retry: { maxRetryAfterMs: 5 }, onEvent: (e) => events.push(e) });
    const err = await revoke(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(5);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { delayMs: number }).delayMs)).toEqual([5]);
  });

  it('no wait is ever handed to a timer beyond 2^31-1 ms (it would fire at once)', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const controller = new AbortController();
    const waiting = wait(10 ** 15, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    expect(spy.mock.calls.every(([, ms]) => (ms ?? 0) <= MAX_TIMER_MS)).toBe(true);
  });

  it('maxRetryAfterMs beyond a timer is refused up front', () => {
    expect(() => createZohoCrmClient({ auth: { accessToken: 't' }, retry: { maxRetryAfterMs: 2 ** 31 } })).toThrow(/retry\.maxRetryAfterMs/);
  });
});

describe('every wait is abortable by the caller', () => {
  it('a Retry-After wait ends with AbortError the moment the signal aborts; no further request', async () => {
    const { fetch, calls } = scriptedFetch(json(429, TOO_MANY, { 'retry-after': '3600' }));
    const controller = new AbortController();
    // Abort once the client has started to wait (its retry event), not after a guessed delay.
    const onEvent = (e: ClientEvent) => e.type === 'retry' && controller.abort(new Error('Ctrl-C'));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: { maxRetryAfterMs: 3_600_000 }, onEvent });
    const err = await revoke(client, { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(calls).toHaveLength(1);
  });

  it('a backoff wait too', async () => {
    const { fetch, calls } = scriptedFetch(json(500, INTERNAL));
    const controller = new AbortController();
    const onEvent = (e: ClientEvent) => e.type === 'retry' && controller.abort();
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: { baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 }, onEvent });
    await expect(revoke(client, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(calls).toHaveLength(1);
  });
});

describe('retry.shouldRetry: a policy the caller owns', () => {
  it('can take 429s out of the client: one request, the RateLimitError handed back at once', async () => {
    const { fetch, calls } = scriptedFetch(json(429, TOO_MANY, { 'retry-after': '1' }));
    const shouldRetry = vi.fn((e: ZohoCrmError, _attempt: number, ctx: { byDefault: boolean }) => e.kind !== 'rate_limit' && ctx.byDefault);
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: { ...FAST, shouldRetry } });
    await expect(revoke(client)).rejects.toBeInstanceOf(RateLimitError);
    expect(calls).toHaveLength(1);
    expect(shouldRetry).toHaveBeenCalledTimes(1);
  });

  it('is told the attempt, the operation, the default decision and the wait before the retry', async () => {
    const { fetch } = scriptedFetch(json(500, INTERNAL), json(500, INTERNAL), json(200, REVOKED));
    const seen: unknown[] = [];
    const client = createZohoCrmClient({
      auth: { accessToken: 't' },
      fetch,
      retry: { ...FAST, shouldRetry: (e, attempt, ctx) => (seen.push([e.kind, attempt, ctx]), ctx.byDefault) },
    });
    await revoke(client);
    expect(seen).toEqual([
      ['server', 0, { operation: 'revokeSharedRecord', byDefault: true, delayMs: expect.any(Number) }],
      ['server', 1, { operation: 'revokeSharedRecord', byDefault: true, delayMs: expect.any(Number) }],
    ]);
  });

  it("is told a Retry-After as the wait (so a caller can refuse a long one), capped at maxRetryAfterMs", async () => {
    const { fetch, calls } = scriptedFetch(json(503, INTERNAL, { 'retry-after': '7200' }));
    const delays: number[] = [];
    const client = createZohoCrmClient({
      auth: { accessToken: 't' },
      fetch,
      retry: { ...FAST, maxRetryAfterMs: 3_600_000, shouldRetry: (_e, _a, ctx) => (delays.push(ctx.delayMs), ctx.delayMs <= 60_000) },
    });
    await expect(revoke(client)).rejects.toBeInstanceOf(ServerError);
    expect([delays, calls.length]).toEqual([[3_600_000], 1]);
  });

  it('the default keeps the built-in rule: a rerun POST answered 500 is not repeated', async () => {
    const { fetch, calls } = scriptedFetch(json(500, INTERNAL), json(200, SCHEDULED));
    let told: boolean | undefined;
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, retry: { ...FAST, shouldRetry: (_e, _a, ctx) => (told = ctx.byDefault) } });
    await expect(client.rerunDataSharingRules({ module: 'Leads' })).rejects.toBeInstanceOf(ServerError);
    expect([told, calls.length]).toEqual([false, 1]);
  });

  it('never retries past maxRetries, whatever it answers', async () => {
    const { fetch, calls } = scriptedFetch(json(500, INTERNAL));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 2, retry: { ...FAST, shouldRetry: () => true } });
    await expect(revoke(client)).rejects.toBeInstanceOf(ServerError);
    expect(calls).toHaveLength(3);
  });
});

describe('response bodies are capped', () => {
  it('a declared Content-Length over the cap: refused without reading, the connection dropped', async () => {
    let closed = false;
    const url = await listen((_req, res) => {
      res.on('close', () => (closed = true));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      res.write('{"share":');
    });
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: url, maxResponseBytes: 1024, maxRetries: 0 });
    const err = await revoke(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as Error).message).toMatch(/over maxResponseBytes/);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('a chunked body growing past the cap: cut off, the connection dropped, status still decides (500 -> ServerError)', async () => {
    let written = 0;
    const url = await listen((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (!res.destroyed && written < 50 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: url, maxResponseBytes: 64 * 1024, maxRetries: 0 });
    const err = await revoke(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).code).toBe('HTTP_500');
    expect(written).toBeLessThan(50 * 1024 * 1024);
  });

  it('a body that never ends: the per-attempt deadline covers the body too', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"share":'); // and nothing more
    });
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: url, timeoutMs: 100, maxRetries: 0 });
    await expect(revoke(client)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('redirects', () => {
  it("a browser's opaque redirect is an UnexpectedResponseError that says the target is hidden", async () => {
    const opaque = Object.defineProperties(new Response(null, { status: 200 }), { type: { value: 'opaqueredirect' }, status: { value: 0 } });
    const { fetch } = scriptedFetch(() => opaque);
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    const err = (await revoke(client).catch((e: unknown) => e)) as UnexpectedResponseError;
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect([err.status, err.location]).toEqual([0, undefined]);
    expect(err.message).toMatch(/to an opaque or invalid location, not followed/);
  });
});

describe('the shared token refresh', () => {
  const grant = { clientId: 'cid', clientSecret: 'the-client-secret', refreshToken: 'the-refresh-token' };

  it("one caller's abort ends only its own wait: the refresh goes on and the others get the token", async () => {
    let release!: () => void;
    let refreshes = 0;
    const { fetch } = scriptedFetch(async (call) => {
      if (!call.url.endsWith('/token')) return json(200, REVOKED);
      refreshes++;
      await new Promise<void>((r) => (release = r));
      return json(200, { access_token: 'shared-token', expires_in: 3600 });
    });
    const client = createZohoCrmClient({ auth: grant, fetch });
    const first = new AbortController();
    const a = revoke(client, { signal: first.signal });
    const b = revoke(client);
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    first.abort();
    await expect(a).rejects.toBeInstanceOf(AbortError);
    release();
    expect((await b).details.id).toBe(ID);
    expect(refreshes).toBe(1);
  });

  it('runs under its own deadline: a token URL that never answers fails with TimeoutError, not a hang', async () => {
    const { fetch } = scriptedFetch(
      (call) => new Promise<Response>((_r, reject) => call.signal!.addEventListener('abort', () => reject(call.signal!.reason))),
    );
    const client = createZohoCrmClient({ auth: grant, fetch, timeoutMs: 50 });
    await expect(revoke(client)).rejects.toBeInstanceOf(TimeoutError);
  });

  it("a token provider's forced refresh is shared and not bound to the first caller's signal", async () => {
    let release!: (token: string) => void;
    let forced = 0;
    const { fetch } = scriptedFetch(json(401, INVALID_TOKEN), json(200, REVOKED));
    const client = createZohoCrmClient({
      auth: {
        getAccessToken: ({ forceRefresh, signal }) => {
          if (!forceRefresh) return 'stale';
          forced++;
          expect(signal?.aborted).toBe(false);
          return new Promise<string>((r) => (release = r));
        },
      },
      fetch,
      maxRetries: 0,
    });
    const first = new AbortController();
    const a = revoke(client, { signal: first.signal });
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    const b = revoke(client);
    first.abort();
    await expect(a).rejects.toBeInstanceOf(AbortError);
    release('fresh');
    expect((await b).code).toBe('SUCCESS');
    expect(forced).toBe(1);
  });
});
