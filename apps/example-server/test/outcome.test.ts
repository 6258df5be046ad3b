// The one table (src/queue/outcome.ts) read from what the client makes of real HTTP answers: any
// 5xx, a concurrency 429, no connection, the token URL down, a 4xx page that is not Zoho's are transient; a refused refresh token
// and spent credits pause the queue; Zoho's answers about the request itself are final. And the
// retry policy's bounds (src/queue/backoff.ts) hold for any attempt count and jitter.
import { fc, test } from '@fast-check/vitest';
import { createZohoCrmClient } from '@zcrm-sharing/client';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/config.ts';
import { nextAttemptAt, retryDelay } from '../src/queue/backoff.ts';
import { failureClass } from '../src/queue/outcome.ts';

const RECORD = '4150868000001148212';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const status = (code: string, message = 'm', details = {}) => ({ code, details, message, status: 'error' });

/** What the client throws for one answer (or a fetch failure), and how the table classes it. */
async function classOf(answer: () => Response, options: { tokenAnswer?: () => Response } = {}) {
  const auth = options.tokenAnswer ? { clientId: 'id', clientSecret: 'secret-value-1', refreshToken: 'refresh-value-1' } : { accessToken: '1000.access-token-value' };
  const client = createZohoCrmClient({
    auth,
    baseUrl: 'http://zoho.test/crm/v8',
    tokenUrl: 'http://accounts.test/oauth/v2/token',
    maxRetries: 0,
    fetch: async (input) => (String(input instanceof Request ? input.url : input).includes('/oauth/') ? options.tokenAnswer!() : answer()),
  });
  try {
    await client.revokeSharedRecord({ module: 'Contacts', recordId: RECORD });
  } catch (err) {
    return failureClass(err);
  }
  throw new Error('expected the revoke to fail');
}

describe('the failure table', () => {
  test.prop([fc.integer({ min: 500, max: 599 }), fc.option(fc.constantFrom('INTERNAL_ERROR', 'INVALID_DATA', 'NO_PERMISSION', 'X'), { nil: undefined })])(
    'any 5xx, whatever its body, is transient',
    async (code, zoho) => {
      expect(await classOf(() => (zoho ? json(code, status(zoho)) : new Response('<html>bad gateway</html>', { status: code })))).toBe('transient');
    },
  );

  it('a 429 over the concurrency cap is transient; the credits one pauses', async () => {
    expect(await classOf(() => json(429, status('TOO_MANY_REQUESTS', 'You have exceeded the concurrency limit. Please try again later.')))).toBe('transient');
    expect(await classOf(() => json(429, status('TOO_MANY_REQUESTS', 'You have exhausted the API credits for the last 24 hours. Please try again later.')))).toBe('paused');
  });

  test.prop([fc.constantFrom('ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EPIPE')])('no connection (refused, reset, ...) is transient', async (code) => {
    expect(await classOf(() => { throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) }); })).toBe('transient');
  });

  test.prop([
    fc.constantFrom(
      [400, status('INVALID_DATA', 'ENTITY_ID_INVALID', { resource_path_index: 1 })],
      [400, status('INVALID_DATA', 'invalid data')],
      [400, status('INVALID_MODULE', 'the module name given seems to be invalid')],
      [401, status('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL')],
      [403, status('NO_PERMISSION', 'Permission denied to delete records', { permissions: ['Crm_Implied_Share'] })],
      [400, status('AUTHORIZATION_FAILED', 'User does not have sufficient privilege')],
      [404, status('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one')],
      [400, status('NOT_ALLOWED', 'x')],
    ) as fc.Arbitrary<[number, unknown]>,
  ])("Zoho's answers about the request itself are final", async ([code, body]) => {
    expect(await classOf(() => json(code, body))).toBe('final');
  });

  // While Zoho is down or being moved, what answers may be a proxy, a load balancer or a firewall:
  // any 4xx page without Zoho's JSON status object says nothing about the request.
  test.prop([
    fc.integer({ min: 400, max: 499 }).filter((c) => c !== 401 && c !== 429),
    fc.constantFrom<[string, string]>(
      ['<html><body>404 Not Found</body></html>', 'text/html'],
      ['', 'text/plain'],
      ['{"error":"not found"}', 'application/json'],
      ['Forbidden', 'text/plain'],
    ),
  ])("a 4xx that is not Zoho's answer (a proxy's page, no Zoho status object) is transient", async (code, page) => {
    const [body, type] = page;
    expect(await classOf(() => new Response(body || null, { status: code, headers: { 'content-type': type } }))).toBe('transient');
  });

  it('the token URL: unreachable or 5xx is transient; a refused refresh token pauses', async () => {
    const fails = () => json(500, status('INVALID_DATA'));
    expect(await classOf(fails, { tokenAnswer: () => { throw new TypeError('fetch failed'); } })).toBe('transient');
    expect(await classOf(fails, { tokenAnswer: () => json(503, {}) })).toBe('transient');
    expect(await classOf(fails, { tokenAnswer: () => json(200, { error: 'invalid_code' }) })).toBe('paused');
    expect(await classOf(fails, { tokenAnswer: () => json(400, { error: 'invalid_client' }) })).toBe('paused');
  });

  it('anything that is not the client error (a bug) is final, never retried forever', () => {
    expect(failureClass(new RangeError('x'))).toBe('final');
  });
});

describe('the retry policy', () => {
  const policy = DEFAULTS.retry;
  test.prop([fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    'each wait is between half and all of min(max, base x 2^(n-1))',
    (attempts, r) => {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, attempts - 1));
      const d = retryDelay(policy, attempts, () => r);
      expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
      expect(d).toBeLessThanOrEqual(ceiling);
    },
  );

  test.prop([fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 50 })])(
    'a job failing every time stops within the window and the attempt cap, whatever the jitter',
    (jitter) => {
      let now = 0;
      let attempts = 1;
      for (let i = 0; ; i++) {
        const at = nextAttemptAt(policy, { attempts, receivedAt: 0 }, now, () => jitter[i % jitter.length]!);
        if (at === undefined) break;
        expect(at).toBeGreaterThan(now);
        expect(at).toBeLessThanOrEqual(policy.windowMs);
        now = at;
        attempts++;
      }
      expect(attempts).toBeLessThanOrEqual(policy.maxAttempts);
    },
  );

  it('the stated cap: at most 150 attempts within a day', () => {
    expect(DEFAULTS.retry).toMatchObject({ windowMs: 86_400_000, maxAttempts: 150 });
  });
});
