// Reading an HTTP answer: the facts the client judges (the body redacted, then parsed), the error
// status object of either envelope, and the one factory that turns an answer that is not the
// documented success into an error. Private: nothing here is exported from the package.
import {
  AuthenticationError,
  InvalidModuleError,
  InvalidRecordIdError,
  PermissionDeniedError,
  RateLimitError,
  ScopeMismatchError,
  ServerError,
  UnexpectedResponseError,
  ZohoApiError,
  type OperationName,
  type ZohoApiErrorInit,
  type ZohoCrmError,
} from '../errors.js';
import type { StatusDetails } from '../generated/index.js';
import type { RawAnswer } from '../http.js';
import { printable, redactValue, zohoCode } from '../redact.js';
import { repeatedKey, repeatsAKey } from './repeated-key.js';

/** What the client knows about one HTTP answer. Only the body is redacted up front; the rest is made safe when shown. */
export interface ResponseFacts {
  status: number;
  /** A header as the server sent it, or null: for checks, never shown as is. */
  header(name: string): string | null;
  /** The body text, redacted ('' when empty or not read). */
  text: string;
  /** `text` parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  redirect: boolean;
  tooLarge: boolean;
  /** Why the body cannot be read as one answer (a coding the transport does not decode, a repeated key): `json` is undefined. */
  unreadable: string | undefined;
  /** Removes the client's secrets from anything shown. */
  redact(text: string): string;
}

/** A header made fit to show: redacted, printable, bounded. */
const shown = (r: ResponseFacts, name: string) => {
  const v = r.header(name);
  return v === null ? undefined : printable(r.redact(v), 100);
};

/** The error status object of either envelope: bare, in `share`, or the first error in `sharing_rules[]` or `share[]`. */
export function errorStatusOf(body: unknown): { code: string; message: string; details: StatusDetails } | undefined {
  if (!isObject(body)) return undefined;
  const inner = body.sharing_rules ?? body.share ?? body;
  const found = (Array.isArray(inner) ? inner : [inner]).find((s) => isObject(s) && typeof s.code === 'string' && s.status !== 'success');
  if (!found) return undefined;
  return {
    code: zohoCode(found.code),
    message: typeof found.message === 'string' ? printable(found.message, 300) : '',
    details: isObject(found.details) ? found.details : {},
  };
}

/** Why a redirect is refused, naming where it pointed. */
export const redirectRefused = (r: ResponseFacts, location = locationOf(r)) =>
  `a redirect (HTTP ${r.status}) to ${location ?? 'an opaque or invalid location'}, not followed`;

function locationOf(r: ResponseFacts): string | undefined {
  try {
    return r.redact(new URL(r.header('location')!).origin) || undefined; // a browser's opaque redirect has none
  } catch {
    return undefined;
  }
}

/** A JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Zoho's message `a` is the documented `b`, without regard to case or a final period. */
export const sameMessage = (a: string, b: string) => a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');

type ApiErrorClass = new (init: ZohoApiErrorInit, retryAfterMs?: number) => ZohoApiError;

/** An operation's own reading of a 4xx code (revoke: nothing to revoke; rerun: the scheduler is busy). */
export type Refine = (init: ZohoApiErrorInit) => ApiErrorClass | undefined;

// Codes that name the class whatever the operation. (A sanitised code cannot name a prototype key.)
const BY_CODE: Record<string, ApiErrorClass | undefined> = {
  TOO_MANY_REQUESTS: RateLimitError,
  INTERNAL_ERROR: ServerError,
  OAUTH_SCOPE_MISMATCH: ScopeMismatchError,
  AUTHENTICATION_FAILURE: AuthenticationError,
  INVALID_TOKEN: AuthenticationError,
  NO_PERMISSION: PermissionDeniedError,
  AUTHORIZATION_FAILED: PermissionDeniedError,
  INVALID_MODULE: InvalidModuleError,
};

/**
 * The one place that turns an answer that is not the documented success into an error. The HTTP
 * status decides first; Zoho's code refines it, then the operation's `refine`. `problem` says why a
 * 2xx was not a success; `retryAfterMs` is the answer's `Retry-After`, already capped.
 */
