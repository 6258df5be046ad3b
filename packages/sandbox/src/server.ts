// startSandbox(): the sandbox (engine.ts: state, settings, controls, the core) served over HTTP, with
// what only a server has: a port, an admin token, a state file, a seed read from a file.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createEngine, withControls, type EngineOptions, type SandboxControls } from './engine.js';
import { listen, type ResponseEntry } from './http.js';
import { StateFile } from './persist.js';
import type { SandboxSeed } from './seed.js';
import { loadSeed } from './seed-file.js';

export type { SandboxConfig } from './config.js';
export type { RecordState, SandboxStats, ShareEntry } from './state.js';

/** Options of `startSandbox`: where it listens, its seed and state file, and any switch of `SandboxConfig`. */
export interface SandboxOptions extends EngineOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A seed object or a JSON file path. Default: demoSeed(). */
  seed?: SandboxSeed | string;
  /** Keep the state (records and their shares, reruns, tokens, credits) in this file across restarts. */
  statePath?: string;
  /** Require `Authorization: Bearer <adminToken>` on /__sandbox/*. */
  adminToken?: string;
  /** Called with every response the sandbox sends (tests use it to check responses against the spec). */
  onResponse?: (entry: ResponseEntry) => void;
}

/** A running sandbox: its URLs, its state for assertions, and its switches (`SandboxControls`). */
export interface Sandbox extends SandboxControls {
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  /** `${url}/crm/v8`: what a client's baseUrl takes. */
  apiBaseUrl: string;
  /** `${url}/oauth/v2/token` */
  tokenUrl: string;
  /** Resolves once every change is in the state file (`statePath`); at once without one. */
  flush(): Promise<void>;
  /** Stops listening, closes its connections, then finishes writing the state file (with `statePath`). */
  close(): Promise<void>;
}

/**
 * Resolves `ms` after `since` (a performance.now() time), so parsing counts towards it. Node's timers
 * fire about 1 ms late (a 20 ms setTimeout answered in 21.4 ms here), so the timer stops 2 ms short
 * and the rest is polled between I/O turns.
 */
function serviceTime(ms: number, since: number): Promise<void> {
  return new Promise((done) => {
    const check = () => {
      const left = since + ms - performance.now();
      if (left <= 0.05) done();
      else if (left > 2.5) setTimeout(check, Math.floor(left - 2));
      else setImmediate(check);
    };
    check();
  });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <adminToken>`, compared in constant time. */
function adminGuard(adminToken: string | undefined): ((header: string | undefined) => boolean) | undefined {
  if (adminToken === undefined) return undefined;
  const expected = digest(adminToken);
  return (header) => {
    const m = /^Bearer\s+(\S+)$/.exec(header ?? '');
    return m !== null && timingSafeEqual(digest(m[1]!), expected);
  };
}

/**
 * Starts a sandbox on 127.0.0.1 (a free port by default) that answers like Zoho CRM, seeded with
 * `demoSeed()` unless given a seed; resolves once it listens. Point a client's `baseUrl` at
 * `apiBaseUrl` (and `tokenUrl` for the refresh-token grant).
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { state, controls, handle } = createEngine(loadSeed(options.seed), { ...options, delay: options.delay ?? serviceTime }, adminGuard(options.adminToken));
  const file = options.statePath === undefined ? undefined : new StateFile(options.statePath, state);
  file?.load();
  state.onChange = file ? () => file.changed() : () => {};

  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const { server, origin: served } = await listen((req) => handle({ ...req, apiDomain: origin }), { port: options.port ?? 0, host, onResponse: options.onResponse });
  origin = served;

  return withControls(controls, {
    url: origin,
    apiBaseUrl: `${origin}/crm/v8`,
    tokenUrl: `${origin}/oauth/v2/token`,
    flush: async () => file?.flush(),
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await file?.flush();
    },
  });
}
