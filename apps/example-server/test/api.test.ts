// The JSON API through HTTP against a real sandbox: each client error class, produced by a sandbox
// fault, mapped to its HTTP answer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CREDENTIALS, allScopes, demoSeed, type SandboxSeed } from '@zcrm-sharing/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, contactId, harness, leadId, request } from './helpers.ts';

afterEach(closeAll);

const rerun = (url: string, module: string, init: RequestInit = {}) => request(`${url}/api/modules/${module}/sharing-rules/rerun`, { method: 'POST', ...init });
const status = (url: string, module: string) => request(`${url}/api/modules/${module}/sharing-rules/status`);
const revoke = (url: string, module: string, id: string, init: RequestInit = {}) => request(`${url}/api/records/${module}/${id}/sharing`, { method: 'DELETE', ...init });

/** The demo seed plus tokens and modules that produce the scope and permission faults. */
function faultSeed(): SandboxSeed {
  const seed = demoSeed({ records: 50 });
  seed.tokens!.push(
    { accessToken: 'token-without-scopes', scopes: [] },
    { accessToken: 'token-no-share-permission', scopes: allScopes(), profile: 'no-share-permission' },
  );
  seed.modules!.push({ apiName: 'Deals_X_Contacts', id: '4150868000000009999', revocable: false });
  seed.records!.push({ module: 'Deals_X_Contacts', id: '4150868000004000001', shares: [{ type: 'users', id: '1', name: 'u', permission: 'read_only' }] });
  return seed;
}

