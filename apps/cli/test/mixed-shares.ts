// A sandbox whose Contacts have mixed shares, as an org's records do: users, roles and groups; every
// permission; related records on and off; public and private; some records shared with no one. Each
// record's shares follow from its index, so a test can say what the seed had without keeping it.
import { allScopes, DEMO_CREDENTIALS, demoDirectory, demoSeed, startSandbox, type Sandbox, type SandboxSeed } from '@zcrm-sharing/sandbox';
import { afterEach } from 'vitest';
import { FIRST } from './helpers.ts';

type SeedShare = NonNullable<NonNullable<SandboxSeed['records']>[number]['shares']>[number];
const TYPES = ['users', 'roles', 'groups'] as const;
const PERMISSIONS = ['read_only', 'read_write', 'full_access'] as const;

/** Record i's shares in the seed: none for every 7th, else 1 to 6 entries of every kind. */
export function seedShares(i: number): SeedShare[] {
  const directory = demoDirectory();
  const pools = { users: directory.users!.slice(1), roles: directory.roles!, groups: directory.groups! };
  const k = i % 7;
  return Array.from({ length: k }, (_, j) => {
    const type = TYPES[(i + j) % 3]!;
    const pool = pools[type];
    const who = pool[(Math.floor(i / 3) + j) % pool.length]!;
    return {
      type,
      id: who.id,
      name: who.name,
      permission: PERMISSIONS[(i * 7 + j) % 3]!,
      shareRelatedRecords: (i + j) % 2 === 0,
      visibility: j === 0 && i % 5 === 1 ? 'public' : 'private',
    };
  });
}

/** A share as the sandbox reports it, reduced to what equality compares. */
export const key = (e: { shared_with: { type: string; id: string }; permission: string; share_related_records: boolean; type: string }) =>
  `${e.shared_with.type}:${e.shared_with.id}:${e.permission}:${e.share_related_records}:${e.type}`;
export const seedKeys = (i: number) => seedShares(i).map((s) => `${s.type}:${s.id}:${s.permission}:${s.shareRelatedRecords}:${s.visibility}`).sort();

const started: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

/** `records` Contacts from FIRST with mixed shares; the demo token; `inactiveUser` makes one directory user inactive. */
export async function mixedSandbox(records: number, options: Parameters<typeof startSandbox>[0] & { inactiveUser?: string } = {}) {
  const { inactiveUser, ...rest } = options;
  const seed = demoSeed({ records: 0 });
  seed.records = Array.from({ length: records }, (_, i) => ({ module: 'Contacts', id: String(FIRST + BigInt(i)), shares: seedShares(i) }));
  seed.directory = demoDirectory();
  if (inactiveUser) for (const u of seed.directory.users!) if (u.id === inactiveUser) u.active = false;
  seed.tokens = [{ accessToken: DEMO_CREDENTIALS.accessToken, scopes: allScopes() }];
  const s = await startSandbox({ seed, ...rest });
  started.push(s);
  return s;
}
