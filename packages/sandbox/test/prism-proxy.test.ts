// Conformance through a third party: Prism in proxy mode with --errors validates every request and
// every sandbox response against the spec. A scripted session reaches every documented status of both
// endpoints (and the summary); any contract violation makes Prism answer with its own error instead.
import { startPrism, type PrismMock } from '@zcrm-sharing/openapi/testing/prism';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.ts';
import { ID, testSeed, TOKEN } from './helpers.ts';

let sandbox: Sandbox;
let v8: PrismMock; // proxies to /crm/v8
let v1: PrismMock; // proxies to /crm/v1, a version that does not exist: 404 for every path

beforeAll(async () => {
  sandbox = await startSandbox({ seed: testSeed(), rerunDurationMs: 60_000 });
  [v8, v1] = await Promise.all([
    startPrism({ upstream: sandbox.apiBaseUrl, args: ['--errors'] }),
    startPrism({ upstream: `${sandbox.url}/crm/v1`, args: ['--errors'] }),
  ]);
});
afterAll(async () => {
  await Promise.all([v8?.stop(), v1?.stop()]);
  await sandbox?.close();
});

async function via(proxy: PrismMock, method: string, path: string, token: string = TOKEN, body?: unknown) {
  const res = await fetch(proxy.url + path, {
    method,
    headers: { authorization: `Zoho-oauthtoken ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    violations: res.headers.get('sl-violations'),
    body: text ? JSON.parse(text) : undefined,
  };
}

const RUN = '/settings/data_sharing/rules/actions/run';
const SUMMARY = '/settings/data_sharing/rules/actions/summary';
const SHARE = (m: string, id: string) => `/${m}/${id}/actions/share`;

const SHARE_WITH = (type: string, id: string, permission = 'read_only') => ({ share: [{ shared_with: { type, id }, permission, type: 'private' }] });
const UNSHARED = '4150868000001148221';

// [label, proxy, setup, method, path, token, expected status, expected code, body]
type Step = [string, () => PrismMock, (() => void) | null, string, string, string, number, string | null, unknown?];
const SESSION: Step[] = [
  ['rerun scheduled', () => v8, null, 'POST', `${RUN}?module=Leads`, TOKEN, 200, 'SCHEDULED'],
  ['rerun while running', () => v8, null, 'POST', `${RUN}?module=Leads`, TOKEN, 400, 'CANNOT_PROCESS'],
  ['rerun unknown module', () => v8, null, 'POST', `${RUN}?module=Nope`, TOKEN, 400, 'INVALID_DATA'],
  ['rerun without scope', () => v8, null, 'POST', `${RUN}?module=Deals`, 'contacts-only', 401, 'OAUTH_SCOPE_MISMATCH'],
  ['rerun unknown token', () => v8, null, 'POST', `${RUN}?module=Deals`, 'nope', 401, 'INVALID_TOKEN'],
  ['rerun on a version without it', () => v1, null, 'POST', `${RUN}?module=Deals`, TOKEN, 404, 'INVALID_URL_PATTERN'],
  ['summary computing', () => v8, null, 'GET', `${SUMMARY}?module=Leads`, TOKEN, 200, null],
  ['summary no rules', () => v8, null, 'GET', `${SUMMARY}?module=Vendors_Archive`, TOKEN, 204, null],
  ['summary of every module', () => v8, null, 'GET', SUMMARY, TOKEN, 200, null],
  ['summary without the permission', () => v8, null, 'GET', SUMMARY, 'no-data-sharing-permission', 403, 'NO_PERMISSION'],
  ['rerun of a module without rules', () => v8, null, 'POST', `${RUN}?module=Vendors_Archive`, TOKEN, 204, null],
  ['rerun without the permission', () => v8, null, 'POST', `${RUN}?module=Deals`, 'no-data-sharing-permission', 403, 'NO_PERMISSION'],
  ['shares of a shared record', () => v8, null, 'GET', SHARE('Contacts', ID), TOKEN, 200, null],
  ['shares of an unshared record', () => v8, null, 'GET', SHARE('Contacts', UNSHARED), TOKEN, 204, null],
  ['share a record', () => v8, null, 'POST', SHARE('Contacts', UNSHARED), TOKEN, 201, 'SUCCESS', SHARE_WITH('roles', '4150868000000231001')],
  ['share with no one that exists', () => v8, null, 'POST', SHARE('Contacts', UNSHARED), TOKEN, 400, 'INVALID_DATA', SHARE_WITH('users', '1')],
  ['share without the permission', () => v8, null, 'POST', SHARE('Contacts', UNSHARED), 'no-share-permission', 403, 'NO_PERMISSION', SHARE_WITH('users', '4150868000000224005')],
  ['replace the shares', () => v8, null, 'PUT', SHARE('Contacts', UNSHARED), TOKEN, 201, 'SUCCESS', SHARE_WITH('groups', '4150868000000232001', 'read_write')],
  ['shares on a version that does not exist', () => v1, null, 'GET', SHARE('Contacts', ID), TOKEN, 404, 'INVALID_URL_PATTERN'],
  ['revoke', () => v8, null, 'DELETE', SHARE('Contacts', ID), TOKEN, 200, 'SUCCESS'],
  ['revoke again', () => v8, null, 'DELETE', SHARE('Contacts', ID), TOKEN, 400, 'BAD_REQUEST'],
  ['revoke unknown id', () => v8, null, 'DELETE', SHARE('Contacts', '1'), TOKEN, 400, 'INVALID_DATA'],
  ['revoke unknown module', () => v8, null, 'DELETE', SHARE('Nope', ID), TOKEN, 400, 'INVALID_MODULE'],
  ['revoke unsupported module', () => v8, null, 'DELETE', SHARE('Documents', ID), TOKEN, 400, 'INVALID_MODULE'],
  ['revoke read-only user', () => v8, null, 'DELETE', SHARE('Contacts', '4150868000001148213'), 'read-only', 400, 'AUTHORIZATION_FAILED'],
  ['revoke Events', () => v8, null, 'DELETE', SHARE('Events', ID), TOKEN, 401, 'OAUTH_SCOPE_MISMATCH'],
  ['revoke expired token', () => v8, null, 'DELETE', SHARE('Contacts', ID), 'expired', 401, 'INVALID_TOKEN'],
  ['revoke no permission', () => v8, null, 'DELETE', SHARE('Contacts', ID), 'no-share-permission', 403, 'NO_PERMISSION'],
  ['revoke on a version that does not exist', () => v1, null, 'DELETE', SHARE('Contacts', ID), TOKEN, 404, 'INVALID_URL_PATTERN'],
  ['revoke with a server fault', () => v8, () => sandbox.configure({ errorRate: 1 }), 'DELETE', SHARE('Contacts', '4150868000001148214'), TOKEN, 500, 'INTERNAL_ERROR'],
  ['rerun with a server fault', () => v8, null, 'POST', `${RUN}?module=Deals`, TOKEN, 500, 'INTERNAL_ERROR'],
  ['revoke over the credit budget', () => v8, () => sandbox.configure({ errorRate: 0, dailyCredits: 0 }), 'DELETE', SHARE('Contacts', ID), TOKEN, 429, 'TOO_MANY_REQUESTS'],
  ['rerun over the credit budget', () => v8, null, 'POST', `${RUN}?module=Deals`, TOKEN, 429, 'TOO_MANY_REQUESTS'],
  ['summary over the credit budget', () => v8, null, 'GET', `${SUMMARY}?module=Deals`, TOKEN, 429, 'TOO_MANY_REQUESTS'],
];

describe('a scripted session through prism proxy --errors reports no contract violation', () => {
  it.each(SESSION)('%s', async (_label, proxy, setup, method, path, token, status, code, body) => {
    setup?.();
    const r = await via(proxy(), method, path, token, body);
    expect(r.violations).toBeNull();
    expect(r.type).not.toContain('problem+json');
    expect(r.status).toBe(status);
    if (code) expect(r.body.code ?? r.body.share?.code ?? r.body.share?.[0]?.code ?? r.body.sharing_rules?.[0]?.code).toBe(code);
  });

  it('the session reached every status the sandbox answers, for every operation', () => {
    const reached = (method: string, op: string) => new Set(SESSION.filter((s) => s[3] === method && s[4].split('?')[0]!.endsWith(op)).map((s) => s[6]));
    expect([...reached('POST', RUN)].sort()).toEqual([200, 204, 400, 401, 403, 404, 429, 500]);
    expect([...reached('GET', SUMMARY)].sort()).toEqual([200, 204, 403, 429]);
    expect([...reached('DELETE', '/actions/share')].sort()).toEqual([200, 400, 401, 403, 404, 429, 500]);
    expect([...reached('GET', '/actions/share')].sort()).toEqual([200, 204, 404]);
    expect([...reached('POST', '/actions/share')].sort()).toEqual([201, 400, 403]);
    expect([...reached('PUT', '/actions/share')].sort()).toEqual([201]);
  });

  it('Prism does flag a violation when the upstream breaks the contract (the check can fail)', async () => {
    // An upstream that sends the record id as a JSON number, the bug this project exists to prevent.
    const body = '{"share":{"code":"SUCCESS","details":{"id":4150868000001148212},"message":"Sharing Revoked","status":"success"}}';
    const rogue = await import('node:http').then(({ createServer }) => {
      const s = createServer((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
      return new Promise<{ url: string; close: () => void }>((r) =>
        s.listen(0, '127.0.0.1', () => r({ url: `http://127.0.0.1:${(s.address() as { port: number }).port}`, close: () => s.close() })),
      );
    });
    const proxy = await startPrism({ upstream: rogue.url, args: ['--errors'] });
    try {
      const r = await via(proxy, 'DELETE', SHARE('Contacts', ID));
      expect(r.type).toContain('problem+json');
      expect(JSON.stringify(r.body)).toMatch(/id/);
    } finally {
      await proxy.stop();
      rogue.close();
    }
  });
});
