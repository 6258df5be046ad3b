import type { StatusDetails } from './generated/index.js';

/** One value per error class: `switch (err.kind)` over a `KnownZohoCrmError` is checked for exhaustiveness. */
export type ZohoCrmErrorKind = ZohoApiErrorKind | 'unexpected_response' | 'token_refresh' | 'connection' | 'timeout' | 'abort' | 'invalid_input';
/** The `kind` of each error class for an answer Zoho sent (`ZohoApiError` and its subclasses). */
export type ZohoApiErrorKind =
  | 'api'
  | 'authentication'
  | 'scope_mismatch'
  | 'permission_denied'
  | 'scheduler_busy'
  | 'nothing_to_revoke'
  | 'invalid_module'
  | 'invalid_record_id'
  | 'rate_limit'
  | 'server';

/** Root of every error this package throws. Its `name` follows its `kind`: `rate_limit` is a `RateLimitError`. */
export abstract class ZohoCrmError extends Error {
  abstract readonly kind: ZohoCrmErrorKind;
}
// One rule instead of a name per class (read when the stack or toString() is first formatted).
Object.defineProperty(ZohoCrmError.prototype, 'name', {
  get(this: ZohoCrmError) {
    return this.kind === 'api' ? 'ZohoApiError' : `${this.kind.replace(/(^|_)(.)/g, (_m, _s, c: string) => c.toUpperCase())}Error`;
  },
});

export interface ZohoApiErrorInit {
  status: number;
  code: string;
  message: string;
  details: StatusDetails;
  body: unknown;
  requestId?: string | undefined;
}

/**
 * Zoho (or something in its place) answered with an error. Branch on `kind` or the subclass, or on
 * `code`, never on `message`. Everything here came from the server and has been redacted.
 */
export class ZohoApiError extends ZohoCrmError {
  readonly kind: ZohoApiErrorKind = 'api';
  /** HTTP status. */
  declare readonly status: number;
  /** Zoho's machine-readable code, e.g. `CANNOT_PROCESS`; `HTTP_<status>` when the body had none. */
  declare readonly code: string;
  declare readonly details: StatusDetails;
  /** The parsed response body (or its text when it was not JSON). */
  declare readonly body: unknown;
  declare readonly requestId: string | undefined;

  constructor({ message, ...init }: ZohoApiErrorInit) {
    super(`${init.status} ${init.code}: ${message}`);
    Object.assign(this, { requestId: undefined, ...init });
  }
}

/** 401: no token, an invalid or expired one (AUTHENTICATION_FAILURE, INVALID_TOKEN), or any 401 without a Zoho body. */
export class AuthenticationError extends ZohoApiError {
  override readonly kind = 'authentication';
}
/** The token lacks the scope, or the module is Events/Calls/Tasks/a linking module (OAUTH_SCOPE_MISMATCH). */
export class ScopeMismatchError extends ZohoApiError {
  override readonly kind = 'scope_mismatch';
}
/** 403, or the user may not do this (NO_PERMISSION, AUTHORIZATION_FAILED). */
export class PermissionDeniedError extends ZohoApiError {
  override readonly kind = 'permission_denied';
}
/** A rerun of this module's rules is still running (rerun CANNOT_PROCESS). Try again later. */
export class SchedulerBusyError extends ZohoApiError {
  override readonly kind = 'scheduler_busy';
}
/** The record is not shared with anyone: nothing to revoke (BAD_REQUEST, or CANNOT_PROCESS in newer responses). */
export class NothingToRevokeError extends ZohoApiError {
  override readonly kind = 'nothing_to_revoke';
}
/** The module does not exist, is not available, or is not supported by the API. */
export class InvalidModuleError extends ZohoApiError {
  override readonly kind = 'invalid_module';
}
/** The record id is invalid or belongs to another module (INVALID_DATA ENTITY_ID_INVALID). */
export class InvalidRecordIdError extends ZohoApiError {
  override readonly kind = 'invalid_record_id';
}
/** Any 429, with or without a Zoho body (TOO_MANY_REQUESTS: over the concurrency cap or the credit budget). */
export class RateLimitError extends ZohoApiError {
  override readonly kind = 'rate_limit';
  /** From `Retry-After` when sent, already capped at `retry.maxRetryAfterMs`. */
  readonly retryAfterMs: number | undefined;
  constructor(init: ZohoApiErrorInit, retryAfterMs?: number) {
    super(init);
    this.retryAfterMs = retryAfterMs;
  }
}
/** Any 5xx whatever its body, or INTERNAL_ERROR. */
export class ServerError extends ZohoApiError {
  override readonly kind = 'server';
}

