import { CUSTOM_MODULE_SCOPE, KNOWN_MODULES, NOT_SHAREABLE_MODULES, OPERATIONS, UNSUPPORTED_MODULES, shareScopeName } from './generated/zoho.js';

/** A seeded user's CRM permissions: `admin`, or one that Zoho answers with a permission error (see the seed's `profile`). */
export type Profile = 'admin' | 'no-share-permission' | 'read-only' | 'no-data-sharing-permission';
export type RecipientType = 'users' | 'roles' | 'groups';
export type SharePermission = 'read_only' | 'read_write' | 'full_access';

/** The sandbox's starting state. JSON-serialisable; every id is a string. */
export interface SandboxSeed {
  /** Access tokens the API accepts. `expiresAt` (ISO time) makes one already expired or short-lived. */
  tokens?: {
    accessToken: string;
    scopes: string[];
    expiresAt?: string;
    /** The user's CRM permissions: `no-share-permission` answers revokes and shares 403 NO_PERMISSION,
     *  `read-only` answers revokes 400 AUTHORIZATION_FAILED (shares 403), `no-data-sharing-permission`
     *  answers reruns and summaries 403 NO_PERMISSION. Default `admin`. */
    profile?: Profile;
    /** The org the token belongs to: concurrency and credits are counted per org. Default `default`. */
    org?: string;
    /** The user (an id in `directory.users`) the token acts as: `shared_by` of the shares it makes. */
    user?: string;
  }[];
  /** OAuth clients for POST /oauth/v2/token (refresh-token grant); minted tokens get `scopes` and `org`. */
  clients?: { clientId: string; clientSecret: string; refreshToken: string; scopes: string[]; org?: string; user?: string }[];
  /** Modules by API name. Whether a module is shareable and supported follows from the spec
   *  (`x-zoho-modules`); the flags override it (a linking module: `revocable: false`). Its share
   *  scopes' name follows from its API name: a standard module's own, else `custom`. */
  modules?: {
    apiName: string;
    id: string;
    ruleCount?: number;
    supported?: boolean;
    revocable?: boolean;
    /** The module has related records (default true); `false`: an entry with `share_related_records: true`
     *  fails with INVALID_DATA "cannot share the related records". */
    relatedRecords?: boolean;
  }[];
  /** Orgs by name (a token's `org`). `feeds: false`: a share call asking `notify_shared_members` is refused
   *  403 NOT_ALLOWED "Feeds is not enabled for this org". Orgs not listed have Feeds. */
  orgs?: { name: string; feeds?: boolean }[];
  /** The org's users, roles and groups a record can be shared with (by id). Recipients named in
   *  `records[].shares` are added. Default: the demo directory. */
  directory?: {
    /** `active: false`: an unconfirmed or inactive user; sharing with them fails "cannot share to the user". */
    users?: { id: string; name: string; zuid?: string; active?: boolean }[];
    roles?: { id: string; name: string }[];
    groups?: { id: string; name: string }[];
  };
  /** Records and who each is shared with; revoking empties `shares`. */
  records?: {
    module: string;
    id: string;
    /** Its shares come back at once after every revoke, as a sharing rule applied again would: the
     *  revoke answers SUCCESS, yet GET .../actions/share still lists them. For testing read-back
     *  checks (the CLI's `--verify`). */
    resharedAfterRevoke?: boolean;
    /** `false`: the record was shared to the tokens' user, who may not share it on: POST and PUT answer
     *  403 INVALID_DATA "Shared record cannot be shared to other users". Default true. */
    reshareable?: boolean;
    shares?: {
      /** The recipient's type and id (a user, role or group). */
      type?: RecipientType;
      id?: string;
      name?: string;
      permission?: SharePermission;
      shareRelatedRecords?: boolean;
      /** ISO time; default: when the sandbox started. */
      sharedTime?: string;
      /** `public` shares the record with the whole org. Default `private`. */
      visibility?: 'private' | 'public';
      /** `false`: a share awaiting approval (GET's `approved=false` lists it, `approved=true` does not). Default true. */
      approved?: boolean;
    }[];
  }[];
}