export function errorFromResponse(operation: OperationName, r: ResponseFacts, problem?: string, retryAfterMs?: number, refine?: Refine): ZohoCrmError {
  const { status } = r;
  const snippet = printable(r.text.slice(0, 400), 200);
  const zoho = errorStatusOf(r.json);
  // A body that cannot be read as one answer is judged by nothing it says, whatever the status.
  if (r.redirect || r.unreadable || (status < 300 && (r.tooLarge || !zoho))) {
    const location = r.redirect ? locationOf(r) : undefined;
    const why = r.redirect ? redirectRefused(r, location) : (r.unreadable ?? (r.tooLarge ? 'the body is over maxResponseBytes' : (problem ?? 'not the documented success')));
    const contentType = shown(r, 'content-type') ?? '';
    return new UnexpectedResponseError(
      `${operation}: HTTP ${status} (${contentType || 'no Content-Type'}) is not the documented answer: ${why}${snippet ? `; body: ${snippet}` : ''}`,
      { status, contentType, snippet, location },
    );
  }
  const code = zoho?.code;
  const init: ZohoApiErrorInit = {
    status,
    code: code ?? `HTTP_${status}`,
    message: zoho?.message ?? `no Zoho status object${snippet ? `: ${snippet}` : ''}`,
    details: zoho?.details ?? {},
    body: r.json ?? r.text,
    requestId: shown(r, 'x-request-id'),
  };
  const d = init.details;
  const invalid = code === 'INVALID_DATA' || code === 'REQUIRED_PARAM_MISSING';
  const Class =
    // The status first: what it says holds whatever the body claims.
    (status === 429 && RateLimitError) ||
    (status >= 500 && ServerError) ||
    (status === 401 && (code === 'OAUTH_SCOPE_MISMATCH' ? ScopeMismatchError : AuthenticationError)) ||
    (status === 403 && PermissionDeniedError) ||
    // Then Zoho's code, for the other 4xx and an error status object inside a 2xx envelope; then the operation's reading.
    BY_CODE[code!] ||
    refine?.(init) ||
    (invalid && ((d.param_name ?? d.param) === 'module' || d.resource_path_index === 0) && InvalidModuleError) ||
    (invalid && (d.resource_path_index === 1 || init.message === 'ENTITY_ID_INVALID') && InvalidRecordIdError) ||
    ZohoApiError;
  return new Class(init, retryAfterMs);
}

/**
 * The answer as the client judges it: the body redacted, parsed (unless it repeats a key), and every
 * string of what was parsed redacted again (parsing undoes JSON escapes the raw text's redaction did not see).
 */
export function factsOf(answer: RawAnswer, redact: (text: string) => string): ResponseFacts {
  const text = redact(answer.text);
  let json: unknown;
  let key: string | undefined;
  let unreadable = answer.encoded ? `Content-Encoding ${printable(redact(answer.header('content-encoding')!), 40)} is not decoded` : undefined;
  if (text && !answer.tooLarge && !unreadable) {
    try {
      json = JSON.parse(text);
      // Parsing changes a string only through an escape: without a backslash, each is already redacted as part of the text.
      if (text.includes('\\')) json = redactValue(json, redact);
      // The count first (no allocation); the key named only when the counts say one repeats.
      if (repeatsAKey(text, json) && (key = repeatedKey(text)) !== undefined) {
        json = undefined;
        unreadable = `the key ${JSON.stringify(printable(redact(key), 60))} is repeated (ambiguous)`;
      }
    } catch {
      // Not JSON: judged by the caller (never a success).
    }
  }
  // The answer (made for this call alone) becomes the facts in place: its text replaced by the redacted
  // one. Spreading it into a new object cost more than the rest of this function together.
  const facts = answer as RawAnswer & ResponseFacts;
  facts.text = text;
  facts.json = json;
  facts.unreadable = unreadable;
  facts.redact = redact;
  return facts;
}
