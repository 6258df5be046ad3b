// The OAuth refresh-token grant: access tokens fetched from the data centre's token URL, cached until
// shortly before they expire, one refresh shared by every caller waiting for it.
import { need, type RefreshTokenAuth, type TokenSource, type TokenSourceDeps } from './auth.js';
import { ConnectionError, TimeoutError, TokenRefreshError } from './errors.js';
import { factsOf, redirectRefused } from './internal/response.js';
import { oauthError } from './redact.js';
import { attemptDeadline, race } from './internal/deadline.js';
import { TOKEN_URLS } from './generated/zoho.js';

// Refresh this long before Zoho's stated expiry (at most half the lifetime), so a token never expires in flight.
const EXPIRY_MARGIN_MS = 60_000;
/**
 * The lifetime, in seconds, taken for a token whose `expires_in` is 0, negative or within the 60 s
 * margin: a token URL saying so must not make every call refresh. (A token that does expire sooner
 * is refused with 401 INVALID_TOKEN, which refreshes it once.)
 */
export const MIN_TOKEN_LIFETIME_S = 300;
/** Zoho Accounts issues at most 10 access tokens per refresh token per 10 minutes: the client never asks for more. */
export const REFRESH_LIMIT = { tokens: 10, windowMs: 600_000 } as const; // 10 minutes (a literal: `10 * 60_000` keeps it in bundles that do not use it)
// A token is sent in a header: printable ASCII without spaces, bounded.
const TOKEN = /^[\x21-\x7e]{1,4096}$/;

/**
 * The refresh-token grant as an auth mode, for `createZohoCrmCore({ auth: refreshTokenGrant({...}) })`
 * (`createZohoCrmClient` also takes the three values as they are).
 */
export function refreshTokenGrant(credentials: { clientId: string; clientSecret: string; refreshToken: string }): RefreshTokenAuth {
  const c = (credentials ?? {}) as Record<string, unknown>;
  for (const key of ['clientId', 'clientSecret', 'refreshToken']) need(c, key);
  const { clientId, clientSecret, refreshToken } = credentials;
  return { clientId, clientSecret, refreshToken, createTokenSource: (deps) => refreshGrantSource(credentials, deps) };
}

function refreshGrantSource(auth: { clientId: string; clientSecret: string; refreshToken: string }, deps: TokenSourceDeps): TokenSource {
  const now = deps.now ?? (() => Date.now());
  let cached: { token: string; renewAt: number } | undefined;
  // When each token request of the last REFRESH_LIMIT.windowMs was sent, oldest first.
  const sent: number[] = [];
  let inflight: Promise<string> | undefined;
  const tokenUrl = deps.tokenUrl ?? TOKEN_URLS[deps.dataCenter];
  const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: auth.clientId, client_secret: auth.clientSecret, refresh_token: auth.refreshToken }).toString();

  // Runs under its own deadline only: one caller giving up must not fail the others waiting on it.
  async function refresh(): Promise<string> {
    const at = now();
    while (sent.length && sent[0]! <= at - REFRESH_LIMIT.windowMs) sent.shift();
    if (sent.length >= REFRESH_LIMIT.tokens) {
      const next = sent[0]! + REFRESH_LIMIT.windowMs;
      throw new TokenRefreshError(
        `token refresh not sent: ${REFRESH_LIMIT.tokens} access tokens were already requested in the last 10 minutes, the most Zoho Accounts issues per refresh token; the next can be requested at ${new Date(next).toISOString()} (in ${Math.ceil((next - at) / 1000)} s)`,
      );
    }
    sent.push(at);
    const deadline = attemptDeadline(deps.timeoutMs);
    let r;
    try {
      const answer = await deps.request(
        { url: tokenUrl, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form, maxBytes: deps.maxResponseBytes },
        deadline,
      );
      r = factsOf(answer, deps.secrets.redact);
    } catch (err) {
      deps.onRefresh?.(false);
      if (deadline.timedOut) throw new TimeoutError(`token refresh: no answer within ${deps.timeoutMs} ms`);
      throw new ConnectionError(`could not reach the token URL ${new URL(tokenUrl).origin}`, { cause: err });
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
    cached = { token, renewAt: renewAtOf(json.expires_in ?? json.expires_in_sec, now()) };
    deps.onRefresh?.(true, apiDomainOf(json.api_domain));
    return token;
  }

  return {
    get(signal) {
      if (cached && cached.renewAt > now()) return cached.token;
      // One refresh for every caller waiting on it; Zoho allows only 10 tokens per 10 minutes.
      inflight ??= refresh().finally(() => (inflight = undefined));
      // The refresh has its own deadline; the extra second only matters if a fetch ignores its signal.
      return race(inflight, deps.timeoutMs + 1000, signal, 'token refresh');
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
      return true;
    },
  };
}

/**
 * When to renew a token obtained at `at`: the margin (at most half its life) before it expires.
 * `expires_in`: a non-number is 3600 s, more than a day a day, and 0, negative or within the margin
 * MIN_TOKEN_LIFETIME_S.
 */
export function renewAtOf(expiresIn: unknown, at: number): number {
  const stated = Number(expiresIn ?? 3600);
  const seconds = !Number.isFinite(stated) ? 3600 : stated * 1000 <= EXPIRY_MARGIN_MS ? MIN_TOKEN_LIFETIME_S : Math.min(stated, 86_400);
  return at + seconds * 1000 - Math.min(EXPIRY_MARGIN_MS, (seconds * 1000) / 2);
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
