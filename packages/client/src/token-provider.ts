// Your own token source as an auth mode: asked for a token per call, and to refresh once Zoho
// rejected the one it gave.
import { need, type TokenProvider, type TokenProviderAuth } from './auth.js';
import { attemptDeadline, race, signalOf } from './internal/deadline.js';

/** `getAccessToken` as an auth mode, for `createZohoCrmCore({ auth: tokenProvider(fn) })` (`createZohoCrmClient` also takes `{ getAccessToken }`). */
export function tokenProvider(getAccessToken: TokenProvider): TokenProviderAuth {
  need({ getAccessToken }, 'getAccessToken', 'function');
  return {
    getAccessToken,
    createTokenSource(deps) {
      let forced: Promise<string> | undefined;
      let rejected: string | undefined;
      const ask = async (forceRefresh: boolean, signal?: AbortSignal) => {
        const token = await getAccessToken({ forceRefresh, signal });
        deps.secrets.add(token);
        return token;
      };
      const waitFor = (p: Promise<string>, signal?: AbortSignal) => race(p, deps.timeoutMs, signal, 'getAccessToken');
      return {
        async get(signal) {
          if (forced) return waitFor(forced, signal);
          const token = await waitFor(ask(false, signal), signal);
          if (token !== rejected) return token;
          // The provider still hands out the token Zoho rejected: ask it, once for all callers, to refresh,
          // under its own deadline rather than the first caller's signal.
          if (!forced) {
            const deadline = attemptDeadline(deps.timeoutMs);
            forced = ask(true, signalOf(deadline)).finally(() => {
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
    },
  };
}
