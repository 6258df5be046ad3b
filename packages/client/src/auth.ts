import { ConnectionError, TimeoutError, TokenRefreshError, redirectRefused } from './errors.js';
import { readResponse } from './http.js';
import { oauthError, type SecretSet } from './redact.js';
import { attemptDeadline, wait } from './retry.js';

export type AuthOptions =
  /** A fixed access token. It cannot be refreshed: an expired one surfaces as AuthenticationError. */
  | { accessToken: string }
  /** The refresh-token grant: the client fetches and caches access tokens from the data centre's token URL. */
  | { clientId: string; clientSecret: string; refreshToken: string }
  /** Your own token source. `forceRefresh` is true after Zoho rejected the last token. */
  | { getAccessToken: Provider };

type Provider = (ctx: { forceRefresh: boolean; signal?: AbortSignal | undefined }) => Promise<string> | string;

export interface TokenSource {
  /** A token to send now. Concurrent callers share one refresh; each stops waiting when its own signal aborts. */
  get(signal?: AbortSignal): Promise<string>;
  /** Zoho said `token` is invalid; the next get() fetches a new one. False when the source cannot refresh. */
  invalidate(token: string): boolean;
}

interface Deps {
  tokenUrl: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Every token obtained is added, so that an echo of it is redacted too. */
  secrets: SecretSet;
  now?: () => number;
  /** After each refresh; on success with the `api_domain` Zoho Accounts reported (an http(s) origin), when it sent one. */
  onRefresh?: (ok: boolean, apiDomain?: string) => void;
}

// Refresh this long before Zoho's stated expiry, so a token never expires in flight.
const EXPIRY_MARGIN_MS = 60_000;
// A token is sent in a header: printable ASCII without spaces, bounded.
const TOKEN = /^[\x21-\x7e]{1,4096}$/;
const AUTH_SHAPES = 'auth: expected { accessToken } or { clientId, clientSecret, refreshToken } or { getAccessToken }';

export function createTokenSource(auth: AuthOptions, deps: Deps): TokenSource {
  const a = auth as Record<string, unknown>;
  const need = (key: string, type = 'string') => {
    if (typeof a[key] !== type || !a[key]) throw new TypeError(`auth.${key}: expected a non-empty ${type}`);
  };
  if (!a || typeof a !== 'object') throw new TypeError(AUTH_SHAPES);
  if ('accessToken' in a) {
    need('accessToken');
    const token = a.accessToken as string;
    return { get: async () => token, invalidate: () => false };
  }
  if ('getAccessToken' in a) {
    need('getAccessToken', 'function');
    return providerSource(a.getAccessToken as Provider, deps);
  }
  if (!('refreshToken' in a)) throw new TypeError(AUTH_SHAPES);
  ['clientId', 'clientSecret', 'refreshToken'].forEach((k) => need(k));
  return refreshGrantSource(a as { clientId: string; clientSecret: string; refreshToken: string }, deps);
}

function providerSource(provider: Provider, deps: Deps): TokenSource {
  let forced: Promise<string> | undefined;
  let rejected: string | undefined;
  const ask = async (forceRefresh: boolean, signal?: AbortSignal) => {
    const token = await provider({ forceRefresh, signal });
    deps.secrets.add(token);
    return token;
  };
  const waitFor = (p: Promise<string>, signal?: AbortSignal) => wait(deps.timeoutMs, signal, 'getAccessToken', p);
  return {
    async get(signal) {
      if (forced) return waitFor(forced, signal);
      const token = await waitFor(ask(false, signal), signal);
      if (token !== rejected) return token;
      // The provider still hands out the token Zoho rejected: ask it, once for all callers, to refresh,
      // under its own deadline rather than the first caller's signal.
      if (!forced) {
        const deadline = attemptDeadline(deps.timeoutMs);
        forced = ask(true, deadline.signal).finally(() => {
          deadline.dispose();
          forced = undefined;
        });
      }
      return waitFor(forced, signal);
    },
    invalidate(token) {
      rejected = token;
      return true;
    },
  };
}

function refreshGrantSource(auth: { clientId: string; clientSecret: string; refreshToken: string }, deps: Deps): TokenSource {
  const now = deps.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  // Runs under its own deadline only: one caller giving up must not fail the others waiting on it.
  async function refresh(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
      refresh_token: auth.refreshToken,
    });
    const deadline = attemptDeadline(deps.timeoutMs);
    let r;
    try {
      const res = await deps.fetch(deps.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: deadline.signal,
        // The form holds the client secret and the refresh token: it goes to the token URL or nowhere.
        redirect: 'manual',
      });
      r = await readResponse(res, { maxBytes: deps.maxResponseBytes, retryAfterCapMs: 0, redact: deps.secrets.redact, drop: deadline.abort });
    } catch (err) {
      deps.onRefresh?.(false);
      if (deadline.timedOut) throw new TimeoutError(`token refresh: no answer within ${deps.timeoutMs} ms`);
      throw new ConnectionError(`could not reach the token URL ${new URL(deps.tokenUrl).origin}`, { cause: err });
    } finally {
      deadline.dispose();
    }
    // Zoho Accounts answers failures with HTTP 200 or 400 and {"error": "..."}: test for the token, not the status.
    const json = (r.json ?? {}) as Record<string, unknown>;
    const token = json.access_token;
    if (r.redirect || typeof token !== 'string' || !TOKEN.test(token)) {
      deps.onRefresh?.(false);
      const error = json.error === undefined ? undefined : oauthError(json.error);
      const why = r.redirect
        ? redirectRefused(r)
        : `HTTP ${r.status}${r.tooLarge ? ', body over maxResponseBytes' : ''}${error ? `, error "${error}"` : ''}, no access_token; check the client id and secret, the refresh token and the data centre`;
      throw new TokenRefreshError(`token refresh failed: ${why}`, { ...(error && !r.redirect ? { error } : {}), status: r.status });
    }
    deps.secrets.add(token);
    const expiresIn = Number(json.expires_in ?? json.expires_in_sec ?? 3600);
    cached = { token, expiresAt: now() + (Number.isFinite(expiresIn) ? Math.min(Math.max(expiresIn, 0), 86_400) : 3600) * 1000 };
    deps.onRefresh?.(true, apiDomainOf(json.api_domain));
    return token;
  }

  return {
    get(signal) {
      if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > now()) return Promise.resolve(cached.token);
      // One refresh for every caller waiting on it; Zoho allows only 10 tokens per 10 minutes.
      inflight ??= refresh().finally(() => (inflight = undefined));
      // The refresh has its own deadline; the extra second only matters if a fetch ignores its signal.
      return wait(deps.timeoutMs + 1000, signal, 'token refresh', inflight);
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
      return true;
    },
  };
}

/** The grant's `api_domain` (the org's API origin, e.g. https://www.zohoapis.eu) when it is one. */
function apiDomainOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/+$/, '') ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
