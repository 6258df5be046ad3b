// The spec served by Prism (`pnpm mock`): what a user mocking the API from the spec gets.
// Prism serves the spec's paths without the server's `/crm/{version}` prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism, type PrismMock } from '../testing/prism.ts';
import { requestExamples, responseExamples } from '../testing/spec.ts';

const AUTH = { Authorization: 'Zoho-oauthtoken 1000.mock.token' };
const RERUN = '/settings/data_sharing/rules/actions/run';
const SUMMARY = '/settings/data_sharing/rules/actions/summary';
const REVOKE = (module: string, id: string) => `/${module}/${id}/actions/share`;

let prism: PrismMock;
beforeAll(async () => {
  prism = await startPrism();
});
afterAll(async () => {
  await prism?.stop();
});

async function call(method: string, path: string, headers: Record<string, string> = AUTH, body?: unknown) {
  const res = await fetch(prism.url + path, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    violations: JSON.parse(res.headers.get('sl-violations') ?? '[]') as { code: string | number; message: string }[],
    body: text ? JSON.parse(text) : undefined,
  };
}

const example = (operationId: string, status: string, name: string) =>
  responseExamples().find((e) => e.operationId === operationId && e.status === status && e.name === name)!.value;
const SHARE_BODY = requestExamples()[0]!.value;

describe('valid requests get the success examples', () => {
  it('rerun Leads: 200 SCHEDULED', async () => {
    const r = await call('POST', `${RERUN}?module=Leads`);
    expect(r.status).toBe(200);
    expect(r.violations).toEqual([]);
    expect(r.body).toEqual(example('rerunDataSharingRules', '200', 'SCHEDULED'));
  });

  it('rerun of a custom module name is accepted', async () => {
    const r = await call('POST', `${RERUN}?module=Projects_X`);
    expect(r.status).toBe(200);
  });

  it('revoke Contacts/4150868000001148212: 200 SUCCESS with the id as a string', async () => {
    const r = await call('DELETE', REVOKE('Contacts', '4150868000001148212'));
    expect(r.status).toBe(200);
    expect(r.violations).toEqual([]);
    expect(r.body).toEqual(example('revokeSharedRecord', '200', 'SUCCESS'));
    expect(r.body.share.details.id).toBe('4150868000001148212');
  });

  it('summary without module (every module): 200', async () => {
    const r = await call('GET', SUMMARY);
    expect(r.status).toBe(200);
    expect(r.violations).toEqual([]);
  });

  it('shares of a record: 200 with Zoho-shaped entries', async () => {
    const r = await call('GET', REVOKE('Contacts', '4150868000001148212'));
    expect(r.status).toBe(200);
    expect(r.body).toEqual(example('getSharedRecordDetails', '200', 'SHARED'));
  });

  it('share a record with the documented body: 201, one SUCCESS per entry', async () => {
    const r = await call('POST', REVOKE('Contacts', '4150868000001148212'), AUTH, SHARE_BODY);
    expect(r.status).toBe(201);
    expect(r.violations).toEqual([]);
  });

  it('share with 21 entries: Prism rejects it (at most 20 per call)', async () => {
    const entry = (SHARE_BODY as any).share[0];
    const r = await call('POST', REVOKE('Contacts', '4150868000001148212'), AUTH, { share: Array.from({ length: 21 }, () => entry) });
    expect(r.status).toBe(400);
    expect(r.violations.map((v) => v.message).join()).toMatch(/20/);
  });

  it('summary of Leads: 200 with the computation status', async () => {
    const r = await call('GET', `${SUMMARY}?module=Leads`);
    expect(r.status).toBe(200);
    expect(typeof r.body.sharing_rules_summary[0].rule_computation_status).toBe('boolean');
  });
});

