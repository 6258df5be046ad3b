import { readFileSync } from 'node:fs';

/** The sandbox's starting state. JSON-serialisable; record ids are strings. */
export interface SandboxSeed {
  /** Access tokens the API accepts. `expiresAt` (ISO time) makes one already expired or short-lived. */
  tokens?: {
    accessToken: string;
    scopes: string[];
    expiresAt?: string;
    /** The user's CRM permissions: `no-share-permission` answers revokes 403 NO_PERMISSION, `read-only`
     *  answers them 400 AUTHORIZATION_FAILED. Default `admin`. */
    profile?: 'admin' | 'no-share-permission' | 'read-only';
  }[];
  /** OAuth clients for POST /oauth/v2/token (refresh-token grant); minted tokens get `scopes`. */
  clients?: { clientId: string; clientSecret: string; refreshToken: string; scopes: string[] }[];
  /** Modules by API name. `custom: true` uses the `custom` share scope; `supported: false` answers INVALID_MODULE
   *  "not supported"; `revocable: false` (Events, Calls, Tasks, linking modules) answers OAUTH_SCOPE_MISMATCH. */
  modules?: { apiName: string; id: string; ruleCount?: number; custom?: boolean; supported?: boolean; revocable?: boolean }[];
  /** Records and who each is shared with; revoking empties `shares`. */
  records?: { module: string; id: string; shares?: { type?: 'users' | 'roles' | 'groups'; id?: string; name?: string; permission?: string }[] }[];
}

export const DEMO_CREDENTIALS = Object.freeze({
  accessToken: '1000.sandbox-demo.access-token',
  clientId: '1000.SANDBOXDEMOCLIENT',
  clientSecret: 'sandbox-demo-client-secret',
  refreshToken: '1000.sandbox-demo.refresh-token',
});

const STANDARD = ['Leads', 'Accounts', 'Contacts', 'Deals', 'Campaigns', 'Cases', 'Solutions', 'Products', 'Vendors',
  'Price_Books', 'Quotes', 'Sales_Orders', 'Purchase_Orders', 'Invoices'];

/** Every scope these endpoints know, for the demo credentials. */
export function allScopes(customModules = true): string[] {
  const scopes = ['ZohoCRM.settings.data_sharing.ALL'];
  for (const m of STANDARD) scopes.push(`ZohoCRM.share.${shareScopeName(m, false)}.ALL`);
  if (customModules) scopes.push('ZohoCRM.share.custom.ALL');
  return scopes;
}

/** `Price_Books` -> `pricebooks`; custom modules share one scope name, `custom`. */
export function shareScopeName(module: string, custom: boolean): string {
  return custom ? 'custom' : module.toLowerCase().replaceAll('_', '');
}

/** Demo data: every standard module (3 rules each), a custom module, Events/Calls/Tasks, Documents
 *  (not supported by the API), `records` shared Contacts starting at 4150868000001148212 (every 10th
 *  already unshared), and 200 shared Leads. */
export function demoSeed(options: { records?: number } = {}): SandboxSeed {
  const count = options.records ?? 3000;
  let moduleId = 4150868000000002175n;
  const modules: NonNullable<SandboxSeed['modules']> = STANDARD.map((apiName) => ({ apiName, id: String(moduleId++), ruleCount: 3 }));
  modules.push({ apiName: 'Projects_X', id: String(moduleId++), ruleCount: 1, custom: true });
  modules.push({ apiName: 'Vendors_Archive', id: String(moduleId++), ruleCount: 0, custom: true });
  for (const apiName of ['Events', 'Calls', 'Tasks']) modules.push({ apiName, id: String(moduleId++), ruleCount: 2, revocable: false });
  modules.push({ apiName: 'Documents', id: String(moduleId++), supported: false });
  const records: NonNullable<SandboxSeed['records']> = [];
  const shares = (i: number) =>
    i % 10 === 9 ? [] : [{ type: 'users' as const, id: String(4150868000000224005n + BigInt(i % 7)), name: `User ${i % 7}`, permission: 'read_write' }];
  for (let i = 0; i < count; i++) records.push({ module: 'Contacts', id: String(4150868000001148212n + BigInt(i)), shares: shares(i) });
  for (let i = 0; i < 200; i++) records.push({ module: 'Leads', id: String(4150868000002000000n + BigInt(i)), shares: shares(i) });
  records.push({ module: 'Projects_X', id: '4150868000003000001', shares: shares(0) });
  return {
    tokens: [{ accessToken: DEMO_CREDENTIALS.accessToken, scopes: allScopes() }],
    clients: [{ clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken, scopes: allScopes() }],
    modules,
    records,
  };
}

/** Reads a seed file. The sandbox never writes it, so a fault can never corrupt it. */
export function loadSeed(seed: SandboxSeed | string | undefined): SandboxSeed {
  if (seed === undefined) return demoSeed();
  if (typeof seed !== 'string') return seed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(seed, 'utf8'));
  } catch (err) {
    throw new Error(`seed: could not read ${seed} as JSON (${(err as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`seed: expected a JSON object in ${seed}`);
  for (const r of (parsed as SandboxSeed).records ?? []) {
    if (typeof r.id !== 'string') throw new Error(`seed: record ids must be JSON strings (a number loses digits above 2^53); got ${JSON.stringify(r.id)} in ${seed}`);
  }
  return parsed as SandboxSeed;
}
