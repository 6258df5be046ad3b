import { isZohoCrmError, type ZohoApiError } from '@zcrm-sharing/client';
import { isStoreUnavailable } from '../queue/unavailable.js';

/** What an HTTP answer carries for an error: a status, a JSON body, maybe headers. */
export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

export interface ErrorBody {
  /** A stable, machine-readable kind, e.g. `scheduler_busy`. */
  error: string;
  message: string;
  /** For bad input: the field at fault and what was expected there. */
  field?: string;
  expected?: string;
  /** Zoho's code (`OAUTH_SCOPE_MISMATCH`, `INVALID_TOKEN`...) and HTTP status, when Zoho answered. */
  zohoCode?: string;
  zohoStatus?: number;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/** When Zoho sent no Retry-After on a 429 (it documents none): a guess that is neither a hammer nor a stall. */
export const DEFAULT_RETRY_AFTER_SECONDS = 10;

/** Bad input the server itself found (before the client saw it), answered 400 with the field. */
export function invalidInput(field: string, expected: string, message?: string): ErrorAnswer {
  return { status: 400, body: { error: 'invalid_input', field, expected, message: message ?? `${field}: expected ${expected}` } };
}

/**
 * The one table from the client's error kinds to HTTP answers (the README's error table), checked
 * for exhaustiveness by TypeScript. NothingToRevokeError is not an error to our callers: routes
 * answer it 200 with a flag before getting here, but it is mapped the same way for completeness.
 */
/** Retry-After while the job store is out of reach: about as long as a database restart takes. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** The one answer while the job store cannot commit (webhook, /api, /healthz): come back later. */
export const STORE_UNAVAILABLE: ErrorAnswer = {
  status: 503,
  headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) },
  body: { error: 'store_unavailable', message: 'the job store is out of reach right now; try again later' },
};

export function answerForError(err: unknown): ErrorAnswer {
  // Unknown: say nothing about it to the caller (it could hold anything); the server logs its name.
  if (isStoreUnavailable(err)) return STORE_UNAVAILABLE;
  if (!isZohoCrmError(err)) return { status: 500, body: { error: 'internal', message: 'internal error' } };
  const zoho = (e: ZohoApiError) => ({ zohoCode: e.code, zohoStatus: e.status, message: e.message });
  switch (err.kind) {
    case 'invalid_input':
      return { status: 400, body: { error: 'invalid_input', field: err.field, expected: err.expected, message: err.message } };
    case 'nothing_to_revoke':
      return { status: 200, body: { error: 'nothing_to_revoke', revoked: false, alreadyNotShared: true, ...zoho(err) } };
    case 'scheduler_busy':
      return { status: 409, body: { error: 'scheduler_busy', ...zoho(err), message: `a rerun of this module's sharing rules is still running; try again once the status shows done (${err.message})` } };
    case 'invalid_module':
      return { status: 400, body: { error: 'invalid_module', field: 'module', expected: 'a module that exists in the org and that the API supports', ...zoho(err) } };
    case 'invalid_record_id':
      return { status: 400, body: { error: 'invalid_record_id', field: 'recordId', expected: 'the id of an existing record of that module', ...zoho(err) } };
    case 'authentication':
      return { status: 502, body: { error: 'zoho_authentication_failed', ...zoho(err) } };
    case 'scope_mismatch':
      return { status: 502, body: { error: 'zoho_scope_mismatch', ...zoho(err) } };
    case 'permission_denied':
      return { status: 502, body: { error: 'zoho_permission_denied', ...zoho(err) } };
    case 'token_refresh': {
      const body: ErrorBody = { error: 'zoho_token_refresh_failed', message: err.message };
      if (err.error) body.zohoCode = err.error;
      if (err.status !== undefined) body.zohoStatus = err.status;
      return { status: 502, body };
    }
    case 'rate_limit': {
      const seconds = err.retryAfterMs !== undefined ? Math.max(1, Math.ceil(err.retryAfterMs / 1000)) : DEFAULT_RETRY_AFTER_SECONDS;
      return { status: 503, headers: { 'retry-after': String(seconds) }, body: { error: 'zoho_rate_limited', ...zoho(err), retryAfterSeconds: seconds } };
    }
    case 'server':
      return { status: 502, body: { error: 'zoho_server_error', ...zoho(err) } };
    case 'api':
      return { status: 502, body: { error: 'zoho_error', ...zoho(err) } };
    case 'unexpected_response':
      // Not Zoho's documented answer (a login page, a redirect, a body over the cap...): nothing was concluded from it.
      return { status: 502, body: { error: 'zoho_unexpected_response', zohoStatus: err.status, contentType: err.contentType, message: err.message } };
    case 'timeout':
      return { status: 504, body: { error: 'zoho_timeout', message: err.message } };
    case 'connection':
      return { status: 502, body: { error: 'zoho_unreachable', message: err.message } };
    case 'abort':
      return { status: 503, headers: { 'retry-after': '5' }, body: { error: 'shutting_down', message: 'the server is stopping' } };
    default: {
      const unhandled: never = err;
      return unhandled;
    }
  }
}

/** A compact, secret-free summary of a failure, for the job log and the request log. */
export function describeError(err: unknown): { type: string; message: string; zohoCode?: string; zohoStatus?: number } {
  const { body } = answerForError(err);
  const out: { type: string; message: string; zohoCode?: string; zohoStatus?: number } = { type: body.error, message: body.message };
  if (body.zohoCode !== undefined) out.zohoCode = body.zohoCode;
  if (body.zohoStatus !== undefined) out.zohoStatus = body.zohoStatus;
  return out;
}
