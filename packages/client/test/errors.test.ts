// Each documented response maps to the error class users branch on (one factory, errorFromStatus).
import { describe, expect, it } from 'vitest';
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
import { json, scriptedFetch, specExample } from './helpers.ts';

type Op = 'rerunDataSharingRules' | 'getDataSharingRulesSummary' | 'revokeSharedRecord';

// [operation, HTTP status, example name in the spec, class expected]
const TABLE: [Op, string, string, new (...a: any[]) => ZohoApiError][] = [
  ['rerunDataSharingRules', '400', 'CANNOT_PROCESS', SchedulerBusyError],
  ['rerunDataSharingRules', '400', 'CANNOT_PROCESS_WRAPPED', SchedulerBusyError],
  ['rerunDataSharingRules', '400', 'INVALID_REQUEST_METHOD', ZohoApiError],
  ['rerunDataSharingRules', '400', 'REQUIRED_PARAM_MISSING', InvalidModuleError],
  ['rerunDataSharingRules', '400', 'INVALID_DATA', InvalidModuleError],
  ['rerunDataSharingRules', '401', 'OAUTH_SCOPE_MISMATCH', ScopeMismatchError],
  ['rerunDataSharingRules', '401', 'AUTHENTICATION_FAILURE', AuthenticationError],
  ['rerunDataSharingRules', '401', 'INVALID_TOKEN', AuthenticationError],
  ['rerunDataSharingRules', '404', 'INVALID_URL_PATTERN', ZohoApiError],
  ['rerunDataSharingRules', '429', 'TOO_MANY_REQUESTS', RateLimitError],
  ['rerunDataSharingRules', '500', 'INTERNAL_ERROR', ServerError],
  ['getDataSharingRulesSummary', '400', 'INVALID_DATA', InvalidModuleError],
  ['getDataSharingRulesSummary', '401', 'OAUTH_SCOPE_MISMATCH', ScopeMismatchError],
  ['revokeSharedRecord', '400', 'INVALID_DATA', InvalidRecordIdError],
  ['revokeSharedRecord', '400', 'BAD_REQUEST', NothingToRevokeError],
  ['revokeSharedRecord', '400', 'CANNOT_PROCESS', NothingToRevokeError],
  ['revokeSharedRecord', '400', 'BAD_REQUEST_WRAPPED', NothingToRevokeError],
  ['revokeSharedRecord', '400', 'INVALID_REQUEST_METHOD', ZohoApiError],
  ['revokeSharedRecord', '400', 'AUTHORIZATION_FAILED', PermissionDeniedError],
  ['revokeSharedRecord', '400', 'INVALID_MODULE', InvalidModuleError],
  ['revokeSharedRecord', '400', 'INVALID_MODULE_UNSUPPORTED', InvalidModuleError],
  ['revokeSharedRecord', '401', 'OAUTH_SCOPE_MISMATCH', ScopeMismatchError],
  ['revokeSharedRecord', '401', 'AUTHENTICATION_FAILURE', AuthenticationError],
  ['revokeSharedRecord', '401', 'INVALID_TOKEN', AuthenticationError],
  ['revokeSharedRecord', '403', 'NO_PERMISSION', PermissionDeniedError],
  ['revokeSharedRecord', '404', 'INVALID_URL_PATTERN', ZohoApiError],
  ['revokeSharedRecord', '429', 'TOO_MANY_REQUESTS', RateLimitError],
  ['revokeSharedRecord', '500', 'INTERNAL_ERROR', ServerError],
];

function call(client: ReturnType<typeof createZohoCrmClient>, op: Op) {
  if (op === 'revokeSharedRecord') return client.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' });
  return client[op]({ module: 'Leads' });
}

describe('every documented error response becomes its error class', () => {
  it.each(TABLE)('%s %s %s', async (op, status, name, cls) => {
    const body = specExample(op, status, name) as any;
    const { fetch, calls } = scriptedFetch(json(Number(status), body, { 'x-request-id': 'req-123' }));
    // maxRetries 0 and a fixed token: one request, no refresh, no retry.
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    const err = await call(client, op).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(cls);
    const apiErr = err as ZohoApiError;
    // An exact class, not just a base class (a generic ZohoApiError row must not be a subclass).
    expect(Object.getPrototypeOf(apiErr).constructor).toBe(cls);
    const inner = body.share ?? body.sharing_rules?.[0] ?? body;
    expect(apiErr.status).toBe(Number(status));
    expect(apiErr.code).toBe(inner.code);
    expect(apiErr.message).toContain(inner.message);
    expect(apiErr.details).toEqual(inner.details);
    expect(apiErr.body).toEqual(body);
    expect(apiErr.requestId).toBe('req-123');
    expect(calls).toHaveLength(1);
  });
});

describe('envelopes', () => {
  it('an error status object inside a 200 `share` is an error, not a success', async () => {
    const { fetch } = scriptedFetch(
      json(200, { share: { code: 'BAD_REQUEST', details: {}, message: 'No sharing through this record is available to revoke.', status: 'error' } }),
    );
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: '1' })).rejects.toBeInstanceOf(NothingToRevokeError);
  });

  it('a non-JSON 502 from a proxy is a ServerError with the text body', async () => {
    const { fetch } = scriptedFetch(new Response('<html>bad gateway</html>', { status: 502 }));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    const err = await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' }).catch((e) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err.code).toBe('HTTP_502');
    expect(err.body).toBe('<html>bad gateway</html>');
  });

  it('RateLimitError carries Retry-After in ms', async () => {
    const { fetch } = scriptedFetch(json(429, specExample('revokeSharedRecord', '429', 'TOO_MANY_REQUESTS'), { 'retry-after': '3' }));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    const err = await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' }).catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(3000);
  });
});
