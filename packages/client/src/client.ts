// The full client: the core with every auth mode and every operation as a method.
import type { AuthOptions, CoreAuthOptions, TokenProvider } from './auth.js';
import type { ModuleName } from './validate.js';
import { createZohoCrmCore, type CallOptions, type ConnectionOptions, type ZohoCrmCore } from './core.js';
import type { SharedRecordDetail, SharingRulesSummary } from './generated/index.js';
import { rerunDataSharingRules, type RerunResult } from './operations/rerun.js';
import { revokeSharedRecord, type RevokeResult } from './operations/revoke.js';
import { shareRecord, updateRecordShares, type ShareRecordInput, type ShareResult } from './operations/share-write.js';
import { getSharedRecordDetails, type SharedRecordDetailsFilters } from './operations/shares.js';
import { getDataSharingRulesSummary } from './operations/summary.js';
import { refreshTokenGrant } from './refresh-token.js';
import { tokenProvider } from './token-provider.js';

export interface ClientOptions extends ConnectionOptions {
  /** `{ accessToken }`, `{ clientId, clientSecret, refreshToken }` (the refresh-token grant), `{ getAccessToken }`, or `refreshTokenGrant({...})`. */
  auth: AuthOptions;
}

export interface ZohoCrmClient extends ZohoCrmCore {
  /** POST /settings/data_sharing/rules/actions/run?module= : schedule a rerun of the module's sharing rules. */
  rerunDataSharingRules(input: { module: ModuleName }, options?: CallOptions): Promise<RerunResult>;
  /** GET /settings/data_sharing/rules/actions/summary?module= : the rule count and whether a computation runs; null when the module has no rules. */
  getDataSharingRulesSummary(input: { module: ModuleName }, options?: CallOptions): Promise<SharingRulesSummary | null>;
  /** GET /settings/data_sharing/rules/actions/summary : every module's entry; [] when no module has rules. */
  getDataSharingRulesSummary(input?: { module?: undefined }, options?: CallOptions): Promise<SharingRulesSummary[]>;
  /** Either form, when whether `module` is given is known only at run time. */
  getDataSharingRulesSummary(input?: { module?: ModuleName }, options?: CallOptions): Promise<SharingRulesSummary | SharingRulesSummary[] | null>;
  /** GET /{module}/{recordId}/actions/share[?sharedTo=&view=&approved=&current_user=] : who the record is shared with; [] when no one. */
  getSharedRecordDetails(input: { module: ModuleName; recordId: string | bigint } & SharedRecordDetailsFilters, options?: CallOptions): Promise<SharedRecordDetail[]>;
  /** POST /{module}/{recordId}/actions/share : add shares; a 207 resolves with the entries applied and those that failed. */
  shareRecord(input: ShareRecordInput, options?: CallOptions): Promise<ShareResult>;
  /** PUT /{module}/{recordId}/actions/share : make these the record's only shares; answers as shareRecord. */
  updateRecordShares(input: ShareRecordInput, options?: CallOptions): Promise<ShareResult>;
  /** DELETE /{module}/{recordId}/actions/share : revoke every share of one record. */
  revokeSharedRecord(input: { module: ModuleName; recordId: string | bigint }, options?: CallOptions): Promise<RevokeResult>;
}

const AUTH_SHAPES = 'auth: expected { accessToken } or { clientId, clientSecret, refreshToken } or { getAccessToken }';

/** The auth modes the core takes as `refreshTokenGrant()` and `tokenProvider()`, from their plain shapes. */
function authMode(auth: AuthOptions): CoreAuthOptions {
  const a = auth as Record<string, unknown>;
  if (!a || typeof a !== 'object') throw new TypeError(AUTH_SHAPES);
  if (typeof a.createTokenSource === 'function') return auth as CoreAuthOptions;
  // Which token to send must never be a guess: one mode only.
  const modes = ['accessToken', 'getAccessToken', 'refreshToken'].filter((k) => k in a);
  if (modes.length !== 1) throw new TypeError(`${AUTH_SHAPES}${modes.length ? `, not several (got ${modes.join(' and ')})` : ''}`);
  if ('accessToken' in a) return auth as CoreAuthOptions;
  return 'refreshToken' in a ? refreshTokenGrant(auth as Parameters<typeof refreshTokenGrant>[0]) : tokenProvider(a.getAccessToken as TokenProvider);
}

/**
 * A client with every operation as a method. `auth` takes an access token, the refresh-token trio
 * (`{ clientId, clientSecret, refreshToken }`, refreshed through the data centre's token URL, one
 * refresh shared by concurrent calls) or `{ getAccessToken }`; `credentialsFromEnv()` reads either from
 * the environment. A call resolves only with Zoho's documented success; anything else throws a typed
 * error with a `kind`. For a smaller bundle, take `createZohoCrmCore` and the operations as functions.
 *
 * @example
 * const zoho = createZohoCrmClient({ dataCenter: 'eu', auth: { accessToken: '1000.xxxx.yyyy' } });
 * await zoho.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' });
 */
export function createZohoCrmClient(options: ClientOptions): ZohoCrmClient {
  const core = createZohoCrmCore(options && typeof options === 'object' ? { ...options, auth: authMode(options.auth) } : options);
  return {
    ...core,
    rerunDataSharingRules: (input, o) => rerunDataSharingRules(core, input, o),
    getDataSharingRulesSummary: ((input?: { module?: ModuleName }, o?: CallOptions) => getDataSharingRulesSummary(core, input, o)) as ZohoCrmClient['getDataSharingRulesSummary'],
    getSharedRecordDetails: (input, o) => getSharedRecordDetails(core, input, o),
    shareRecord: (input, o) => shareRecord(core, input, o),
    updateRecordShares: (input, o) => updateRecordShares(core, input, o),
    revokeSharedRecord: (input, o) => revokeSharedRecord(core, input, o),
  };
}
