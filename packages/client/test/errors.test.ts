// Each documented response maps to the error class users branch on (one factory, errorFromResponse):
// the HTTP status first, then Zoho's code; every class has a `kind` for an exhaustive switch.
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
  UnexpectedResponseError,
  ZohoApiError,
  isZohoCrmError,
  type KnownZohoCrmError,
  type ZohoCrmErrorKind,
} from '../src/index.ts';
import { json, scriptedFetch, specExample } from './helpers.ts';

type Op = 'rerunDataSharingRules' | 'getDataSharingRulesSummary' | 'getSharedRecordDetails' | 'revokeSharedRecord';

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
  ['getSharedRecordDetails', '400', 'INVALID_DATA', InvalidRecordIdError],
  ['getSharedRecordDetails', '400', 'INVALID_MODULE', InvalidModuleError],
  ['getSharedRecordDetails', '400', 'INVALID_MODULE_UNSUPPORTED', InvalidModuleError],
  ['getSharedRecordDetails', '400', 'INVALID_REQUEST_METHOD', ZohoApiError],
  ['getSharedRecordDetails', '401', 'OAUTH_SCOPE_MISMATCH', ScopeMismatchError],
  ['getSharedRecordDetails', '403', 'NO_PERMISSION', PermissionDeniedError],
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
  if (op === 'revokeSharedRecord' || op === 'getSharedRecordDetails') return client[op]({ module: 'Contacts', recordId: '4150868000001148212' });
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

const status = (code: string, message = 'm') => ({ code, details: {}, message, status: 'error' });
const html = (status: number, headers: Record<string, string> = {}) => new Response('<html>gateway</html>', { status, headers: { 'content-type': 'text/html', ...headers } });

describe('the status decides first, then Zoho code refines it', () => {
  it.each([
    ['429 without a Zoho body (a proxy)', html(429), 'rate_limit'],
    ['429 whatever code its body claims', json(429, status('INVALID_TOKEN')), 'rate_limit'],
    ['401 from a gateway (HTML)', html(401), 'authentication'],
    ['401 with an unknown code', json(401, status('SOMETHING_NEW')), 'authentication'],
    ['401 OAUTH_SCOPE_MISMATCH', json(401, status('OAUTH_SCOPE_MISMATCH')), 'scope_mismatch'],
    ['403 from a WAF (HTML)', html(403), 'permission_denied'],
    ['500 HTML', html(500), 'server'],
    ['503 whose body claims TOO_MANY_REQUESTS', json(503, status('TOO_MANY_REQUESTS')), 'server'],
    ['400 TOO_MANY_REQUESTS', json(400, status('TOO_MANY_REQUESTS')), 'rate_limit'],
    ['404 HTML', html(404), 'api'],
    ['200 HTML', html(200), 'unexpected_response'],
    ['200 with a status object whose status is success but for another shape', json(200, { data: [] }), 'unexpected_response'],
    ['302 with a Location', html(302, { location: 'https://elsewhere.example/login?x=1' }), 'unexpected_response'],
    ['200 with an error status object inside share', json(200, { share: status('INVALID_DATA', 'ENTITY_ID_INVALID') }), 'invalid_record_id'],
  ] as const)('%s -> %s', async (_label, response, kind) => {
    const { fetch } = scriptedFetch(response);
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    const err = await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' }).catch((e: unknown) => e);
    expect(isZohoCrmError(err) && err.kind).toBe(kind);
  });

  it('a redirect names the Location origin, never its path or query', async () => {
    const { fetch } = scriptedFetch(html(307, { location: 'https://elsewhere.example:8443/login?token=abc' }));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    const err = (await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' }).catch((e: unknown) => e)) as UnexpectedResponseError;
    expect(err.location).toBe('https://elsewhere.example:8443');
    expect(err.message).toContain('HTTP 307');
    expect(err.message).not.toContain('token=abc');
  });

  it('UnexpectedResponseError carries the status, the content type and a short printable snippet', async () => {
    const page = `<html>\x1b[31m${'x'.repeat(5000)}</html>`;
    const { fetch } = scriptedFetch(new Response(page, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } }));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    const err = (await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' }).catch((e: unknown) => e)) as UnexpectedResponseError;
    expect([err.status, err.contentType]).toEqual([200, 'text/html; charset=utf-8']);
    expect(err.snippet.length).toBeLessThanOrEqual(203);
    expect(err.snippet).toMatch(/^<html> \[31mxxx/); // the escape character is gone
  });
});

// Compiles only while every kind is handled: a new kind without a case fails `tsc`.
function exitCodeFor(e: KnownZohoCrmError): number {
  switch (e.kind) {
    case 'invalid_input':
      return e.field.length > 0 ? 2 : 2; // narrowed: InvalidInputError has `field`
    case 'authentication':
    case 'scope_mismatch':
    case 'permission_denied':
    case 'token_refresh':
      return 3;
    case 'rate_limit':
      return e.retryAfterMs === undefined ? 4 : 4; // narrowed: RateLimitError
    case 'scheduler_busy':
      return 5;
    case 'api':
    case 'nothing_to_revoke':
    case 'invalid_module':
    case 'invalid_record_id':
    case 'server':
    case 'unexpected_response':
    case 'connection':
    case 'timeout':
    case 'abort':
      return 1;
    default: {
      const unhandled: never = e;
      return unhandled;
    }
  }
}

describe('kind', () => {
  const classes: [ZohoCrmErrorKind, () => KnownZohoCrmError, string][] = [
    ['api', () => new ZohoApiError({ status: 400, code: 'X', message: 'm', details: {}, body: {} }) as KnownZohoCrmError, 'ZohoApiError'],
    ['authentication', () => new AuthenticationError({ status: 401, code: 'X', message: 'm', details: {}, body: {} }), 'AuthenticationError'],
    ['rate_limit', () => new RateLimitError({ status: 429, code: 'X', message: 'm', details: {}, body: {} }, 10), 'RateLimitError'],
    ['unexpected_response', () => new UnexpectedResponseError('m', { status: 200, contentType: '', snippet: '', location: undefined }), 'UnexpectedResponseError'],
  ];
  it.each(classes)('%s: name %s, in toString() and the stack', (kind, make, name) => {
    const e = make();
    expect([e.kind, e.name, String(e).split(':')[0], e.stack?.split(':')[0]]).toEqual([kind, name, name, name]);
    expect(exitCodeFor(e)).toBeGreaterThan(0);
  });

  it('every class exported is named after its kind', async () => {
    const mod: Record<string, unknown> = await import('../src/index.ts');
    const errorClasses = Object.entries(mod).filter(([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Error);
    expect(errorClasses.length).toBeGreaterThanOrEqual(16);
    for (const [exported, cls] of errorClasses) {
      if (exported === 'ZohoCrmError') continue;
      // Every constructor takes a first argument and an optional options-like second one.
      const e = new (cls as new (a: unknown, b: unknown) => Error)({ status: 0, code: '', message: '', details: {}, body: {} }, { status: 0 });
      expect(e.name).toBe(exported);
    }
  });
});
