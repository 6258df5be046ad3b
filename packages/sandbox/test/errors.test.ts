// Every error the sandbox can send is one of the spec's named examples. For each, a request that
// produces it, and the body must equal the example exactly, as the spec has it (not as this test
// types it). A second test reads the sandbox's source for the example names it can answer with, so
// an error added without a case here fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { responseExamples, spec } from '@zcrm-sharing/openapi/testing/spec';
import { describe, expect, it } from 'vitest';
import { call, gate, GROUP, ID, RUN, ROLE, share, specExample, SUMMARY, testSeed, useSandbox, USER } from './helpers.ts';

const { start } = useSandbox();
const UNSHARED = '4150868000001148221';
const one = (type: string, id: string) => ({ shared_with: { type, id }, permission: 'read_only', type: 'private' });
const many = (type: string, id: (i: number) => string, n: number) => Array.from({ length: n }, (_, i) => one(type, id(i)));
const body = (b: unknown) => ({ body: b });

type Setup = 'busy' | 'credits' | 'concurrency' | 'fault' | 'full-users' | 'full-roles' | 'full-groups' | 'refusing-seed';
type Case = [label: string, operationId: string, example: string, method: string, path: string, token?: string | null, options?: { body?: unknown; headers?: Record<string, string> }, setup?: Setup];
const INACTIVE = '4150868000000229999';
/** A seed whose state makes the refusals Zoho documents: a record shared to the caller (not re-shareable),
 *  an org without Feeds, a module without related records, an inactive user. */
function refusingSeed() {
  const seed = testSeed();
  seed.records = seed.records!.map((r) => (r.id === ID ? { ...r, reshareable: false } : r));
  seed.modules = seed.modules!.map((m) => (m.apiName === 'Leads' ? { ...m, relatedRecords: false } : m));
  seed.orgs = [{ name: 'default', feeds: false }];
  seed.directory!.users!.push({ id: INACTIVE, name: 'Left the company', active: false });
  return seed;
}
const LEAD = '4150868000002000009'; // an unshared Leads record of the demo seed

const RULES: Case[] = [
  ['rerun without module', 'rerunDataSharingRules', 'REQUIRED_PARAM_MISSING', 'POST', RUN],
  ['rerun of an unknown module', 'rerunDataSharingRules', 'INVALID_DATA', 'POST', `${RUN}?module=Nope`],
  ['rerun while one runs', 'rerunDataSharingRules', 'CANNOT_PROCESS', 'POST', `${RUN}?module=Leads`, undefined, undefined, 'busy'],
  ['rerun with GET', 'rerunDataSharingRules', 'INVALID_REQUEST_METHOD', 'GET', `${RUN}?module=Leads`],
  ['rerun without a token', 'rerunDataSharingRules', 'AUTHENTICATION_FAILURE', 'POST', `${RUN}?module=Leads`, null],
  ['rerun with an unknown token', 'rerunDataSharingRules', 'INVALID_TOKEN', 'POST', `${RUN}?module=Leads`, 'nope'],
  ['rerun without the scope', 'rerunDataSharingRules', 'OAUTH_SCOPE_MISMATCH', 'POST', `${RUN}?module=Leads`, 'contacts-only'],
  ['rerun without the permission', 'rerunDataSharingRules', 'NO_PERMISSION', 'POST', `${RUN}?module=Leads`, 'no-data-sharing-permission'],
  ['rerun on v7', 'rerunDataSharingRules', 'INVALID_URL_PATTERN', 'POST', '/crm/v7/settings/data_sharing/rules/actions/run?module=Leads'],
  ['rerun over the concurrency limit', 'rerunDataSharingRules', 'TOO_MANY_REQUESTS', 'POST', `${RUN}?module=Leads`, undefined, undefined, 'concurrency'],
  ['rerun over the credits', 'rerunDataSharingRules', 'TOO_MANY_REQUESTS_CREDITS', 'POST', `${RUN}?module=Leads`, undefined, undefined, 'credits'],
  ['rerun with a fault', 'rerunDataSharingRules', 'INTERNAL_ERROR', 'POST', `${RUN}?module=Leads`, undefined, undefined, 'fault'],
  ['summary of an unknown module', 'getDataSharingRulesSummary', 'INVALID_DATA', 'GET', `${SUMMARY}?module=Nope`],
  ['summary with POST', 'getDataSharingRulesSummary', 'INVALID_REQUEST_METHOD', 'POST', SUMMARY],
  ['summary without the scope', 'getDataSharingRulesSummary', 'OAUTH_SCOPE_MISMATCH', 'GET', SUMMARY, 'rules-only'],
  ['summary without the permission', 'getDataSharingRulesSummary', 'NO_PERMISSION', 'GET', SUMMARY, 'no-data-sharing-permission'],
  ['summary on v2', 'getDataSharingRulesSummary', 'INVALID_URL_PATTERN', 'GET', '/crm/v2/settings/data_sharing/rules/actions/summary'],
  ['summary over the credits', 'getDataSharingRulesSummary', 'TOO_MANY_REQUESTS_CREDITS', 'GET', SUMMARY, undefined, undefined, 'credits'],
];

