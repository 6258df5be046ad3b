// Zoho's hosts, from the constants the code generator writes from the spec (src/generated/zoho.ts): the
// API host of every data centre and org type, and every data centre's accounts host. The in-process
// sandbox and the MSW handlers answer them, so code written for Zoho (`dataCenter: 'eu'`) runs unchanged.
import { API_DOMAINS, API_HOST_PREFIXES, TOKEN_URLS, apiHost, type DataCenter, type Environment } from './generated/zoho.js';

/**
 * `dataCenter`: whose host it is. A token minted at one data centre's accounts host works at that data
 * centre's API hosts only, as Zoho's do; the sandbox's own origin has none (it takes any of its tokens).
 */
export type HostKind = { kind: 'api'; dataCenter?: DataCenter } | { kind: 'accounts'; apiDomain: string; dataCenter?: DataCenter };

const dataCenters = Object.keys(API_DOMAINS) as DataCenter[];
const environments = Object.keys(API_HOST_PREFIXES) as Environment[];

/** Host -> what Zoho serves there; an accounts host's token grant reports its data centre's API origin. */
export const ZOHO_HOSTS: ReadonlyMap<string, HostKind> = new Map<string, HostKind>([
  ...dataCenters.flatMap((dc) => environments.map((env): [string, HostKind] => [apiHost(dc, env), { kind: 'api', dataCenter: dc }])),
  ...dataCenters.map((dc): [string, HostKind] => [new URL(TOKEN_URLS[dc]).host, { kind: 'accounts', apiDomain: `https://${apiHost(dc, 'production')}`, dataCenter: dc }]),
]);

/** Whether a path is one the host serves: Zoho's API under /crm/ on API hosts, the token endpoint on accounts hosts. */
export function servedOn(kind: HostKind, pathname: string): boolean {
  return kind.kind === 'api' ? pathname.startsWith('/crm/') : pathname.startsWith('/oauth/');
}