describe('every example can be selected with Prefer: code=..., example=...', () => {
  const cases = responseExamples().map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const);
  it.each(cases)('%s', async (_label, e) => {
    const path = e.path.startsWith('/{module_api_name}')
      ? REVOKE('Contacts', '4150868000001148212')
      : `${e.operationId === 'rerunDataSharingRules' ? RERUN : SUMMARY}?module=Leads`;
    const body = e.method === 'POST' || e.method === 'PUT' ? (e.path.startsWith('/{module_api_name}') ? SHARE_BODY : undefined) : undefined;
    const r = await call(e.method, path, { ...AUTH, Prefer: `code=${e.status}, example=${e.name}` }, body);
    expect(r.status).toBe(Number(e.status));
    expect(r.body).toEqual(e.value);
  });

  it.each([
    ['summary (no rules)', `${SUMMARY}?module=Leads`, 'GET'],
    ['summary of every module (no rules at all)', SUMMARY, 'GET'],
    ['rerun (module without rules)', `${RERUN}?module=Leads`, 'POST'],
    ['shares of a record shared with no one', REVOKE('Contacts', '4150868000001148212'), 'GET'],
  ])('204 is selectable: %s', async (_label, path, method) => {
    const r = await call(method, path, { ...AUTH, Prefer: 'code=204' });
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
  });
});

describe('Prism rejects what the spec forbids, answering with the Zoho example of that status', () => {
  it('rerun without module: 400 REQUIRED_PARAM_MISSING, violation names `module`', async () => {
    const r = await call('POST', RERUN);
    expect(r.status).toBe(400);
    expect(r.violations.map((v) => v.message).join()).toMatch(/module/);
    expect(r.body.code).toBe('REQUIRED_PARAM_MISSING');
  });

  it('revoke with a non-numeric record id: 400 INVALID_DATA ENTITY_ID_INVALID', async () => {
    const r = await call('DELETE', REVOKE('Contacts', 'abc'));
    expect(r.status).toBe(400);
    expect(r.violations.map((v) => v.message).join()).toMatch(/record_id/);
    expect(r.body).toMatchObject({ code: 'INVALID_DATA', message: 'ENTITY_ID_INVALID', details: { resource_path_index: 1 } });
  });

  it('revoke with a 20-digit record id: 400 INVALID_DATA', async () => {
    const r = await call('DELETE', REVOKE('Contacts', '41508680000011482120'));
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('INVALID_DATA');
  });

  it.each([
    ['POST', `${RERUN}?module=Leads`],
    ['DELETE', REVOKE('Contacts', '4150868000001148212')],
  ])('%s %s without Authorization: 401 AUTHENTICATION_FAILURE', async (method, path) => {
    const r = await call(method, path, {});
    expect(r.status).toBe(401);
    expect(r.violations.length).toBeGreaterThan(0);
    expect(r.body.code).toBe('AUTHENTICATION_FAILURE');
  });
});

// Where Prism cannot behave like Zoho. Each case is named in the README's mocking section; these tests
// pin Prism's actual behaviour so the README is corrected when Prism changes.
describe('Prism limitations (documented in the README): problem+json instead of Zoho envelopes', () => {
  it('a wrong HTTP method: Prism 405 problem+json, Zoho 400 INVALID_REQUEST_METHOD', async () => {
    const r = await call('PATCH', REVOKE('Contacts', '4150868000001148212'));
    expect(r.status).toBe(405);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.type).toMatch(/NO_METHOD_MATCHED_ERROR/);
  });

  it('an unknown path: Prism 404 problem+json, Zoho 404 INVALID_URL_PATTERN', async () => {
    const r = await call('POST', '/settings/data_sharing/rules/actions/nope');
    expect(r.status).toBe(404);
    expect(r.type).toContain('application/problem+json');
    expect(r.body.type).toMatch(/NO_PATH_MATCHED_ERROR/);
  });

  it('the /crm/{version} server prefix is not served: point clients at the bare mock origin', async () => {
    const r = await call('POST', `/crm/v8${RERUN}?module=Leads`);
    expect(r.status).toBe(404);
    expect(r.type).toContain('application/problem+json');
  });

  it('the Zoho-oauthtoken prefix is not checked: any Authorization value passes (a Bearer token too)', async () => {
    const r = await call('POST', `${RERUN}?module=Leads`, { Authorization: 'Bearer not-a-zoho-token' });
    expect(r.status).toBe(200);
  });

  it('no memory: a second rerun of the same module is SCHEDULED again (Zoho: CANNOT_PROCESS); use the sandbox', async () => {
    const a = await call('POST', `${RERUN}?module=Deals`);
    const b = await call('POST', `${RERUN}?module=Deals`);
    expect([a.status, b.status]).toEqual([200, 200]);
  });
});
