// Who may use the admin page and /api, asked before anything else about the request is looked at:
// the Host allow-list, then the admin login, then (for a change) that the request is from our own page.
import type { IncomingMessage } from 'node:http';
import type { Answer, Context } from './answer.js';
import { BASIC_REALM, basicAuthMatches, crossSite, hostAllowed, type AdminCredential } from './security.js';

export type Gate = (req: IncomingMessage, ctx: Context, mutating: boolean) => Answer | undefined;

export function adminGate(allowedHosts: ReadonlySet<string>, admin: AdminCredential | undefined): Gate {
  return (req, ctx, mutating) => {
    if (!hostAllowed(req, allowedHosts)) {
      ctx.log.refused = 'host';
      return { status: 403, body: { error: 'host_not_allowed', message: 'this Host is not on the allow-list (ALLOWED_HOSTS)' } };
    }
    if (admin && !basicAuthMatches(req.headers.authorization, admin)) {
      ctx.log.refused = 'login';
      return { status: 401, headers: { 'www-authenticate': BASIC_REALM }, body: { error: 'login_required', message: 'the admin page and /api need the admin login (ADMIN_PASSWORD)' } };
    }
    // A page elsewhere in the browser must not drive the admin API (a form POST needs no CORS preflight).
    if (mutating && crossSite(req, allowedHosts)) {
      ctx.log.refused = 'cross_site';
      return { status: 403, body: { error: 'cross_site_request', message: 'the admin API only accepts requests from its own page' } };
    }
    return undefined;
  };
}
