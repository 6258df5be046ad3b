// `--state FILE`: the durable part of the sandbox's state (records and their shares, running reruns,
// access tokens, credit windows) survives a restart, so an outage can be simulated with the state
// kept. Written after changes, coalesced (one write in flight; changes meanwhile make one more),
// atomically (a temporary file renamed over the old one), mode 0600 (it holds access tokens).
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Profile } from './seed.js';
import type { SandboxState, ShareEntry } from './state.js';

const FORMAT = 'zcrm-sandbox-state';
const VERSION = 1;

interface PersistedState {
  format: typeof FORMAT;
  version: typeof VERSION;
  records: { module: string; id: string; entries: ShareEntry[]; revokeCalls: number; revokeSuccesses: number }[];
  reruns: [module: string, endsAt: number][];
  tokens: { token: string; scopes: string[]; expiresAt: number | null; profile: Profile; org: string; user: string; dataCenter?: string }[];
  credits: [org: string, window: { start: number; used: number }][];
}

export function snapshot(state: SandboxState): PersistedState {
  return {
    format: FORMAT,
    version: VERSION,
    records: [...state.records.values()],
    reruns: [...state.reruns],
    tokens: [...state.tokens].map(([token, t]) => ({
      token,
      scopes: [...t.scopes],
      expiresAt: Number.isFinite(t.expiresAt) ? t.expiresAt : null,
      profile: t.profile,
      org: t.org,
      user: t.user,
      ...(t.dataCenter !== undefined && { dataCenter: t.dataCenter }),
    })),
    credits: [...state.orgs].map(([org, load]) => [org, load.credits]),
  };
}

/** Replaces the durable part of `state` with the file's; throws naming the file when it is not a state file. */
export function restore(state: SandboxState, file: string): void {
  let data: PersistedState;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`state: could not read ${file} as JSON (${(e as Error).message})`);
  }
  const ok =
    data?.format === FORMAT &&
    data.version === VERSION &&
    Array.isArray(data.records) &&
    data.records.every((r) => typeof r?.id === 'string' && typeof r.module === 'string' && Array.isArray(r.entries)) &&
    Array.isArray(data.reruns) &&
    Array.isArray(data.tokens) &&
    Array.isArray(data.credits);
  if (!ok) throw new Error(`state: ${file} is not a zcrm-sandbox state file (format ${FORMAT}, version ${VERSION}); remove it to start from the seed`);
  state.records = new Map(data.records.map((r) => [r.id, { ...r }]));
  state.reruns = new Map(data.reruns);
  state.tokens = new Map(
    data.tokens.map((t) => [t.token, { scopes: new Set(t.scopes), expiresAt: t.expiresAt ?? Infinity, profile: t.profile, org: t.org, user: t.user, ...(typeof t.dataCenter === 'string' && { dataCenter: t.dataCenter }) }]),
  );
  state.orgs = new Map(data.credits.map(([org, credits]) => [org, { inFlight: 0, credits }]));
}

export class StateFile {
  private dirty = false;
  private running: Promise<void> | undefined;
  private error: Error | undefined;

  constructor(
    readonly path: string,
    private readonly state: SandboxState,
  ) {}

  /** Restores the file when it exists; returns whether it did. */
  load(): boolean {
    if (!existsSync(this.path)) return false;
    restore(this.state, this.path);
    return true;
  }

  /** A change happened: write soon, once for every burst of changes. */
  changed(): void {
    this.dirty = true;
    if (!this.running) this.running = new Promise<void>((r) => setImmediate(r)).then(() => this.run());
  }

  /** Resolves once every change so far is on disk; rejects with the last write error. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.error) throw this.error;
  }

  private async run(): Promise<void> {
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      while (this.dirty) {
        this.dirty = false;
        await writeFile(tmp, JSON.stringify(snapshot(this.state)), { mode: 0o600 });
        await rename(tmp, this.path);
        this.state.stats.stateWrites++;
      }
      this.error = undefined;
    } catch (e) {
      this.error = new Error(`state: could not write ${this.path} (${(e as Error).message})`);
    } finally {
      this.running = undefined;
    }
  }
}