describe('health and routing', () => {
  it('GET /healthz: 200 with the mode, the webhook state and the cap', async () => {
    const h = await harness({ server: { revokeConcurrency: 3 } });
    const r = await request(`${h.url}/healthz`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', mode: 'sandbox', webhook: { enabled: true }, zohoConcurrency: { max: 3 } });
    expect(r.headers.get('x-request-id')).toBe(r.body.requestId);
  });

  it('unknown path 404, wrong method 405 with Allow', async () => {
    const h = await harness();
    expect((await request(`${h.url}/nope`)).status).toBe(404);
    const r = await request(`${h.url}/api/modules/Leads/sharing-rules/rerun`);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
  });

  it('GET / serves the admin page with a strict CSP and its script', async () => {
    const h = await harness();
    const page = await fetch(`${h.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/<script src="\/admin\.js"/);
    expect((await fetch(`${h.url}/admin.js`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('a mutating API call from another site is refused (no CSRF through a form POST)', async () => {
    const h = await harness();
    const r = await rerun(h.url, 'Leads', { headers: { origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    expect((await revoke(h.url, 'Contacts', contactId(0), { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect(h.sandbox.stats().rerun.calls + h.sandbox.stats().revoke.calls).toBe(0);
    // The page's own origin is fine.
    expect((await rerun(h.url, 'Leads', { headers: { origin: h.url } })).status).toBe(202);
  });
});

describe('Host allow-list and admin login', () => {
  const rebinding = (url: string) => {
    const port = new URL(url).port;
    // What a page on evil.example sends after its name was rebound to 127.0.0.1.
    return { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'sec-fetch-site': 'same-origin' };
  };

  it('a DNS-rebinding request (Host evil.example, matching Origin, Sec-Fetch-Site same-origin) is refused before any Zoho call', async () => {
    const h = await harness();
    const headers = rebinding(h.url);
    const answers = [
      await revoke(h.url, 'Contacts', contactId(0), { headers }),
      await rerun(h.url, 'Leads', { headers }),
      await request(`${h.url}/api/jobs`, { headers }),
      await request(`${h.url}/`, { headers }),
    ];
    expect(answers.map((a) => [a.status, a.body.error])).toEqual(Array(4).fill([403, 'host_not_allowed']));
    expect(h.sandbox.stats().requests).toBe(0);
    expect(h.sandbox.record('Contacts', contactId(0))!.shares).toBe(1);
    // The webhook (its own secret) and /healthz answer whatever the Host.
    expect((await request(`${h.url}/healthz`, { headers })).status).toBe(200);
  });

  it('the default allow-list: 127.0.0.1 and localhost (any port); ALLOWED_HOSTS replaces it', async () => {
    const h = await harness();
    const port = new URL(h.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST']) expect((await request(`${h.url}/api/jobs`, { headers: { host } })).status).toBe(200);
    const custom = await harness({ server: { allowedHosts: ['crm-tools.example.com'] } });
    expect((await request(`${custom.url}/api/jobs`)).status).toBe(403);
    expect((await request(`${custom.url}/api/jobs`, { headers: { host: 'crm-tools.example.com' } })).status).toBe(200);
  });

  it('an Origin off the allow-list is refused for mutating calls even with an allowed Host', async () => {
    const h = await harness();
    const r = await revoke(h.url, 'Contacts', contactId(0), { headers: { origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('cross_site_request');
    expect(h.sandbox.stats().requests).toBe(0);
  });

  it('with an admin password: the page and /api need it (401 with a Basic challenge); the webhook and /healthz do not', async () => {
    const h = await harness({ server: { admin: { user: 'admin', password: 'correct-horse-battery' } } });
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    for (const r of [
      await request(`${h.url}/`),
      await request(`${h.url}/admin.js`),
      await request(`${h.url}/api/jobs`),
      await revoke(h.url, 'Contacts', contactId(0)),
      await revoke(h.url, 'Contacts', contactId(0), { headers: basic('admin', 'wrong-password-x') }),
      await revoke(h.url, 'Contacts', contactId(0), { headers: basic('root', 'correct-horse-battery') }),
      await rerun(h.url, 'Leads', { headers: { authorization: 'Bearer correct-horse-battery' } }),
    ]) {
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(r.body.error).toBe('login_required');
    }
    expect(h.sandbox.stats().requests).toBe(0);
    const ok = await revoke(h.url, 'Contacts', contactId(0), { headers: basic('admin', 'correct-horse-battery') });
    expect(ok.body).toMatchObject({ revoked: true });
    expect((await request(`${h.url}/healthz`)).body.admin).toEqual({ login: true });
    const { deliver } = await import('./helpers.ts');
    expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(1) })).status).toBe(202);
    // The password never reaches a log line.
    expect(h.rawLogs.join('\n')).not.toContain('correct-horse-battery');
  });

  it('listening beyond loopback without an admin password is refused at start', async () => {
    await expect(harness({ server: { host: '0.0.0.0' } })).rejects.toThrow(/not a loopback address: the admin page and \/api need the admin credential/);
  });
});

describe('rerun and status', () => {
  it('rerun: 202 scheduled; status: computing, then done once the sandbox computation ends', async () => {
    const h = await harness({ sandbox: { rerunDurationMs: 1_500 } });
    expect((await status(h.url, 'Leads')).body).toMatchObject({ module: 'Leads', ruleCount: 3, computing: false, done: true });
    const r = await rerun(h.url, 'Leads');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ module: 'Leads', scheduled: true, noRules: false, zohoCode: 'SCHEDULED' });
    expect((await status(h.url, 'Leads')).body).toMatchObject({ module: 'Leads', ruleCount: 3, computing: true, done: false });
    // Poll as the admin page does, until the computation ends.
    let s = (await status(h.url, 'Leads')).body;
    while (s.computing) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      s = (await status(h.url, 'Leads')).body;
    }
    expect(s).toMatchObject({ computing: false, done: true });
    expect(h.sandbox.stats().rerun.scheduled).toBe(1);
  });

  it('rerun while one runs: 409 scheduler_busy with the Zoho code', async () => {
    const h = await harness({ sandbox: { rerunDurationMs: 60_000 } });
    expect((await rerun(h.url, 'Leads')).status).toBe(202);
    const busy = await rerun(h.url, 'Leads');
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ error: 'scheduler_busy', zohoCode: 'CANNOT_PROCESS', zohoStatus: 400 });
    expect(h.sandbox.stats().rerun).toMatchObject({ scheduled: 1, busy: 1 });
  });

  it('status of a module without rules: 200, done, noRules', async () => {
    const h = await harness();
    expect((await status(h.url, 'Vendors_Archive')).body).toMatchObject({ ruleCount: 0, done: true, noRules: true });
  });

  it.each([
    ['rerun', 'Nope_Module', 'INVALID_DATA'],
    ['status', 'Nope_Module', 'INVALID_DATA'],
    ['rerun', 'Documents', 'INVALID_DATA'],
  ])('%s of %s (unknown to Zoho): 400 invalid_module naming module, with %s', async (op, module, code) => {
    const h = await harness();
    const r = op === 'rerun' ? await rerun(h.url, module) : await status(h.url, module);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_module', field: 'module', zohoCode: code });
  });

  it('a module name that is not an API name: 400 invalid_input before any call', async () => {
    const h = await harness();
    const r = await rerun(h.url, '1abc');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_input', field: 'module' });
    expect(r.body.expected).toMatch(/module API name/);
    expect(h.sandbox.stats().requests).toBe(0);
  });
});

describe('revoke one record', () => {
  it('200 revoked, then 200 { revoked: false, alreadyNotShared: true }', async () => {
    const h = await harness();
    const first = await revoke(h.url, 'Contacts', contactId(0));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ module: 'Contacts', recordId: contactId(0), revoked: true, alreadyNotShared: false, zohoCode: 'SUCCESS' });
    const second = await revoke(h.url, 'Contacts', contactId(0));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ revoked: false, alreadyNotShared: true, zohoCode: 'BAD_REQUEST' });
    expect(h.sandbox.record('Contacts', contactId(0))).toMatchObject({ shares: 0, revokeCalls: 2, revokeSuccesses: 1 });
  });

  it('a 19-digit id above 2^53 is revoked exactly, and answered as the same string', async () => {
    const h = await harness();
    const id = '4150868000001148213';
    const r = await revoke(h.url, 'Contacts', id);
    expect(r.body.recordId).toBe(id);
    expect(h.sandbox.record('Contacts', id)).toMatchObject({ revokeSuccesses: 1 });
    expect(h.sandbox.stats().revoke.calls).toBe(1);
  });

  it.each([
    ['letters in the id', 'Contacts', '4150868000001148x12', 'recordId', /1-19 digits/],
    ['a 20-digit id', 'Contacts', '41508680000011482120', 'recordId', /1-19 digits/],
    ['a module that is not an API name', '9Contacts', contactId(0), 'module', /module API name/],
    ['Events', 'Events', contactId(0), 'module', /not Events, Calls or Tasks/],
    ['Tasks', 'Tasks', contactId(0), 'module', /not Events, Calls or Tasks/],
  ])('%s: 400 invalid_input naming %s, nothing sent', async (_name, module, id, field, expected) => {
    const h = await harness();
    const r = await revoke(h.url, module, id);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_input', field });
    expect(r.body.expected).toMatch(expected);
    expect(h.sandbox.stats().requests).toBe(0);
  });

  it('malformed percent-encoding in the path: 400 naming the path', async () => {
    const h = await harness();
    const r = await revoke(h.url, 'Contacts', '%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('path');
  });

  it.each([
    ['a module Zoho does not know', 'Nope_Module', contactId(0), 'invalid_module', 'module', 'INVALID_MODULE'],
    ['a module the API does not support', 'Documents', contactId(0), 'invalid_module', 'module', 'INVALID_MODULE'],
    ['a Leads id under Contacts', 'Contacts', leadId(0), 'invalid_record_id', 'recordId', 'INVALID_DATA'],
    ['an id that does not exist', 'Contacts', '1', 'invalid_record_id', 'recordId', 'INVALID_DATA'],
  ])('%s: 400 %s naming %s, with Zoho code %s', async (_name, module, id, error, field, code) => {
    const h = await harness();
    const r = await revoke(h.url, module, id);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error, field, zohoCode: code, zohoStatus: 400 });
    expect(r.body.expected).toBeTruthy();
  });
});

describe('Zoho auth, scope and permission failures: 502 with the Zoho code', () => {
  it('a bad access token: 502 zoho_authentication_failed, INVALID_TOKEN', async () => {
    const h = await harness({ zoho: { auth: { accessToken: 'not-a-valid-token-123' } } });
    const r = await revoke(h.url, 'Contacts', contactId(0));
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ error: 'zoho_authentication_failed', zohoCode: 'INVALID_TOKEN', zohoStatus: 401 });
  });

  it('a token without scopes: rerun and revoke 502 zoho_scope_mismatch, OAUTH_SCOPE_MISMATCH', async () => {
    const h = await harness({ sandbox: { seed: faultSeed() }, zoho: { auth: { accessToken: 'token-without-scopes' } } });
    for (const r of [await rerun(h.url, 'Leads'), await revoke(h.url, 'Contacts', contactId(0)), await status(h.url, 'Leads')]) {
      expect(r.status).toBe(502);
      expect(r.body).toMatchObject({ error: 'zoho_scope_mismatch', zohoCode: 'OAUTH_SCOPE_MISMATCH', zohoStatus: 401 });
    }
  });

  it('a linking module (Zoho refuses revoke there with a scope error): 502 OAUTH_SCOPE_MISMATCH', async () => {
    const h = await harness({ sandbox: { seed: faultSeed() } });
    const r = await revoke(h.url, 'Deals_X_Contacts', '4150868000004000001');
    expect(r.status).toBe(502);
    expect(r.body.zohoCode).toBe('OAUTH_SCOPE_MISMATCH');
  });

  it('a user without the share permission: 502 zoho_permission_denied, NO_PERMISSION', async () => {
    const h = await harness({ sandbox: { seed: faultSeed() }, zoho: { auth: { accessToken: 'token-no-share-permission' } } });
    const r = await revoke(h.url, 'Contacts', contactId(0));
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ error: 'zoho_permission_denied', zohoCode: 'NO_PERMISSION', zohoStatus: 403 });
  });

  it('a refresh grant Zoho Accounts refuses: 502 zoho_token_refresh_failed with its error code', async () => {
    const h = await harness({ zoho: { auth: { clientId: DEMO_CREDENTIALS.clientId, clientSecret: 'wrong-client-secret', refreshToken: DEMO_CREDENTIALS.refreshToken } } });
    const r = await rerun(h.url, 'Leads');
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ error: 'zoho_token_refresh_failed', zohoCode: 'invalid_client' });
  });
});

describe('Zoho limits and outages', () => {
  it('rate limited with Retry-After from Zoho: 503 passing the Retry-After on', async () => {
    const h = await harness({ sandbox: { dailyCredits: 0, retryAfterSeconds: 7 }, zoho: { maxRetries: 0 } });
    const r = await revoke(h.url, 'Contacts', contactId(0));
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.body).toMatchObject({ error: 'zoho_rate_limited', zohoCode: 'TOO_MANY_REQUESTS', zohoStatus: 429, retryAfterSeconds: 7 });
  });

  it('rate limited without Retry-After (Zoho documents none): 503 with a default Retry-After', async () => {
    const h = await harness({ sandbox: { dailyCredits: 0 }, zoho: { maxRetries: 0 } });
    const r = await rerun(h.url, 'Leads');
    expect(r.status).toBe(503);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('Zoho 5xx (after the client\'s retries): 502 zoho_server_error with INTERNAL_ERROR', async () => {
    const h = await harness({ sandbox: { errorRate: 1 }, zoho: { maxRetries: 1, retry: { baseDelayMs: 1, maxDelayMs: 1 } } });
    const r = await revoke(h.url, 'Contacts', contactId(0));
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ error: 'zoho_server_error', zohoCode: 'INTERNAL_ERROR', zohoStatus: 500 });
    expect(h.sandbox.stats().injectedErrors).toBe(2); // the first attempt and one retry
    expect(h.sandbox.record('Contacts', contactId(0))!.shares).toBe(1);
  });

  it('Zoho unreachable: 502 zoho_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const h = await harness({ zoho: { baseUrl: `http://127.0.0.1:${port}/crm/v8`, maxRetries: 0 } });
    const r = await status(h.url, 'Leads');
    expect(r.status).toBe(502);
    expect(r.body.error).toBe('zoho_unreachable');
  });

  it('Zoho too slow: 504 zoho_timeout', async () => {
    const h = await harness({ sandbox: { latencyMs: 3_000 }, zoho: { timeoutMs: 100, maxRetries: 0 } });
    const r = await status(h.url, 'Leads');
    expect(r.status).toBe(504);
    expect(r.body.error).toBe('zoho_timeout');
  });
});
