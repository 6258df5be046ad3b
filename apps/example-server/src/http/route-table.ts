// The route table and its dispatch: path pattern, methods, and whether the admin gate applies.
import type { IncomingMessage } from 'node:http';
import type { Answer, Context, Handler } from './answer.js';
import type { Gate } from './gate.js';

export interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
  /** The page and the API, for a person's browser (the gate applies). The webhook (its own secret) and /healthz (load balancers) are not. */
  admin: boolean;
  /** Changes something at Zoho: refused from another site. */
  mutating?: boolean;
}

export async function dispatch(routes: readonly Route[], gate: Gate, req: IncomingMessage, ctx: Context, pathname: string): Promise<Answer> {
  for (const r of routes) {
    const match = r.pattern.exec(pathname);
    if (!match) continue;
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const handler = r.methods[method];
    // The admin gate first, even for a method the route lacks (a 405 would tell a stranger what is there).
    const refused = r.admin ? gate(req, ctx, handler !== undefined && r.mutating === true) : undefined;
    if (refused) return refused;
    if (!handler) {
      const allow = Object.keys(r.methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');
      return { status: 405, headers: { allow }, body: { error: 'method_not_allowed', message: `${req.method} is not allowed here; use ${allow}` } };
    }
    try {
      ctx.params = match.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      return { status: 400, body: { error: 'invalid_input', field: 'path', expected: 'valid percent-encoding', message: 'path: malformed percent-encoding' } };
    }
    return handler(ctx);
  }
  return { status: 404, body: { error: 'not_found', message: `no route for ${req.method} ${pathname}` } };
}
