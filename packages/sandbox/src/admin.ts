// /__sandbox/*: the sandbox's own control API (not Zoho's). The HTTP server may put it behind a token
// (server.ts: `adminToken`), so a sandbox reachable by others cannot be reconfigured or reset by them;
// in process nobody else can reach it. Portable: no node: module.
import { ConfigError, type SandboxConfig } from './config.js';
import { Reply } from './reply.js';
import { decode } from './routes.js';
import type { RecordState, SandboxStats } from './state.js';

export interface AdminControls {
  stats(): SandboxStats;
  record(module: string, id: string): RecordState | undefined;
  expireTokens(): void;
  config(): SandboxConfig;
  configure(patch: unknown): SandboxConfig;
  reset(): void;
}

export function admin(
  req: { method: string; segments: string[]; body: string },
  controls: AdminControls,
): Reply {
  const [what, a, b] = req.segments;
  const { method } = req;
  if (what === 'stats' && method === 'GET') return new Reply(200, controls.stats());
  if (what === 'records' && method === 'GET' && a && b) {
    const [module, id] = [decode(a), decode(b)];
    const r = module !== undefined && id !== undefined ? controls.record(module, id) : undefined;
    return r ? new Reply(200, r) : new Reply(404, { error: 'no such record' });
  }
  if (what === 'tokens' && a === 'expire' && method === 'POST') {
    controls.expireTokens();
    return new Reply(200, { expired: true });
  }
  if (what === 'config' && method === 'GET') return new Reply(200, controls.config());
  if (what === 'config' && method === 'PATCH') {
    let patch: unknown;
    try {
      patch = JSON.parse(req.body || '{}');
    } catch (e) {
      return new Reply(400, { error: `config: the body is not JSON (${(e as Error).message})` });
    }
    try {
      return new Reply(200, controls.configure(patch));
    } catch (e) {
      if (e instanceof ConfigError) return new Reply(400, { error: e.message });
      throw e;
    }
  }
  if (what === 'reset' && method === 'POST') {
    controls.reset();
    return new Reply(200, { reset: true });
  }
  return new Reply(404, { error: 'unknown sandbox admin endpoint' });
}