const SHARES: Case[] = [
  ['revoke, unknown record', 'revokeSharedRecord', 'INVALID_DATA', 'DELETE', share('Contacts', '1')],
  ['revoke, nothing to revoke', 'revokeSharedRecord', 'BAD_REQUEST', 'DELETE', share('Contacts', UNSHARED)],
  ['revoke, unknown module', 'revokeSharedRecord', 'INVALID_MODULE', 'DELETE', share('Nope', ID)],
  ['revoke, unsupported module', 'revokeSharedRecord', 'INVALID_MODULE_UNSUPPORTED', 'DELETE', share('Documents', ID)],
  ['revoke, Events', 'revokeSharedRecord', 'OAUTH_SCOPE_MISMATCH', 'DELETE', share('Events', ID)],
  ['revoke, read-only user', 'revokeSharedRecord', 'AUTHORIZATION_FAILED', 'DELETE', share('Contacts', ID), 'read-only'],
  ['revoke, no share permission', 'revokeSharedRecord', 'NO_PERMISSION', 'DELETE', share('Contacts', ID), 'no-share-permission'],
  ['revoke, URL with a typo', 'revokeSharedRecord', 'INVALID_URL_PATTERN', 'DELETE', '/crm/v8/Contacts/1/actions/shar'],
  ['revoke, a fault', 'revokeSharedRecord', 'INTERNAL_ERROR', 'DELETE', share('Contacts', ID), undefined, undefined, 'fault'],
  ['share URL, PATCH', 'getSharedRecordDetails', 'INVALID_REQUEST_METHOD', 'PATCH', share('Contacts', ID)],
  ['GET, record of another module', 'getSharedRecordDetails', 'INVALID_DATA', 'GET', share('Contacts', '4150868000002000000')],
  ['GET, unknown module', 'getSharedRecordDetails', 'INVALID_MODULE', 'GET', share('Nope', ID)],
  ['GET, unsupported module', 'getSharedRecordDetails', 'INVALID_MODULE_UNSUPPORTED', 'GET', share('Documents', ID)],
  ['GET, DELETE-only token', 'getSharedRecordDetails', 'OAUTH_SCOPE_MISMATCH', 'GET', share('Contacts', ID), 'contacts-only'],
  ['GET, expired token', 'getSharedRecordDetails', 'INVALID_TOKEN', 'GET', share('Contacts', ID), 'expired'],
  ['POST, no share permission', 'shareRecord', 'NO_PERMISSION', 'POST', share('Contacts', ID), 'no-share-permission', body({ share: [one('users', USER(1))] })],
  ['POST, no body', 'shareRecord', 'MANDATORY_NOT_FOUND', 'POST', share('Contacts', ID)],
  ['POST, a bad top-level field', 'shareRecord', 'INVALID_DATA_BODY', 'POST', share('Contacts', ID), undefined, body({ share: [one('users', USER(1))], notify_shared_members: 'yes' })],
  ['POST, 21 entries', 'shareRecord', 'INVALID_DATA_TOO_MANY_ENTRIES', 'POST', share('Contacts', ID), undefined, body({ share: many('users', () => USER(1), 21) })],
  ['POST, entry without permission', 'shareRecord', 'MANDATORY_NOT_FOUND_ENTRY', 'POST', share('Contacts', ID), undefined, body({ share: [{ shared_with: { type: 'users', id: USER(1) }, type: 'private' }] })],
  ['POST, entry with a bad permission', 'shareRecord', 'INVALID_DATA_PERMISSION', 'POST', share('Contacts', ID), undefined, body({ share: [{ ...one('users', USER(1)), permission: 'owner' }] })],
  ['POST, entry with a bad type', 'shareRecord', 'INVALID_DATA_TYPE', 'POST', share('Contacts', ID), undefined, body({ share: [{ ...one('users', USER(1)), type: 'everyone' }] })],
  ['POST, entry with a non-boolean share_related_records', 'shareRecord', 'INVALID_DATA_ENTRY', 'POST', share('Contacts', ID), undefined, body({ share: [{ ...one('users', USER(1)), share_related_records: 'yes' }] })],
  ['POST, two public entries', 'shareRecord', 'AMBIGUITY_DURING_PROCESSING', 'POST', share('Contacts', UNSHARED), undefined, body({ share: [{ ...one('users', USER(1)), type: 'public' }, { ...one('users', USER(2)), type: 'public' }] })],
  ['POST, a user who already has access', 'shareRecord', 'INVALID_DATA_ALREADY_VISIBLE', 'POST', share('Contacts', ID), undefined, body({ share: [one('users', USER(0))] })],
  ['POST, unsupported module', 'shareRecord', 'NOT_ALLOWED_MODULE', 'POST', share('Documents', ID), undefined, body({ share: [one('users', USER(1))] })],
  ['POST, a record shared to the caller', 'shareRecord', 'INVALID_DATA_SHARED_RECORD', 'POST', share('Contacts', ID), undefined, body({ share: [one('users', USER(1))] }), 'refusing-seed'],
  ['POST, notify_shared_members without Feeds', 'shareRecord', 'NOT_ALLOWED_FEEDS', 'POST', share('Contacts', UNSHARED), undefined, body({ share: [one('users', USER(1))], notify_shared_members: true }), 'refusing-seed'],
  ['POST, related records on a module without them', 'shareRecord', 'INVALID_DATA_RELATED_RECORDS', 'POST', share('Leads', LEAD), undefined, body({ share: [{ ...one('users', USER(1)), share_related_records: true }] }), 'refusing-seed'],
  ['POST, an inactive user', 'shareRecord', 'INVALID_DATA_CANNOT_SHARE_TO_USER', 'POST', share('Contacts', UNSHARED), undefined, body({ share: [one('users', INACTIVE)] }), 'refusing-seed'],
  ['POST, one valid entry and one naming no user', 'shareRecord', 'PARTIAL', 'POST', share('Contacts', UNSHARED), undefined, body({ share: [one('users', USER(1)), one('users', '2')] })],
  ['PUT, one valid entry and one naming no user', 'updateRecordShares', 'PARTIAL', 'PUT', share('Contacts', ID), undefined, body({ share: [one('users', USER(1)), one('users', '2')] })],
  ['PUT, a record shared to the caller', 'updateRecordShares', 'INVALID_DATA_SHARED_RECORD', 'PUT', share('Contacts', ID), undefined, body({ share: [one('users', USER(1))] }), 'refusing-seed'],
  ['PUT, two public entries', 'updateRecordShares', 'AMBIGUITY_DURING_PROCESSING', 'PUT', share('Contacts', ID), undefined, body({ share: [{ ...one('users', USER(1)), type: 'public' }, { ...one('roles', ROLE(1)), type: 'public' }] })],
  ['POST, unknown user', 'shareRecord', 'INVALID_DATA_USER_ID', 'POST', share('Contacts', ID), undefined, body({ share: [one('users', '2')] })],
  ['POST, unknown role', 'shareRecord', 'INVALID_DATA_ROLE_ID', 'POST', share('Contacts', ID), undefined, body({ share: [one('roles', '2')] })],
  ['POST, unknown group', 'shareRecord', 'INVALID_DATA_GROUP_ID', 'POST', share('Contacts', ID), undefined, body({ share: [one('groups', '2')] })],
  ['POST, an 11th user', 'shareRecord', 'LIMIT_EXCEEDED_USERS', 'POST', share('Contacts', UNSHARED), undefined, body({ share: [one('users', USER(10))] }), 'full-users'],
  ['POST, a 6th role', 'shareRecord', 'LIMIT_EXCEEDED_ROLES', 'POST', share('Contacts', UNSHARED), undefined, body({ share: [one('roles', ROLE(5))] }), 'full-roles'],
  ['POST, a 6th group', 'shareRecord', 'LIMIT_EXCEEDED_GROUPS', 'POST', share('Contacts', UNSHARED), undefined, body({ share: [one('groups', GROUP(5))] }), 'full-groups'],
  ['GET, view=bogus', 'getSharedRecordDetails', 'PATTERN_NOT_MATCHED_VIEW', 'GET', `${share('Contacts', ID)}?view=bogus`],
  ['GET, approved=yes', 'getSharedRecordDetails', 'PATTERN_NOT_MATCHED_APPROVED', 'GET', `${share('Contacts', ID)}?approved=yes`],
  ['GET, sharedTo not an id', 'getSharedRecordDetails', 'PATTERN_NOT_MATCHED_SHARED_TO', 'GET', `${share('Contacts', ID)}?sharedTo=me`],
  ['GET, current_user=1', 'getSharedRecordDetails', 'PATTERN_NOT_MATCHED_CURRENT_USER', 'GET', `${share('Contacts', ID)}?current_user=1`],
  ['POST, bad record id', 'shareRecord', 'INVALID_DATA', 'POST', share('Contacts', 'x'), undefined, body({ share: [one('users', USER(1))] })],
  ['PUT, read-only user', 'updateRecordShares', 'NO_PERMISSION', 'PUT', share('Contacts', ID), 'read-only', body({ share: [one('users', USER(1))] })],
  ['PUT, empty share array', 'updateRecordShares', 'MANDATORY_NOT_FOUND', 'PUT', share('Contacts', ID), undefined, body({ share: [] })],
  ['PUT, unknown user', 'updateRecordShares', 'INVALID_DATA_USER_ID', 'PUT', share('Contacts', ID), undefined, body({ share: [one('users', '2')] })],
  ['PUT, over the concurrency limit', 'updateRecordShares', 'TOO_MANY_REQUESTS', 'PUT', share('Contacts', ID), undefined, body({ share: [one('users', USER(1))] }), 'concurrency'],
];

