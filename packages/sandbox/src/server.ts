// startSandbox(): the state, the API pipeline, Zoho Accounts' token endpoint, the admin API and the
// persistence, put together and served over HTTP.
import { admin } from './admin.js';
import { applyConfig, CONFIG_DEFAULTS, CONFIG_KEYS, type SandboxConfig } from './config.js';
import { answer, counted } from './core.js';
import { listen, type HttpRequest, type ResponseEntry } from './http.js';
import { StateFile } from './persist.js';
import type { Reply } from './reply.js';
import type { SandboxSeed } from './seed.js';
import { loadSeed } from './seed-file.js';
import { SandboxState, type RecordState, type SandboxStats } from './state.js';

export type { SandboxConfig } from './config.js';
export type { RecordState, SandboxStats, ShareEntry } from './state.js';

/** Options of `startSandbox`: where it listens, its seed and state file, and any switch of `SandboxConfig`. */
export interface SandboxOptions extends Partial<SandboxConfig> {
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
  /** The clock for reruns, token expiry, share times and the credit window (ms since the epoch). Default Date.now; tests pass a manual one. */
  now?: () => number;
  /** Decides injected faults (`errorRate`). Default Math.random. */
  random?: () => number;
  /** Holds a call for `latencyMs` from its arrival (performance.now()). Default: a timer; tests pass a gate. */
  delay?: (latencyMs: number, arrived: number) => Promise<void>;
  /** Called with every response the sandbox sends (tests use it to check responses against the spec). */
  onResponse?: (entry: ResponseEntry) => void;
}

/** A running sandbox: its URLs, its state for assertions, and its switches. */
export interface Sandbox {
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  /** `${url}/crm/v8`: what a client's baseUrl takes. */
  apiBaseUrl: string;
  /** `${url}/oauth/v2/token` */
  tokenUrl: string;
  /** The current settings (a copy). */
  readonly config: SandboxConfig;
  /** The counters so far (a copy). */
  stats(): SandboxStats;
  /** One record's shares and revoke counts; undefined for a record the seed does not have. */
  record(module: string, id: string): RecordState | undefined;
  /** Every access token expires now: the next call answers 401 INVALID_TOKEN; refreshing works. */
  expireTokens(): void;
  /** Changes settings; throws naming the setting and its range on a bad value (nothing changes then). */
  configure(patch: Partial<{ [K in keyof SandboxConfig]: SandboxConfig[K] | null }>): SandboxConfig;
  /** Back to the seed's state, counters zeroed. */
  reset(): void;
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

/**
 * Starts a sandbox on 127.0.0.1 (a free port by default) that answers like Zoho CRM, seeded with
 * `demoSeed()` unless given a seed; resolves once it listens. Point a client's `baseUrl` at
 * `apiBaseUrl` (and `tokenUrl` for the refresh-token grant).
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const initial = Object.fromEntries(CONFIG_KEYS.filter((k) => (options as Record<string, unknown>)[k] !== undefined).map((k) => [k, (options as Record<string, unknown>)[k]]));
  let config = applyConfig(CONFIG_DEFAULTS, initial);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const delay = options.delay ?? serviceTime;
  const state = new SandboxState(loadSeed(options.seed), now);
  const file = options.statePath === undefined ? undefined : new StateFile(options.statePath, state);
  file?.load();
  state.onChange = file ? () => file.changed() : () => {};

  let origin = '';

  /** The admin API here (it is the HTTP server's, not Zoho's); everything else is the core's. */
  async function handle(req: HttpRequest): Promise<Reply> {
    const q = req.url.indexOf('?');
    const segments = (q < 0 ? req.url : req.url.slice(0, q)).split('/').filter(Boolean);
    if (segments[0] === '__sandbox') {
      return counted(state, admin({ method: req.method, segments: segments.slice(1), body: req.body ?? '', authorization: req.authorization }, controls, options.adminToken));
    }
    return answer(req, { state, config: () => config, now, random, delay: (ms) => delay(ms, req.arrived), origin: () => origin });
  }

  const controls = {
    stats: () => structuredClone(state.stats),
    record: (module: string, id: string) => state.record(module, id),
    expireTokens: () => state.expireTokens(),
    config: () => ({ ...config }),
    configure: (patch: unknown) => {
      config = applyConfig(config, patch);
      return { ...config };
    },
    reset: () => state.reset(),
  };

  const host = options.host ?? '127.0.0.1';
  const { server, origin: served } = await listen(handle, { port: options.port ?? 0, host, onResponse: options.onResponse });
  origin = served;

  return {
    url: origin,
    apiBaseUrl: `${origin}/crm/v8`,
    tokenUrl: `${origin}/oauth/v2/token`,
    get config() {
      return { ...config };
    },
    stats: controls.stats,
    record: controls.record,
    expireTokens: controls.expireTokens,
    configure: controls.configure,
    reset: controls.reset,
    flush: async () => file?.flush(),
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await file?.flush();
    },
  };
}
