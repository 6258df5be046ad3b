// What the sandbox remembers: tokens, modules, the org's directory, records and their Zoho-shaped
// shares, running reruns, per-org load and credits, and the counters. No I/O here: the handlers
// read and change it, persist.ts saves and restores its durable part.
import { NOT_SHAREABLE_MODULES, UNSUPPORTED_MODULES } from './generated/zoho.js';
import { DEMO_ADMIN, demoDirectory, type Profile, type RecipientType, type SandboxSeed, type SharePermission } from './seed.js';

/** One share of a record, as GET .../actions/share answers it. */
export interface ShareEntry {
  shared_with: { type: RecipientType; id: string; name: string };
  permission: SharePermission;
  share_related_records: boolean;
  shared_time: string;
  shared_by: { id: string; name: string; zuid?: string };
  shared_through: { module: { name: string; id: string }; id: string };
  type: 'private' | 'public';
}

/** A record as `sandbox.record()` reports it. */
export interface RecordState {
  module: string;
  id: string;
  /** How many shares the record has. */
  shares: number;
  /** The shares themselves, as Zoho lists them. */
  entries: ShareEntry[];
  revokeCalls: number;
  revokeSuccesses: number;
}

export interface ModuleInfo {
  apiName: string;
  id: string;
  ruleCount: number;
  /** The API serves it at all (`x-zoho-modules.not-supported` are not). */
  supported: boolean;
  /** Its records can be shared, read and revoked (`x-zoho-modules.not-shareable` and linking modules cannot). */
  shareable: boolean;
  /** It has related records, so `share_related_records: true` can be honoured. */
  relatedRecords: boolean;
}

export interface TokenState {
  /** The data centre whose accounts host minted it; none: seeded, or minted at the sandbox's own origin (good anywhere). */
  dataCenter?: string;
  scopes: ReadonlySet<string>;
  expiresAt: number;
  profile: Profile;
  org: string;
  user: string;
}

export interface StoredRecord {
  module: string;
  id: string;
  entries: ShareEntry[];
  /** The seed's `resharedAfterRevoke`: a revoke succeeds and leaves the shares. */
  resharedAfterRevoke?: boolean;
  /** The seed's `reshareable: false`: shared to the caller, it cannot be shared on. */
  reshareable?: false;
  /** Recipients (`type:id`) whose share awaits approval. */
  pending?: string[];
  revokeCalls: number;
  revokeSuccesses: number;
}

/** Counters since start (or the last `reset()`): what a test asserts about the calls it made. */
export interface SandboxStats {
  requests: number;
  byStatus: Record<string, number>;
  rerun: { calls: number; scheduled: number; busy: number; noRules: number };
  summary: { calls: number };
  revoke: { calls: number; succeeded: number; nothingToRevoke: number };
  /** GET (reads) and POST/PUT (writes) on .../actions/share. */
  sharing: { reads: number; writes: number; rejected: number; partial: number };
  inFlight: number;
  /** The most API calls in flight at once for one org (all its tokens): what the concurrency limit caps. */
  maxInFlightPerOrg: number;
  /** The most API calls in flight at once for one access token. */
  maxInFlightPerToken: number;
  rateLimited: number;
  injectedErrors: number;
  tokenRefreshes: number;
  creditsUsed: number;
  /** Times the state file was written (`--state`). */
  stateWrites: number;
}

export interface Directory {
  users: Map<string, { name: string; zuid?: string; inactive?: true }>;
  roles: Map<string, { name: string }>;
  groups: Map<string, { name: string }>;
}

export interface OrgLoad {
  inFlight: number;
  credits: { start: number; used: number };
}

export const DEFAULT_ORG = 'default';

/** A recipient's key: sharing again with the same user, role or group is the same share. */
export const recipientKey = (e: { shared_with: { type: string; id: string } }) => `${e.shared_with.type}:${e.shared_with.id}`;

type SeedShare = NonNullable<NonNullable<SandboxSeed['records']>[number]['shares']>[number];
/** A seed share's recipient, with the seed's defaults: a user, numbered by its place in the record's list. */
const recipientOf = (s: SeedShare, i: number): { type: RecipientType; id: string } => ({ type: s.type ?? 'users', id: s.id ?? String(i + 1) });

function emptyStats(): SandboxStats {
  return {
    requests: 0,
    byStatus: {},
    rerun: { calls: 0, scheduled: 0, busy: 0, noRules: 0 },
    summary: { calls: 0 },
    revoke: { calls: 0, succeeded: 0, nothingToRevoke: 0 },
    sharing: { reads: 0, writes: 0, rejected: 0, partial: 0 },
    inFlight: 0,
    maxInFlightPerOrg: 0,
    maxInFlightPerToken: 0,
    rateLimited: 0,
    injectedErrors: 0,
    tokenRefreshes: 0,
    creditsUsed: 0,
    stateWrites: 0,
  };
}

