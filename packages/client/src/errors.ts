import type { StatusDetails, StatusObject } from './generated/index.js';

/** Root of every error this package throws. */
export class ZohoCrmError extends Error {
  override name = 'ZohoCrmError';
}

export interface ZohoApiErrorInit {
  status: number;
  code: string;
  message: string;
  details: StatusDetails;
  body: unknown;
  requestId?: string | undefined;
  headers?: Headers | undefined;
}

/** Zoho answered with an error status object. Branch on the subclass or on `code`, never on `message`. */
export class ZohoApiError extends ZohoCrmError {
  override name = 'ZohoApiError';
  /** HTTP status. */
  readonly status: number;
  /** Zoho's machine-readable code, e.g. `CANNOT_PROCESS`. An open set of strings. */
  readonly code: string;
  readonly details: StatusDetails;
  /** The parsed response body (or its text when it was not JSON). */
  readonly body: unknown;
  readonly requestId: string | undefined;
  declare readonly headers: Headers | undefined;

  constructor(init: ZohoApiErrorInit) {
    super(`${init.status} ${init.code}: ${init.message}`);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.body = init.body;
    this.requestId = init.requestId;
    // Non-enumerable: logs that dump the error stay short.
    Object.defineProperty(this, 'headers', { value: init.headers, enumerable: false });
  }
}

/** No token, or an invalid or expired one (AUTHENTICATION_FAILURE, INVALID_TOKEN). */
export class AuthenticationError extends ZohoApiError {
  override name = 'AuthenticationError';
}
/** The token lacks the scope, or the module is Events/Calls/Tasks/a linking module (OAUTH_SCOPE_MISMATCH). */
export class ScopeMismatchError extends ZohoApiError {
  override name = 'ScopeMismatchError';
}
/** The user may not do this (NO_PERMISSION, AUTHORIZATION_FAILED). */
export class PermissionDeniedError extends ZohoApiError {
  override name = 'PermissionDeniedError';
}
/** A rerun of this module's rules is still running (rerun CANNOT_PROCESS). Try again later. */
export class SchedulerBusyError extends ZohoApiError {
  override name = 'SchedulerBusyError';
}
/** The record is not shared with anyone: nothing to revoke (BAD_REQUEST, or CANNOT_PROCESS in newer responses). */
export class NothingToRevokeError extends ZohoApiError {
  override name = 'NothingToRevokeError';
}
/** The module does not exist, is not available, or is not supported by the API. */
export class InvalidModuleError extends ZohoApiError {
  override name = 'InvalidModuleError';
}
/** The record id is invalid or belongs to another module (INVALID_DATA ENTITY_ID_INVALID). */
export class InvalidRecordIdError extends ZohoApiError {
  override name = 'InvalidRecordIdError';
}
/** Over the org's concurrency cap or credit budget (429 TOO_MANY_REQUESTS). */
export class RateLimitError extends ZohoApiError {
  override name = 'RateLimitError';
  /** From `Retry-After`, when Zoho sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(init: ZohoApiErrorInit, retryAfterMs?: number) {
    super(init);
    this.retryAfterMs = retryAfterMs;
  }
}
/** Zoho failed (5xx, INTERNAL_ERROR). */
export class ServerError extends ZohoApiError {
  override name = 'ServerError';
}

/** The request did not get an HTTP answer (refused, reset, DNS...). `cause` has the low-level error. */
export class ConnectionError extends ZohoCrmError {
  override name = 'ConnectionError';
  /** True when the connection was refused, so the server cannot have seen the request. */
  readonly refused: boolean;
  constructor(message: string, options: { cause?: unknown; refused?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.refused = options.refused ?? false;
  }
}
/** One attempt took longer than `timeoutMs`. */
export class TimeoutError extends ZohoCrmError {
  override name = 'TimeoutError';
}
/** The caller's AbortSignal aborted the call. */
export class AbortError extends ZohoCrmError {
  override name = 'AbortError';
}

/** Bad input, refused before any request was sent. */
export class InvalidInputError extends ZohoCrmError {
  override name = 'InvalidInputError';
  /** The option or argument at fault, e.g. `recordId`. */
  readonly field: string;
  /** What was expected there. */
  readonly expected: string;
  constructor(field: string, expected: string, received?: unknown) {
    super(`${field}: expected ${expected}; got ${describe(received)}`);
    this.field = field;
    this.expected = expected;
  }
}

/** The OAuth refresh-token grant failed. Carries Zoho Accounts' `error` code, never a secret. */
export class TokenRefreshError extends ZohoCrmError {
  override name = 'TokenRefreshError';
  readonly error: string | undefined;
  readonly status: number | undefined;
  constructor(message: string, options: { error?: string; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.error = options.error;
    this.status = options.status;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}

const NOTHING_TO_REVOKE = /no sharing through this record is available to revoke/i;

export type OperationName = 'rerunDataSharingRules' | 'getDataSharingRulesSummary' | 'revokeSharedRecord';

/** The one place that turns an error status object into the class users branch on. */
export function errorFromStatus(
  operation: OperationName,
  status: number,
  obj: Pick<StatusObject, 'code' | 'message'> & { details?: StatusDetails },
  extra: { body: unknown; headers?: Headers; retryAfterMs?: number | undefined },
): ZohoApiError {
  const init: ZohoApiErrorInit = {
    status,
    code: obj.code,
    message: obj.message,
    details: obj.details ?? {},
    body: extra.body,
    requestId: extra.headers?.get('x-request-id') ?? undefined,
    headers: extra.headers,
  };
  const { code, details = {} } = obj;
  if (status === 429 || code === 'TOO_MANY_REQUESTS') return new RateLimitError(init, extra.retryAfterMs);
  if (status >= 500 || code === 'INTERNAL_ERROR') return new ServerError(init);
  switch (code) {
    case 'AUTHENTICATION_FAILURE':
    case 'INVALID_TOKEN':
      return new AuthenticationError(init);
    case 'OAUTH_SCOPE_MISMATCH':
      return new ScopeMismatchError(init);
    case 'NO_PERMISSION':
    case 'AUTHORIZATION_FAILED':
      return new PermissionDeniedError(init);
    case 'INVALID_MODULE':
      return new InvalidModuleError(init);
  }
  if ((code === 'BAD_REQUEST' || code === 'CANNOT_PROCESS') && NOTHING_TO_REVOKE.test(obj.message ?? '')) {
    return new NothingToRevokeError(init);
  }
  if (code === 'CANNOT_PROCESS' && operation === 'rerunDataSharingRules') return new SchedulerBusyError(init);
  if (code === 'INVALID_DATA' || code === 'REQUIRED_PARAM_MISSING') {
    const param = details.param_name ?? details.param;
    if (param === 'module' || details.resource_path_index === 0) return new InvalidModuleError(init);
    if (details.resource_path_index === 1 || obj.message === 'ENTITY_ID_INVALID') return new InvalidRecordIdError(init);
  }
  return new ZohoApiError(init);
}
