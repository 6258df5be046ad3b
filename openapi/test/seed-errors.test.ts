// Every outcome documented by the two seed documents (and the domain notes) must appear in the spec as a
// named example under the seed's HTTP status. This table is written from the seeds, not from the spec,
// so a removed or mis-filed example fails here.
import { describe, expect, it } from 'vitest';
import { deref, operation, responseExamples, spec } from '../testing/spec.ts';

type Row = [operationId: string, status: string, code: string, message: string];

const SEED_RERUN: Row[] = [
  ['rerunDataSharingRules', '200', 'SCHEDULED', 'Rerun successfully scheduled'],
  ['rerunDataSharingRules', '400', 'CANNOT_PROCESS', 'The scheduler is currently running'],
  ['rerunDataSharingRules', '400', 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'],
  ['rerunDataSharingRules', '401', 'OAUTH_SCOPE_MISMATCH', 'Unauthorized'],
  ['rerunDataSharingRules', '401', 'AUTHENTICATION_FAILURE', 'Authentication failed'],
  ['rerunDataSharingRules', '404', 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'],
  ['rerunDataSharingRules', '500', 'INTERNAL_ERROR', 'Internal Server Error'],
];

const SEED_REVOKE: Row[] = [
  ['revokeSharedRecord', '200', 'SUCCESS', 'Sharing Revoked'],
  ['revokeSharedRecord', '401', 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'],
  ['revokeSharedRecord', '404', 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one.'],
  ['revokeSharedRecord', '400', 'INVALID_DATA', 'ENTITY_ID_INVALID'],
  ['revokeSharedRecord', '400', 'BAD_REQUEST', 'No sharing through this record is available to revoke.'],
  ['revokeSharedRecord', '403', 'NO_PERMISSION', 'Permission denied to delete records'],
  ['revokeSharedRecord', '500', 'INTERNAL_ERROR', 'Internal Server Error'],
  ['revokeSharedRecord', '400', 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'],
  ['revokeSharedRecord', '400', 'AUTHORIZATION_FAILED', 'User does not have sufficient privilege to delete records'],
  ['revokeSharedRecord', '400', 'INVALID_MODULE', 'The module name given seems to be invalid'],
  ['revokeSharedRecord', '400', 'INVALID_MODULE', 'The given module is not supported in API'],
];

// Added on top of the seeds by what Zoho's own SDKs and OpenAPI files show (the project's domain notes).
const DOMAIN_NOTES: Row[] = [
  ['rerunDataSharingRules', '401', 'INVALID_TOKEN', 'invalid oauth token'],
  ['revokeSharedRecord', '401', 'INVALID_TOKEN', 'invalid oauth token'],
  ['rerunDataSharingRules', '401', 'AUTHENTICATION_FAILURE', 'Authentication failed'],
  ['revokeSharedRecord', '401', 'AUTHENTICATION_FAILURE', 'Authentication failed'],
  ['rerunDataSharingRules', '400', 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing'],
  ['rerunDataSharingRules', '400', 'INVALID_DATA', 'the module name given seems to be invalid'],
  ['rerunDataSharingRules', '429', 'TOO_MANY_REQUESTS', 'You have exceeded the concurrency limit. Please try again later.'],
  ['revokeSharedRecord', '429', 'TOO_MANY_REQUESTS', 'You have exceeded the concurrency limit. Please try again later.'],
  ['revokeSharedRecord', '400', 'CANNOT_PROCESS', 'No sharing through this record is available to revoke.'],
];

// What Zoho's public OpenAPI files (zoho/crm-oas, v8) and the Share Records documentation pages add
// for the rule endpoints and the record-sharing operations next to revoke.
const ZOHO_OAS: Row[] = [
  ['rerunDataSharingRules', '403', 'NO_PERMISSION', 'permission denied'],
  ['getDataSharingRulesSummary', '403', 'NO_PERMISSION', 'permission denied'],
  ['revokeSharedRecord', '403', 'NO_PERMISSION', 'Permission denied to delete records'],
  ['getSharedRecordDetails', '400', 'INVALID_DATA', 'ENTITY_ID_INVALID'],
  ['getSharedRecordDetails', '403', 'NO_PERMISSION', 'permission denied'],
  ['shareRecord', '201', 'SUCCESS', 'record will be shared successfully'],
  ['shareRecord', '400', 'MANDATORY_NOT_FOUND', 'required field not found'],
  ['shareRecord', '400', 'INVALID_DATA', 'invalid user Id'],
  ['shareRecord', '400', 'LIMIT_EXCEEDED', 'Cannot share a record to more than 5 roles'],
  ['shareRecord', '403', 'NOT_ALLOWED', 'Record Level Sharing is not supported for this module'],
  ['updateRecordShares', '201', 'SUCCESS', 'record will be shared successfully'],
  ['updateRecordShares', '400', 'LIMIT_EXCEEDED', 'Cannot share a record to more than 10 users'],
];

/** The status object an example carries, top-level or wrapped in `share` / `share[]` / `sharing_rules[]`. */
function statusOf(value: any): { code: string; message: string; status: string; wrapped: boolean } {
  if (Array.isArray(value?.share)) return { ...value.share[0], wrapped: true };
  if (value?.share) return { ...value.share, wrapped: true };
  if (Array.isArray(value?.sharing_rules)) return { ...value.sharing_rules[0], wrapped: true };
  return { ...value, wrapped: false };
}

const examples = responseExamples();

describe.each([
  ['the rerun seed', SEED_RERUN],
  ['the revoke seed', SEED_REVOKE],
  ['the domain notes', DOMAIN_NOTES],
  ["Zoho's OpenAPI and Share Records pages", ZOHO_OAS],
])('%s: every documented outcome has a named example under its HTTP status', (_source, rows) => {
  it.each(rows)('%s %s %s "%s"', (operationId, status, code, message) => {
    const found = examples.filter((e) => {
      const s = statusOf(e.value);
      return e.operationId === operationId && e.status === status && s.code === code && s.message === message;
    });
    expect(found.map((e) => e.name)).not.toEqual([]);
    // A named example whose name is the code (or code_SUFFIX), so Prism's `Prefer: example=` can select it.
    expect(found.some((e) => e.name === code || e.name.startsWith(`${code}_`))).toBe(true);
  });
});

describe('both envelopes of an error are documented', () => {
  it('rerun: CANNOT_PROCESS top-level and wrapped in sharing_rules[]', () => {
    const cp = examples.filter((e) => e.operationId === 'rerunDataSharingRules' && statusOf(e.value).code === 'CANNOT_PROCESS');
    expect(cp.map((e) => statusOf(e.value).wrapped).sort()).toEqual([false, true]);
  });
  it('revoke: nothing to revoke top-level and wrapped in share', () => {
    const nr = examples.filter((e) => e.operationId === 'revokeSharedRecord' && statusOf(e.value).code === 'BAD_REQUEST');
    expect(nr.map((e) => statusOf(e.value).wrapped).sort()).toEqual([false, true]);
  });
});

describe('what Zoho documents beyond the seeds has a place in the spec', () => {
  const op = (id: string) => operation(id).op;
  it('NO_PERMISSION of the rule endpoints names the missing permissions, bare and inside sharing_rules[]', () => {
    for (const id of ['rerunDataSharingRules', 'getDataSharingRulesSummary']) {
      const found = examples.filter((e) => e.operationId === id && e.status === '403');
      expect(found.map((e) => statusOf(e.value).wrapped).sort()).toEqual([false, true]);
      for (const e of found) expect(Array.isArray((statusOf(e.value) as any).details.permissions)).toBe(true);
    }
  });
  it("revoke's NO_PERMISSION carries details.permissions, as Zoho's common schema requires", () => {
    const e = examples.find((x) => x.operationId === 'revokeSharedRecord' && x.status === '403')!;
    expect((e.value as any).details.permissions.length).toBeGreaterThan(0);
  });
  it('a rerun of a module without rules is 204 with no body', () => {
    expect(op('rerunDataSharingRules').responses['204']).toBeDefined();
    expect(op('rerunDataSharingRules').responses['204'].content).toBeUndefined();
  });
  it('the summary takes `module` as optional (every module without it)', () => {
    const params = op('getDataSharingRulesSummary').parameters.map((p: any) => deref(p));
    expect(params.map((p: any) => [p.name, p.in, p.required])).toEqual([['module', 'query', false]]);
  });
  it('GET share answers 204 when nothing is shared', () => {
    expect(op('getSharedRecordDetails').responses['204'].content).toBeUndefined();
  });
  it("the per-record limits are Zoho's: 10 users, 5 roles, 5 groups", () => {
    expect(spec.components.schemas.ShareRequest['x-zoho-limits-per-record']).toEqual({ users: 10, roles: 5, groups: 5 });
  });
});

describe('error examples are errors and success examples are successes', () => {
  const partial = examples.filter((e) => e.status === '207');
  it.each(examples.filter((e) => e.status !== '207').map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))('%s', (_l, e) => {
    expect(statusOf(e.value).status ?? 'success').toBe(e.status.startsWith('2') ? 'success' : 'error');
  });
  // A 207 is one result per entry: some applied, some not. Both kinds, each a SUCCESS or an error.
  it.each(partial.map((e) => [`${e.operationId} 207 ${e.name}`, e] as const))('%s holds a SUCCESS and an error', (_l, e) => {
    const items: any[] = (e.value as any).share;
    expect(new Set(items.map((i) => i.status))).toEqual(new Set(['success', 'error']));
    for (const i of items) expect(i.status === 'success').toBe(i.code === 'SUCCESS');
  });
  it('POST and PUT both document 207', () => {
    expect(new Set(partial.map((e) => e.operationId))).toEqual(new Set(['shareRecord', 'updateRecordShares']));
  });
});

// Zoho's newer Share Records OpenAPI (`v8.0/share_records/share_records.yaml` in zoho/crm-oas): the code,
// message and status of each refusal it documents, which the spec must list under the same status.
const SHARE_RECORDS_YAML: [operationId: string, status: string, code: string, message: string][] = [
  ['getSharedRecordDetails', '400', 'PATTERN_NOT_MATCHED', 'Please check whether the input values are correct'],
  ...(['shareRecord', 'updateRecordShares'] as const).flatMap((id): [string, string, string, string][] => [
    [id, '400', 'AMBIGUITY_DURING_PROCESSING', 'For public sharing more than one json object is given'],
    [id, '403', 'INVALID_DATA', 'Shared record cannot be shared to other users'],
    [id, '403', 'NOT_ALLOWED', 'Feeds is not enabled for this org'],
    [id, '403', 'NOT_ALLOWED', 'Record Level Sharing is not supported for this module'],
    [id, '400', 'INVALID_DATA', 'cannot share the related records'],
    [id, '400', 'INVALID_DATA', 'cannot share to the user'],
    [id, '400', 'NOT_ALLOWED', 'The given module is not supported for sharing records'],
  ]),
];

describe("Share Records refusals of Zoho's share_records.yaml are named examples under their status", () => {
  const op = (id: string) => operation(id).op;
  it.each(SHARE_RECORDS_YAML)('%s %s %s "%s"', (operationId, status, code, message) => {
    const found = examples.filter((e) => {
      const s = statusOf(e.value);
      return e.operationId === operationId && e.status === status && s.code === code && s.message === message;
    });
    expect(found.map((e) => e.name)).not.toEqual([]);
  });

  it('per-entry INVALID_DATA for permission and type carries regex beside api_name and json_path', () => {
    const regex = (name: string) => (examples.find((e) => e.operationId === 'shareRecord' && e.name === name)!.value as any).share[0].details;
    expect(regex('INVALID_DATA_PERMISSION')).toEqual({ api_name: 'permission', json_path: '$.share[0].permission', regex: 'read_only|read_write|full_access' });
    expect(regex('INVALID_DATA_TYPE')).toEqual({ api_name: 'type', json_path: '$.share[0].type', regex: 'private|public' });
    expect(regex('INVALID_DATA_DEPENDEE').dependee).toEqual({ api_name: 'type', json_path: '$.share[0].type' });
  });

  it('GET share takes sharedTo, view, approved and current_user; each bad value names itself in details.api_name', () => {
    const params = op('getSharedRecordDetails').parameters.map((p: any) => deref(p)).filter((p: any) => p.in === 'query');
    expect(params.map((p: any) => p.name)).toEqual(['sharedTo', 'view', 'approved', 'current_user']);
    for (const p of params) {
      const ex = examples.find((e) => e.operationId === 'getSharedRecordDetails' && e.name === p['x-zoho-error-when-invalid'])!;
      expect([ex.status, (ex.value as any).code, (ex.value as any).details]).toEqual(['400', 'PATTERN_NOT_MATCHED', { api_name: p.name }]);
    }
  });

  it('every record-sharing operation accepts ZohoCRM.share.all', () => {
    for (const id of ['getSharedRecordDetails', 'shareRecord', 'updateRecordShares', 'revokeSharedRecord']) {
      expect(op(id)['x-zoho-oauth-scopes']).toContain('ZohoCRM.share.all');
    }
  });
});