const CASES = [...RULES, ...SHARES];

async function produce(c: Case) {
  const [, , , method, path, token, options, setup] = c;
  const g = gate();
  const s = await start({
    ...(setup === 'refusing-seed' ? { seed: refusingSeed() } : {}),
    rerunDurationMs: 60_000,
    ...(setup === 'credits' ? { dailyCredits: 0 } : {}),
    ...(setup === 'concurrency' ? { concurrencyLimit: 1, latencyMs: 1, delay: g.delay } : {}),
    ...(setup === 'fault' ? { errorRate: 1, random: () => 0 } : {}),
  });
  if (setup === 'busy') await call(s, 'POST', `${RUN}?module=Leads`);
  const full = { 'full-users': many('users', USER, 10), 'full-roles': many('roles', ROLE, 5), 'full-groups': many('groups', GROUP, 5) } as Record<string, unknown[]>;
  if (setup && full[setup]) expect((await call(s, 'POST', share('Contacts', UNSHARED), undefined, body({ share: full[setup] }))).status).toBe(201);
  let holder: Promise<unknown> | undefined;
  if (setup === 'concurrency') {
    holder = call(s, 'GET', share('Contacts', ID));
    await g.until(1);
  }
  const r = await call(s, method, path, token, options);
  g.open();
  await holder;
  return r;
}

