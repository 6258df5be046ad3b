// One call of Zoho's API, in the order Zoho answers: route (404 URL, 400 method), token (401), the
// org's limits (429), the call's time in the server, an injected fault (500, decided before anything
// changes, so a 500 never half-applies), then the operation's handler.
import { authenticate } from './auth.js';
import type { OperationId } from './generated/zoho.js';
import type { Context, Handler } from './handlers/call.js';
import { getDataSharingRulesSummary, rerunDataSharingRules } from './handlers/rules.js';
import { getSharedRecordDetails, revokeSharedRecord, shareRecord, updateRecordShares } from './handlers/shares.js';
import { admit } from './limits.js';
import { Reply, fail } from './reply.js';
import { resolve } from './routes.js';

const HANDLERS = {
  rerunDataSharingRules,
  getDataSharingRulesSummary,
  getSharedRecordDetails,
  shareRecord,
  updateRecordShares,
  revokeSharedRecord,
} satisfies Record<OperationId, Handler>;

export interface ApiRequest {
  method: string;
  version: string;
  /** Path segments after `/crm/{version}/`, still percent-encoded. */
  segments: string[];
  query: URLSearchParams;
  authorization: string | undefined;
  body: string | undefined;
  /** The data centre of the Zoho API host called; none at the sandbox's own origin. */
  dataCenter?: string | undefined;
}

export interface ApiDeps {
  context: () => Context;
  /** Holds the call for its latency (the sandbox's service time; tests pass a gate). */
  delay: (latencyMs: number) => Promise<void>;
  random: () => number;
}

export async function handleApi(req: ApiRequest, deps: ApiDeps): Promise<Reply> {
  const route = resolve(req.method, req.version, req.segments);
  if (route instanceof Reply) return route;
  const { op, params } = route;
  let ctx = deps.context();
  const caller = authenticate(op, req.authorization, ctx.state, ctx.now, req.dataCenter);
  if (caller instanceof Reply) return caller;
  const release = admit(op, caller, ctx.state, ctx.config, ctx.now);
  if (release instanceof Reply) return release;
  try {
    if (ctx.config.latencyMs > 0) {
      await deps.delay(ctx.config.latencyMs);
      ctx = deps.context(); // the clock moved while the call waited
    }
    if (ctx.config.errorRate > 0 && deps.random() < ctx.config.errorRate) {
      ctx.state.stats.injectedErrors++;
      return fail(op, 'INTERNAL_ERROR');
    }
    try {
      return HANDLERS[op.id]({ op, version: req.version, params, query: req.query, body: req.body, caller }, ctx);
    } catch (e) {
      if (e instanceof Reply) return e;
      throw e;
    }
  } finally {
    release();
  }
}
