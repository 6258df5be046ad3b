// The sandbox's core: one request in, one Reply out, over a SandboxState. Zoho's API under /crm/, Zoho
// Accounts' token endpoint, 404 INVALID_URL_PATTERN elsewhere. No node: module, no file, no code
// compiled at run time (the spec's checks are generated), so it runs wherever JavaScript runs: the
// HTTP server (http.ts, server.ts) and the state file (persist.ts) are thin layers around it.
import { handleApi } from './api.js';
import type { SandboxConfig } from './config.js';
import { tokenGrant } from './oauth.js';
import { fail, type Reply } from './reply.js';
import { notFound } from './routes.js';
import { operations } from './spec.js';
import type { SandboxState } from './state.js';

export interface CoreRequest {
  method: string;
  /** Path and query as sent (still percent-encoded). */
  url: string;
  authorization: string | undefined;
  body: string | undefined;
}

export interface CoreDeps {
  state: SandboxState;
  config: () => SandboxConfig;
  /** The sandbox clock (ms since the epoch). */
  now: () => number;
  random: () => number;
  /** Holds a call for its latency (ms). */
  delay: (latencyMs: number) => Promise<void>;
  /** The origin the token endpoint reports as `api_domain`. */
  origin: () => string;
  /** The data centre of the Zoho host the request came to (tokens minted there work there only); none at the sandbox's own origin. */
  dataCenter?: string | undefined;
}

const internalError = fail(operations[0]!, 'INTERNAL_ERROR');

/** Zoho's answer to one request; every answer is counted in the state's stats. */
export async function answer(req: CoreRequest, deps: CoreDeps): Promise<Reply> {
  return counted(deps.state, await route(req, deps));
}

/** Counts an answer in the stats (requests, and by status), and returns it. */
export function counted(state: SandboxState, reply: Reply): Reply {
  state.stats.requests++;
  state.stats.byStatus[reply.status] = (state.stats.byStatus[reply.status] ?? 0) + 1;
  return reply;
}

async function route(req: CoreRequest, deps: CoreDeps): Promise<Reply> {
  const q = req.url.indexOf('?');
  const pathname = q < 0 ? req.url : req.url.slice(0, q);
  const segments = pathname.split('/').filter(Boolean);
  try {
    if (segments[0] === 'crm' && segments.length >= 2) {
      const query = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
      return await handleApi(
        { method: req.method, version: segments[1]!, segments: segments.slice(2), query, authorization: req.authorization, body: req.body, dataCenter: deps.dataCenter },
        { context: () => ({ state: deps.state, config: deps.config(), now: deps.now() }), delay: deps.delay, random: deps.random },
      );
    }
    if (pathname === '/oauth/v2/token') return tokenGrant(req.method, req.body ?? '', deps.state, deps.config(), deps.now(), deps.origin(), deps.dataCenter);
    return notFound(segments);
  } catch {
    // A bug here, never a request error: answered as Zoho answers its own (500 INTERNAL_ERROR).
    return internalError;
  }
}
