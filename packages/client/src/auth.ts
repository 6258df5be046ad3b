// The token every request sends. A fixed access token is handled here; the other auth modes are
// their own modules (refresh-token.ts, token-provider.ts), so an app carries only the one it uses.
import type { Requester } from './http.js';
import type { SecretSet } from './redact.js';
import type { DataCenter } from './generated/zoho.js';

/** Your own token source. `forceRefresh` is true after Zoho rejected the last token. */
export type TokenProvider = (ctx: { forceRefresh: boolean; signal?: AbortSignal | undefined }) => Promise<string> | string;

/** An auth mode made by `refreshTokenGrant()` or `tokenProvider()`. */
export interface AuthMode {
  /** Builds the client's token source (called once, by the client). */
  readonly createTokenSource: (deps: TokenSourceDeps) => TokenSource;
}

/** The refresh-token grant, made by `refreshTokenGrant()`: the client fetches and caches access tokens. */
export interface RefreshTokenAuth extends AuthMode {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/** Your own token source, made by `tokenProvider()`. */
export interface TokenProviderAuth extends AuthMode {
  readonly getAccessToken: TokenProvider;
}

/** What `createZohoCrmCore` takes: a fixed token, `refreshTokenGrant({...})` or `tokenProvider(fn)`. */
export type CoreAuthOptions =
  /** A fixed access token. It cannot be refreshed: an expired one surfaces as AuthenticationError. */
  | { accessToken: string }
  | RefreshTokenAuth
  | TokenProviderAuth;

/**
 * What `createZohoCrmClient` takes: the same, or the plain shapes `{ clientId, clientSecret,
 * refreshToken }` (the refresh-token grant) and `{ getAccessToken }` (your provider).
 */
export type AuthOptions = CoreAuthOptions | { clientId: string; clientSecret: string; refreshToken: string } | { getAccessToken: TokenProvider };

/** Hands out access tokens to the calls: what a core's `auth` option creates. */
export interface TokenSource {
  /** A token to send now: a string when one is at hand. Concurrent callers share one refresh; each stops waiting when its own signal aborts. */
  get(signal?: AbortSignal): Promise<string> | string;
  /** Zoho said `token` is invalid; the next get() fetches a new one. False when the source cannot refresh. */
  invalidate(token: string): boolean;
}

/** What the client gives an auth option to create its `TokenSource`: where and how to refresh. */
export interface TokenSourceDeps {
  /** The `tokenUrl` option, when given; else the token URL of `dataCenter`. */
  tokenUrl: string | undefined;
  dataCenter: DataCenter;
  request: Requester;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Every token obtained is added, so that an echo of it is redacted too. */
  secrets: SecretSet;
  /** The clock for token expiry (ms since the epoch). Default `Date.now`. */
  now?: () => number;
  /** After each refresh; on success with the `api_domain` Zoho Accounts reported (an http(s) origin), when it sent one. */
  onRefresh?: ((ok: boolean, apiDomain?: string) => void) | undefined;
}

const CORE_AUTH = 'auth: expected { accessToken }, refreshTokenGrant() or tokenProvider()';

/** `auth.<key>` must be a non-empty value of `type`. */
export function need(auth: Record<string, unknown>, key: string, type = 'string'): void {
  if (typeof auth[key] !== type || !auth[key]) throw new TypeError(`auth.${key}: expected a non-empty ${type}`);
}

/**
 * The core's token source: a fixed token, or an auth mode built by `refreshTokenGrant()` or
 * `tokenProvider()`. (`createZohoCrmClient` turns its plain shapes into those first.)
 */
export function createTokenSource(auth: CoreAuthOptions, deps: TokenSourceDeps): TokenSource {
  const a = auth as Record<string, unknown>;
  // One mode only, of the expected form: which token to send must never be a guess.
  if (typeof a?.createTokenSource === 'function' && !('accessToken' in a)) return (auth as AuthMode).createTokenSource(deps);
  const token = a?.accessToken;
  if (typeof token !== 'string' || !token || 'createTokenSource' in a || 'refreshToken' in a || 'getAccessToken' in a) throw new TypeError(CORE_AUTH);
  return { get: () => token, invalidate: () => false };
}