/**
 * A 2xx or 3xx that is not the documented success: an HTML page, an empty or non-JSON body, JSON
 * without Zoho's envelope or not exactly the success's, a record id that is a number or another
 * record's, a redirect (never followed), or a body over `maxResponseBytes`; and, whatever the status,
 * JSON that repeats a key or a body in a coding the transport does not decode. Nothing can be
 * concluded from it, least of all success.
 */
export class UnexpectedResponseError extends ZohoCrmError {
  readonly kind = 'unexpected_response';
  /** HTTP status (0 for a browser's opaque redirect). */
  declare readonly status: number;
  /** The Content-Type the server sent ('' when none). */
  declare readonly contentType: string;
  /** The start of the body, redacted and printable ('' when there was none or it was not read). */
  declare readonly snippet: string;
  /** For a redirect: the Location's origin, or undefined where the runtime hides it (browsers). */
  declare readonly location: string | undefined;
  constructor(message: string, init: { status: number; contentType: string; snippet: string; location: string | undefined }) {
    super(message);
    Object.assign(this, init);
  }
}

/** The request did not get an HTTP answer (refused, reset, DNS...). `cause` has the low-level error. */
export class ConnectionError extends ZohoCrmError {
  readonly kind = 'connection';
  /** True when the connection was refused, so the server cannot have seen the request. */
  readonly refused: boolean;
  constructor(message: string, options: { cause?: unknown; refused?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.refused = options.refused ?? false;
  }
}
/** One attempt (or a token refresh) took longer than `timeoutMs`. */
export class TimeoutError extends ZohoCrmError {
  readonly kind = 'timeout';
}
/** The caller's AbortSignal aborted the call (or the wait before a retry). */
export class AbortError extends ZohoCrmError {
  readonly kind = 'abort';
}

/** Bad input, refused before any request was sent. */
export class InvalidInputError extends ZohoCrmError {
  readonly kind = 'invalid_input';
  /** The option or argument at fault, e.g. `recordId`. */
  readonly field: string;
  /** What was expected there. */
  readonly expected: string;
  /** `message` replaces the usual "<field>: expected <expected>; got <received>". */
  constructor(field: string, expected: string, received?: unknown, message?: string) {
    super(message ?? `${field}: expected ${expected}; got ${describe(received)}`);
    this.field = field;
    this.expected = expected;
  }
}

/** The OAuth refresh-token grant failed (refused, redirected, unreadable). Never carries a secret. */
export class TokenRefreshError extends ZohoCrmError {
  readonly kind = 'token_refresh';
  /** Zoho Accounts' OAuth `error` code, e.g. `invalid_code`, when it sent one of the documented form. */
  readonly error: string | undefined;
  readonly status: number | undefined;
  constructor(message: string, options: { error?: string; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.error = options.error;
    this.status = options.status;
  }
}

/** Every concrete error, discriminated by `kind` (`ZohoApiError` itself is the `api` kind). */
export type KnownZohoCrmError =
  | (ZohoApiError & { readonly kind: 'api' })
  | AuthenticationError
  | ScopeMismatchError
  | PermissionDeniedError
  | SchedulerBusyError
  | NothingToRevokeError
  | InvalidModuleError
  | InvalidRecordIdError
  | RateLimitError
  | ServerError
  | UnexpectedResponseError
  | TokenRefreshError
  | ConnectionError
  | TimeoutError
  | AbortError
  | InvalidInputError;

/** Narrows anything caught to the errors of this package, for `switch (err.kind)`. */
export const isZohoCrmError = (err: unknown): err is KnownZohoCrmError => err instanceof ZohoCrmError;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  return typeof value === 'bigint' ? `${value}n` : value === undefined ? 'nothing' : value === null || (typeof value !== 'object' && typeof value !== 'function') ? String(value) : typeof value;
}

/** The client's operations, by method name (the `operation` of errors, events and `shouldRetry`). */
export type OperationName = 'rerunDataSharingRules' | 'getDataSharingRulesSummary' | 'getSharedRecordDetails' | 'shareRecord' | 'updateRecordShares' | 'revokeSharedRecord';