/** `2026-12-01T00:00:00+00:00`: Zoho's form of a time (seconds, an offset). */
export function zohoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export class SandboxState {
  tokens = new Map<string, TokenState>();
  records = new Map<string, StoredRecord>();
  /** module -> when its rerun's computation ends (ms since the epoch). */
  reruns = new Map<string, number>();
  readonly modules: ReadonlyMap<string, ModuleInfo>;
  readonly clients: ReadonlyMap<string, NonNullable<SandboxSeed['clients']>[number]>;
  readonly directory: Directory;
  /** Orgs whose seed says `feeds: false`. */
  readonly orgsWithoutFeeds: ReadonlySet<string>;
  orgs = new Map<string, OrgLoad>();
  inFlightByToken = new Map<string, number>();
  stats: SandboxStats = emptyStats();
  /** Called after every change worth persisting (records, reruns, tokens, credits). */
  onChange: () => void = () => {};

  constructor(
    private readonly seed: SandboxSeed,
    private readonly now: () => number,
  ) {
    const notShareable = new Set<string>(NOT_SHAREABLE_MODULES);
    const unsupported = new Set<string>(UNSUPPORTED_MODULES);
    this.modules = new Map(
      (seed.modules ?? []).map((m) => [
        m.apiName,
        {
          apiName: m.apiName,
          id: m.id,
          ruleCount: m.ruleCount ?? 0,
          supported: m.supported ?? !unsupported.has(m.apiName),
          shareable: m.revocable ?? !notShareable.has(m.apiName),
          relatedRecords: m.relatedRecords ?? true,
        },
      ]),
    );
    this.orgsWithoutFeeds = new Set((seed.orgs ?? []).filter((o) => o.feeds === false).map((o) => o.name));
    this.clients = new Map((seed.clients ?? []).map((c) => [c.clientId, c]));
    const dir = seed.directory ?? demoDirectory();
    this.directory = {
      users: new Map(
        [DEMO_ADMIN, ...(dir.users ?? [])].map((u) => [
          u.id,
          { name: u.name, ...(u.zuid ? { zuid: u.zuid } : {}), ...('active' in u && u.active === false ? { inactive: true as const } : {}) },
        ]),
      ),
      roles: new Map((dir.roles ?? []).map((r) => [r.id, { name: r.name }])),
      groups: new Map((dir.groups ?? []).map((g) => [g.id, { name: g.name }])),
    };
    // Recipients the seed's shares name exist in the org.
    for (const r of seed.records ?? []) {
      for (const [i, s] of (r.shares ?? []).entries()) {
        const { type, id } = recipientOf(s, i);
        if (!this.directory[type].has(id)) this.directory[type].set(id, { name: s.name ?? id });
      }
    }
    this.reset();
  }

  /** Back to the seed: tokens, records and their shares; no rerun running; load, credits and counters zeroed. */
  reset(): void {
    const started = this.now();
    this.tokens = new Map(
      (this.seed.tokens ?? []).map((t) => [
        t.accessToken,
        {
          scopes: new Set(t.scopes),
          expiresAt: t.expiresAt ? Date.parse(t.expiresAt) : Infinity,
          profile: t.profile ?? 'admin',
          org: t.org ?? DEFAULT_ORG,
          user: t.user ?? DEMO_ADMIN.id,
        },
      ]),
    );
    this.records = new Map(
      (this.seed.records ?? []).map((r) => {
        const module = this.modules.get(r.module);
        const entries = (r.shares ?? []).map((s, i): ShareEntry => {
          const { type, id } = recipientOf(s, i);
          return this.entry(
            { type, id, permission: s.permission ?? 'read_write', shareRelatedRecords: s.shareRelatedRecords ?? false, visibility: s.visibility ?? 'private' },
            { module: r.module, moduleId: module?.id ?? '0', recordId: r.id },
            DEMO_ADMIN.id,
            s.sharedTime ? Date.parse(s.sharedTime) : started,
          );
        });
        const pending = (r.shares ?? []).flatMap((s, i) => (s.approved === false ? [recipientKey({ shared_with: recipientOf(s, i) })] : []));
        const record: StoredRecord = { module: r.module, id: r.id, entries, revokeCalls: 0, revokeSuccesses: 0 };
        if (r.resharedAfterRevoke) record.resharedAfterRevoke = true;
        if (r.reshareable === false) record.reshareable = false;
        if (pending.length) record.pending = pending;
        return [r.id, record];
      }),
    );
    this.reruns = new Map();
    this.orgs = new Map();
    this.inFlightByToken = new Map();
    this.stats = emptyStats();
    this.onChange();
  }

  /** A Zoho-shaped share entry for a recipient of the directory. */
  entry(
    share: { type: RecipientType; id: string; permission: SharePermission; shareRelatedRecords: boolean; visibility: 'private' | 'public' },
    on: { module: string; moduleId: string; recordId: string },
    by: string,
    at: number,
  ): ShareEntry {
    const sharer = this.directory.users.get(by) ?? { name: by };
    return {
      shared_with: { type: share.type, id: share.id, name: this.directory[share.type].get(share.id)?.name ?? share.id },
      permission: share.permission,
      share_related_records: share.shareRelatedRecords,
      shared_time: zohoTime(at),
      shared_by: { id: by, name: sharer.name, ...('zuid' in sharer && sharer.zuid ? { zuid: sharer.zuid } : {}) },
      shared_through: { module: { name: on.module, id: on.moduleId }, id: on.recordId },
      type: share.visibility,
    };
  }

  org(name: string): OrgLoad {
    let load = this.orgs.get(name);
    if (!load) this.orgs.set(name, (load = { inFlight: 0, credits: { start: this.now(), used: 0 } }));
    return load;
  }

  /** A copy of a record (`undefined` when it does not exist in that module). */
  record(module: string, id: string): RecordState | undefined {
    const r = this.records.get(id);
    if (!r || r.module !== module) return undefined;
    return { module: r.module, id: r.id, shares: r.entries.length, entries: structuredClone(r.entries), revokeCalls: r.revokeCalls, revokeSuccesses: r.revokeSuccesses };
  }

  /** Every access token expires now: the next call answers 401 INVALID_TOKEN; refreshing works. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
    this.onChange();
  }
}
