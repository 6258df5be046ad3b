// The sandbox's switches, their defaults and their ranges: one table read by startSandbox(),
// sandbox.configure(), PATCH /__sandbox/config and the zcrm-sandbox flags, so a value refused in
// one place is refused in all of them, with the same message.

/** The sandbox's switches: `startSandbox` options, `sandbox.configure()`, `PATCH /__sandbox/config` and the `zcrm-sandbox` flags. */
export interface SandboxConfig {
  /** How long a rerun computes (ms). */
  rerunDurationMs: number;
  /** Time every API call spends in the server, counted from its arrival and holding its concurrency slot (ms). */
  latencyMs: number;
  /** Share of API calls answered 500 INTERNAL_ERROR, decided before anything changes (0..1). */
  errorRate: number;
  /** Lifetime of tokens minted by POST /oauth/v2/token (s). */
  accessTokenTtlSeconds: number;
  /** Check path and query parameters against the spec's schemas. */
  validateRequests: boolean;
  /** In-flight API calls allowed per org (all its tokens together); over it 429. Unset: no limit. */
  concurrencyLimit?: number | undefined;
  /** Sent as Retry-After on 429 answers when set (s). */
  retryAfterSeconds?: number | undefined;
  /** API calls allowed per org per rolling 24 h; over it 429. Unset: no limit. */
  dailyCredits?: number | undefined;
}

type Key = keyof SandboxConfig;
interface Range {
  kind: 'number' | 'integer' | 'boolean';
  min?: number;
  max?: number;
  /** May be switched off with null (the optional limits). */
  optional?: boolean;
}

/** The values each switch accepts; anything else is refused, naming the switch and this range. */
export const CONFIG_RANGES: Record<Key, Range> = {
  rerunDurationMs: { kind: 'integer', min: 0, max: 86_400_000 },
  latencyMs: { kind: 'integer', min: 0, max: 60_000 },
  errorRate: { kind: 'number', min: 0, max: 1 },
  accessTokenTtlSeconds: { kind: 'integer', min: 1, max: 86_400 },
  validateRequests: { kind: 'boolean' },
  concurrencyLimit: { kind: 'integer', min: 1, max: 10_000, optional: true },
  retryAfterSeconds: { kind: 'integer', min: 0, max: 86_400, optional: true },
  dailyCredits: { kind: 'integer', min: 0, max: 1_000_000_000, optional: true },
};

/** Each switch's value when not set. */
export const CONFIG_DEFAULTS: SandboxConfig = {
  rerunDurationMs: 3000,
  latencyMs: 0,
  errorRate: 0,
  accessTokenTtlSeconds: 3600,
  validateRequests: true,
};

export const CONFIG_KEYS = Object.keys(CONFIG_RANGES) as Key[];

/** What a key takes, in words: `an integer from 0 to 60000`. */
export function expected(key: Key): string {
  const r = CONFIG_RANGES[key];
  if (r.kind === 'boolean') return 'true or false';
  const what = `${r.kind === 'integer' ? 'an integer' : 'a number'} from ${r.min} to ${r.max}`;
  return r.optional ? `${what} (or null to switch it off)` : what;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Checks a patch against the ranges and returns the config with it applied; throws a ConfigError
 * naming the key and the range on the first bad value, leaving `base` untouched.
 */
export function applyConfig(base: SandboxConfig, patch: unknown): SandboxConfig {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new ConfigError('config: expected a JSON object of settings');
  const next: SandboxConfig = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (!Object.hasOwn(CONFIG_RANGES, key)) throw new ConfigError(`config: unknown setting ${key}; expected one of ${CONFIG_KEYS.join(', ')}`);
    const k = key as Key;
    const r = CONFIG_RANGES[k];
    if (value === undefined) continue;
    if (value === null && r.optional) {
      (next as unknown as Record<string, unknown>)[k] = undefined;
      continue;
    }
    const ok =
      r.kind === 'boolean'
        ? typeof value === 'boolean'
        : typeof value === 'number' && Number.isFinite(value) && (r.kind === 'number' || Number.isInteger(value)) && value >= r.min! && value <= r.max!;
    if (!ok) throw new ConfigError(`config.${k}: expected ${expected(k)}, got ${JSON.stringify(value)}`);
    (next as unknown as Record<string, unknown>)[k] = value;
  }
  return next;
}