describe('every error the sandbox can produce is the named spec example, exactly', () => {
  it.each(CASES)('%s: %s %s', async (...c) => {
    const [, operationId, name] = c;
    const want = specExample(operationId, name);
    const r = await produce(c);
    expect(r.status).toBe(want.status);
    expect(r.body).toEqual(want.value);
  });
});

describe('the cases above cover the sandbox', () => {
  const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
  const source = readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.parentPath.includes('generated'))
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'))
    .join('\n');
  const exampleNames = new Set(responseExamples().map((e) => e.name));
  // Names the source mentions as string literals, and the ones the spec's parameters name for it.
  const inSource = new Set([...source.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!).filter((n) => exampleNames.has(n)));
  const fromSpec = Object.values<any>(spec.components.parameters).flatMap((p) => [p['x-zoho-error-when-missing'], p['x-zoho-error-when-invalid']]).filter(Boolean);
  const covered = new Set(CASES.map((c) => c[2]));

  it('every example name the sandbox can answer with has a case', () => {
    const names = [...new Set([...inSource, ...fromSpec])].filter((n) => !['SCHEDULED', 'SUCCESS'].includes(n));
    expect(names.length).toBeGreaterThan(20); // the scan found the handlers' names
    expect(names.filter((n) => !covered.has(n))).toEqual([]);
  });

  it('each operation is covered for each 4xx/5xx status the sandbox answers it with', () => {
    const statuses = (op: string) => new Set(CASES.filter((c) => c[1] === op).map((c) => specExample(op, c[2]).status));
    expect([...statuses('rerunDataSharingRules')].sort()).toEqual([400, 401, 403, 404, 429, 500]);
    expect([...statuses('revokeSharedRecord')].sort()).toEqual([400, 401, 403, 404, 500]);
    expect([...statuses('shareRecord')].sort()).toEqual([207, 400, 403]);
    expect([...statuses('updateRecordShares')].sort()).toEqual([207, 400, 403, 429]);
  });
});