/** The demo org's access token and OAuth client (`demoSeed()` seeds them), for `ZOHO_*` in examples and tests. */
export const DEMO_CREDENTIALS = Object.freeze({
  accessToken: '1000.sandbox-demo.access-token',
  clientId: '1000.SANDBOXDEMOCLIENT',
  clientSecret: 'sandbox-demo-client-secret',
  refreshToken: '1000.sandbox-demo.refresh-token',
});

/** The demo org's admin: the user the demo tokens act as. */
export const DEMO_ADMIN = Object.freeze({ id: '4150868000000225013', name: 'Sandbox Admin', zuid: '76602839' });

/** Every scope the spec's operations accept, at the `.ALL` level, for every standard module (and custom ones). */
export function allScopes(customModules = true): string[] {
  const names = [...KNOWN_MODULES.map((m) => shareScopeName(m)), ...(customModules ? [CUSTOM_MODULE_SCOPE] : [])];
  const scopes = new Set<string>();
  for (const op of Object.values(OPERATIONS)) {
    for (const s of op.scopes as readonly string[]) {
      if (!s.endsWith('.ALL')) continue;
      if (s.includes('{module}')) for (const n of names) scopes.add(s.replace('{module}', n));
      else scopes.add(s);
    }
  }
  return [...scopes];
}

export { shareScopeName };

/** The demo directory: 12 users (User 0 ... User 11), 6 roles, 6 groups and the admin. */
export function demoDirectory(): NonNullable<SandboxSeed['directory']> {
  const ids = (base: bigint, n: number) => Array.from({ length: n }, (_, i) => String(base + BigInt(i)));
  const roleNames = ['Manager', 'Sales Representative', 'Support Agent', 'Regional Lead', 'Finance', 'Auditor'];
  const groupNames = ['Sales Team', 'Support Team', 'EMEA', 'APAC', 'Partners', 'Executives'];
  return {
    users: [DEMO_ADMIN, ...ids(4150868000000224005n, 12).map((id, i) => ({ id, name: `User ${i}` }))],
    roles: ids(4150868000000231001n, 6).map((id, i) => ({ id, name: roleNames[i]! })),
    groups: ids(4150868000000232001n, 6).map((id, i) => ({ id, name: groupNames[i]! })),
  };
}

/** Demo data: every standard module (3 rules each), a custom module, a custom module without rules,
 *  the modules record sharing refuses (Events, Calls, Tasks) and one the API does not support
 *  (Documents), `records` shared Contacts starting at 4150868000001148212 (every 10th already
 *  unshared), 200 shared Leads and a shared Projects_X record. */
export function demoSeed(options: { records?: number } = {}): SandboxSeed {
  const count = options.records ?? 3000;
  let moduleId = 4150868000000002175n;
  const modules: NonNullable<SandboxSeed['modules']> = KNOWN_MODULES.map((apiName) => ({ apiName, id: String(moduleId++), ruleCount: 3 }));
  modules.push({ apiName: 'Projects_X', id: String(moduleId++), ruleCount: 1 });
  modules.push({ apiName: 'Vendors_Archive', id: String(moduleId++), ruleCount: 0 });
  for (const apiName of NOT_SHAREABLE_MODULES) modules.push({ apiName, id: String(moduleId++), ruleCount: 2 });
  modules.push({ apiName: UNSUPPORTED_MODULES[0], id: String(moduleId++) });
  const records: NonNullable<SandboxSeed['records']> = [];
  const shares = (i: number) =>
    i % 10 === 9 ? [] : [{ type: 'users' as const, id: String(4150868000000224005n + BigInt(i % 7)), name: `User ${i % 7}`, permission: 'read_write' as const }];
  for (let i = 0; i < count; i++) records.push({ module: 'Contacts', id: String(4150868000001148212n + BigInt(i)), shares: shares(i) });
  for (let i = 0; i < 200; i++) records.push({ module: 'Leads', id: String(4150868000002000000n + BigInt(i)), shares: shares(i) });
  records.push({ module: 'Projects_X', id: '4150868000003000001', shares: shares(0) });
  return {
    tokens: [{ accessToken: DEMO_CREDENTIALS.accessToken, scopes: allScopes() }],
    clients: [{ clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken, scopes: allScopes() }],
    modules,
    directory: demoDirectory(),
    records,
  };
}
