// One sandbox, whatever carries its requests: the settings, the state, the controls
// (stats, records, tokens, settings, reset) and `handle`, which answers a request: `/__sandbox/*` (the
// sandbox's own control API) or the core (Zoho's API, Zoho Accounts' token endpoint). The HTTP server
// (server.ts) and the in-process fetch (in-process.ts) are thin adapters around it, so both answer
// alike. Portable: no node: module.
import { admin, type AdminControls } from './admin.js';
import { applyConfig, CONFIG_DEFAULTS, CONFIG_KEYS, type SandboxConfig } from './config.js';
import { answer, counted, type CoreRequest } from './core.js';
import { Reply } from './reply.js';
import type { SandboxSeed } from './seed.js';
import { SandboxState, type RecordState, type SandboxStats } from './state.js';

/** The options every sandbox takes, in process or over HTTP. */
export interface EngineOptions extends Partial<SandboxConfig> {
  /** The clock for reruns, token expiry, share times and the credit window (ms since the epoch). Default Date.now; tests pass a manual one. */
  now?: () => number;
  /** Decides injected faults (`errorRate`). Default Math.random. */
  random?: () => number;
  /** Holds a call for `latencyMs` from its arrival (performance.now()). Default: a timer; tests pass a gate. */
  delay?: (latencyMs: number, arrived: number) => Promise<void>;
}

/** What every sandbox (over HTTP or in process) offers a test: its settings, counters, state and switches. */
export interface SandboxControls {
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
}

export interface EngineRequest extends CoreRequest {
  /** performance.now() when the request arrived: a call's latency counts from here. */
  arrived: number;
  /** What the token endpoint reports as `api_domain` for this request. */
  apiDomain: string;
  /** The data centre of the Zoho host the request came to; none at the sandbox's own origin. */
  dataCenter?: string | undefined;
}

export interface Engine {
  state: SandboxState;
  controls: SandboxControls;
  handle(req: EngineRequest): Promise<Reply>;
}

/** An adapter's sandbox object: its own members and the controls (their `config` getter kept live). */
export function withControls<T extends object>(controls: SandboxControls, own: T): T & SandboxControls {
  return Object.defineProperties(own, Object.getOwnPropertyDescriptors(controls)) as T & SandboxControls;
}

/** A timer to the end of the call's latency: setTimeout is everywhere (the Node server polls closer, see server.ts). */
const timerDelay = (ms: number, since: number) => new Promise<void>((done) => setTimeout(done, Math.max(0, since + ms - performance.now())));

export function createEngine(
  seed: SandboxSeed,
  options: EngineOptions,
  /** Whether a `/__sandbox/*` request may use the control API (the server's admin token); default: always. */
  adminAllowed: (authorization: string | undefined) => boolean = () => true,
): Engine {
  const initial = Object.fromEntries(CONFIG_KEYS.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
  let config = applyConfig(CONFIG_DEFAULTS, initial);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const delay = options.delay ?? timerDelay;
  const state = new SandboxState(seed, now);

  const controls: SandboxControls = {
    get config() {
      return { ...config };
    },
    stats: () => structuredClone(state.stats),
    record: (module, id) => state.record(module, id),
    expireTokens: () => state.expireTokens(),
    configure: (patch) => {
      config = applyConfig(config, patch);
      return { ...config };
    },
    reset: () => state.reset(),
  };
  const adminControls: AdminControls = { ...controls, config: () => controls.config };

  async function handle(req: EngineRequest): Promise<Reply> {
    const q = req.url.indexOf('?');
    const segments = (q < 0 ? req.url : req.url.slice(0, q)).split('/').filter(Boolean);
    if (segments[0] === '__sandbox') {
      const reply = adminAllowed(req.authorization)
        ? admin({ method: req.method, segments: segments.slice(1), body: req.body ?? '' }, adminControls)
        : new Reply(401, { error: 'this sandbox requires its admin token: Authorization: Bearer <token>' });
      return counted(state, reply);
    }
    return answer(req, { state, config: () => config, now, random, delay: (ms) => delay(ms, req.arrived), origin: () => req.apiDomain, dataCenter: req.dataCenter });
  }

  return { state, controls, handle };
}
