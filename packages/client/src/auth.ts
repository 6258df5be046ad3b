import { AbortError, ConnectionError, TimeoutError, TokenRefreshError } from './errors.js';
import { attemptDeadline } from './retry.js';

export type AuthOptions =
  /** A fixed access token. It cannot be refreshed: an expired one surfaces as AuthenticationError. */
  | { accessToken: string }
  /** The refresh-token grant: the client fetches and caches access tokens from the data centre's token URL. */
  | { clientId: string; clientSecret: string; refreshToken: string }
  /** Your own token source. `forceRefresh` is true after Zoho rejected the last token. */
  | { getAccessToken: (ctx: { forceRefresh: boolean; signal?: AbortSignal | undefined }) => Promise<string> | string };

export interface TokenSource {
  /** A token to send now. Concurrent callers share one refresh. */
  get(signal?: AbortSignal): Promise<string>;
  /** Zoho said `token` is invalid; the next get() fetches a new one. False when the source cannot refresh. */
  invalidate(token: string): boolean;
}

type Fetch = typeof globalThis.fetch;

// Refresh this long before Zoho's stated expiry, so a token never expires in flight.
const EXPIRY_MARGIN_MS = 60_000;

export function createTokenSource(
  auth: AuthOptions,
  deps: { tokenUrl: string; fetch: Fetch; timeoutMs: number; now?: () => number; onRefresh?: (ok: boolean) => void },
): TokenSource {
  if (!auth || typeof auth !== 'object') throw new TypeError('auth: expected { accessToken } or { clientId, clientSecret, refreshToken } or { getAccessToken }');
  if ('accessToken' in auth) {
    if (typeof auth.accessToken !== 'string' || !auth.accessToken) throw new TypeError('auth.accessToken: expected a non-empty string');
    const token = auth.accessToken;
    return { get: async () => token, invalidate: () => false };
  }
  if ('getAccessToken' in auth) {
    if (typeof auth.getAccessToken !== 'function') throw new TypeError('auth.getAccessToken: expected a function');
    return providerSource(auth.getAccessToken);
  }
  if ('refreshToken' in auth) {
    for (const key of ['clientId', 'clientSecret', 'refreshToken'] as const) {
      if (typeof auth[key] !== 'string' || !auth[key]) throw new TypeError(`auth.${key}: expected a non-empty string`);
    }
    return refreshGrantSource(auth, deps);
  }
  throw new TypeError('auth: expected { accessToken } or { clientId, clientSecret, refreshToken } or { getAccessToken }');
}

function providerSource(
  provider: (ctx: { forceRefresh: boolean; signal?: AbortSignal | undefined }) => Promise<string> | string,
): TokenSource {
  let forced: Promise<string> | undefined;
  let rejected: string | undefined;
  return {
    async get(signal) {
      if (forced) return forced;
      const token = await provider({ forceRefresh: false, signal });
      if (token !== rejected) return token;
      // The provider still hands out the token Zoho rejected: ask it, once for all callers, to refresh.
      forced ??= Promise.resolve(provider({ forceRefresh: true, signal })).finally(() => (forced = undefined));
      return forced;
    },
    invalidate(token) {
      rejected = token;
      return true;
    },
  };
}

function refreshGrantSource(
  auth: { clientId: string; clientSecret: string; refreshToken: string },
  deps: { tokenUrl: string; fetch: Fetch; timeoutMs: number; now?: () => number; onRefresh?: (ok: boolean) => void },
): TokenSource {
  const now = deps.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function refresh(signal?: AbortSignal): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
      refresh_token: auth.refreshToken,
    });
    const deadline = attemptDeadline(deps.timeoutMs, signal);
    let res: Response;
    let text: string;
    try {
      res = await deps.fetch(deps.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: deadline.signal,
      });
      text = await res.text();
    } catch (err) {
      deps.onRefresh?.(false);
      if (signal?.aborted) throw new AbortError('token refresh aborted', { cause: signal.reason });
      if (deadline.timedOut) throw new TimeoutError(`token refresh took longer than ${deps.timeoutMs} ms`);
      throw new ConnectionError(`could not reach the token URL ${deps.tokenUrl}`, { cause: err });
    } finally {
      deadline.dispose();
    }
    let json: Record<string, unknown> = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      // Not JSON: reported below without echoing the body, which could reflect the request.
    }
    // Zoho Accounts answers failures with HTTP 200 or 400 and {"error": "..."}: test for the token, not the status.
    if (typeof json.access_token !== 'string' || !json.access_token) {
      deps.onRefresh?.(false);
      const code = typeof json.error === 'string' ? json.error : undefined;
      throw new TokenRefreshError(
        `Zoho Accounts refused the refresh-token grant (HTTP ${res.status}${code ? `, error "${code}"` : ''}); check the client id, client secret and refresh token, and the data centre`,
        { ...(code ? { error: code } : {}), status: res.status },
      );
    }
    const expiresIn = Number(json.expires_in ?? json.expires_in_sec ?? 3600);
    cached = { token: json.access_token, expiresAt: now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000 };
    deps.onRefresh?.(true);
    return json.access_token;
  }

  return {
    get(signal) {
      if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > now()) return Promise.resolve(cached.token);
      // One refresh for every caller waiting on it; Zoho allows only 10 tokens per 10 minutes.
      inflight ??= refresh(signal).finally(() => (inflight = undefined));
      return inflight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
      return true;
    },
  };
}
