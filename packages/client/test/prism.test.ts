// Contract tier: the client against Prism serving the spec. Every example of every operation is
// selected with Prism's `Prefer` header and must come back as the typed result or the error class.
import { startPrism, type PrismMock } from '@zcrm-sharing/openapi/testing/prism';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  createZohoCrmClient,
  InvalidModuleError,
  InvalidRecordIdError,
  NothingToRevokeError,
  PermissionDeniedError,
  RateLimitError,
  SchedulerBusyError,
  ScopeMismatchError,
  ServerError,
  ZohoApiError,
} from '../src/index.ts';

let prism: PrismMock;
beforeAll(async () => {
  prism = await startPrism();
});
afterAll(() => prism?.stop());

const client = (prefer?: string) =>
  createZohoCrmClient({
    auth: { accessToken: '1000.contract.token' },
    baseUrl: prism.url, // Prism serves the spec's paths without /crm/{version}
    maxRetries: 0,
    ...(prefer ? { headers: { Prefer: prefer } } : {}),
  });

const ID = '4150868000001148212';

describe('success examples come back typed', () => {
  it('rerunDataSharingRules -> SCHEDULED', async () => {
    const r = await client().rerunDataSharingRules({ module: 'Leads' });
    expect(r).toEqual({ outcome: 'scheduled', code: 'SCHEDULED', details: {}, message: 'Rerun successfully scheduled', status: 'success' });
  });
  it('revokeSharedRecord -> SUCCESS with the id string', async () => {
    const r = await client().revokeSharedRecord({ module: 'Contacts', recordId: ID });
    expect(r).toEqual({ code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' });
  });
  it('getDataSharingRulesSummary -> IDLE example', async () => {
    const r = await client('code=200, example=IDLE').getDataSharingRulesSummary({ module: 'Leads' });
    expect(r).toEqual({ module: { api_name: 'Leads', id: '4150868000000002175' }, rule_computation_status: false, rule_count: 3 });
  });
  it('getDataSharingRulesSummary 204 -> null', async () => {
    expect(await client('code=204').getDataSharingRulesSummary({ module: 'Leads' })).toBeNull();
  });
  it('getDataSharingRulesSummary without module -> ALL_MODULES example, every entry', async () => {
    const r = await client('code=200, example=ALL_MODULES').getDataSharingRulesSummary();
    expect(r.length).toBeGreaterThan(1);
    expect(r.every((s) => typeof s.module.id === 'string' && typeof s.rule_count === 'number')).toBe(true);
  });
  it('getSharedRecordDetails -> SHARED example, ids strings', async () => {
    const r = await client('code=200, example=SHARED').getSharedRecordDetails({ module: 'Contacts', recordId: ID });
    expect(r.map((s) => [s.shared_with.type, s.shared_with.id, s.permission])).toEqual([
      ['users', '4150868000000224005', 'read_write'],
      ['roles', '4150868000000231001', 'read_only'],
    ]);
  });
  it('getSharedRecordDetails 204 -> [] (shared with no one)', async () => {
    expect(await client('code=204').getSharedRecordDetails({ module: 'Contacts', recordId: ID })).toEqual([]);
  });
});

type Op = 'rerunDataSharingRules' | 'getDataSharingRulesSummary' | 'getSharedRecordDetails' | 'revokeSharedRecord';
const ERRORS: [Op, number, string, new (...a: any[]) => ZohoApiError][] = [
  ['rerunDataSharingRules', 400, 'REQUIRED_PARAM_MISSING', InvalidModuleError],
  ['rerunDataSharingRules', 400, 'INVALID_DATA', InvalidModuleError],
  ['rerunDataSharingRules', 400, 'CANNOT_PROCESS', SchedulerBusyError],
  ['rerunDataSharingRules', 400, 'CANNOT_PROCESS_WRAPPED', SchedulerBusyError],
  ['rerunDataSharingRules', 400, 'INVALID_REQUEST_METHOD', ZohoApiError],
  ['rerunDataSharingRules', 401, 'AUTHENTICATION_FAILURE', AuthenticationError],
  ['rerunDataSharingRules', 401, 'OAUTH_SCOPE_MISMATCH', ScopeMismatchError],
  ['rerunDataSharingRules', 401, 'INVALID_TOKEN', AuthenticationError],
  ['rerunDataSharingRules', 404, 'INVALID_URL_PATTERN', ZohoApiError],
  ['rerunDataSharingRules', 429, 'TOO_MANY_REQUESTS', RateLimitError],
  ['rerunDataSharingRules', 500, 'INTERNAL_ERROR', ServerError],
  ['getDataSharingRulesSummary', 400, 'INVALID_DATA', InvalidModuleError],
  ['getDataSharingRulesSummary', 400, 'INVALID_REQUEST_METHOD', ZohoApiError],
  ['getDataSharingRulesSummary', 401, 'AUTHENTICATION_FAILURE', AuthenticationError],
  ['getDataSharingRulesSummary', 401, 'OAUTH_SCOPE_MISMATCH', ScopeMismatchError],
  ['getDataSharingRulesSummary', 401, 'INVALID_TOKEN', AuthenticationError],
  ['getDataSharingRulesSummary', 404, 'INVALID_URL_PATTERN', ZohoApiError],
  ['getDataSharingRulesSummary', 429, 'TOO_MANY_REQUESTS', RateLimitError],
  ['getDataSharingRulesSummary', 500, 'INTERNAL_ERROR', ServerError],
  ['getSharedRecordDetails', 400, 'INVALID_DATA', InvalidRecordIdError],
  ['getSharedRecordDetails', 400, 'INVALID_MODULE', InvalidModuleError],
  ['getSharedRecordDetails', 400, 'INVALID_MODULE_UNSUPPORTED', InvalidModuleError],
  ['getSharedRecordDetails', 400, 'INVALID_REQUEST_METHOD', ZohoApiError],
  ['getSharedRecordDetails', 401, 'AUTHENTICATION_FAILURE', AuthenticationError],
  ['getSharedRecordDetails', 401, 'OAUTH_SCOPE_MISMATCH', ScopeMismatchError],
  ['getSharedRecordDetails', 401, 'INVALID_TOKEN', AuthenticationError],
  ['getSharedRecordDetails', 403, 'NO_PERMISSION', PermissionDeniedError],
  ['getSharedRecordDetails', 404, 'INVALID_URL_PATTERN', ZohoApiError],
  ['getSharedRecordDetails', 429, 'TOO_MANY_REQUESTS', RateLimitError],
  ['getSharedRecordDetails', 500, 'INTERNAL_ERROR', ServerError],
  ['revokeSharedRecord', 400, 'INVALID_DATA', InvalidRecordIdError],
  ['revokeSharedRecord', 400, 'BAD_REQUEST', NothingToRevokeError],
  ['revokeSharedRecord', 400, 'CANNOT_PROCESS', NothingToRevokeError],
  ['revokeSharedRecord', 400, 'BAD_REQUEST_WRAPPED', NothingToRevokeError],
  ['revokeSharedRecord', 400, 'INVALID_REQUEST_METHOD', ZohoApiError],
  ['revokeSharedRecord', 400, 'AUTHORIZATION_FAILED', PermissionDeniedError],
  ['revokeSharedRecord', 400, 'INVALID_MODULE', InvalidModuleError],
  ['revokeSharedRecord', 400, 'INVALID_MODULE_UNSUPPORTED', InvalidModuleError],
  ['revokeSharedRecord', 401, 'AUTHENTICATION_FAILURE', AuthenticationError],
  ['revokeSharedRecord', 401, 'OAUTH_SCOPE_MISMATCH', ScopeMismatchError],
  ['revokeSharedRecord', 401, 'INVALID_TOKEN', AuthenticationError],
  ['revokeSharedRecord', 403, 'NO_PERMISSION', PermissionDeniedError],
  ['revokeSharedRecord', 404, 'INVALID_URL_PATTERN', ZohoApiError],
  ['revokeSharedRecord', 429, 'TOO_MANY_REQUESTS', RateLimitError],
  ['revokeSharedRecord', 500, 'INTERNAL_ERROR', ServerError],
];

describe('every error example becomes its error class', () => {
  it.each(ERRORS)('%s %i %s', async (op, status, name, cls) => {
    const c = client(`code=${status}, example=${name}`);
    const record = { module: 'Contacts', recordId: ID };
    const promise = op === 'revokeSharedRecord' || op === 'getSharedRecordDetails' ? c[op](record) : c[op]({ module: 'Leads' });
    const err = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect(Object.getPrototypeOf(err).constructor).toBe(cls);
    expect((err as ZohoApiError).status).toBe(status);
  });
});
