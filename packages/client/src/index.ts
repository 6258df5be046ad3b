/**
 * The typed client for Zoho CRM's data sharing endpoints: `createZohoCrmClient` (every operation as a
 * method), or `createZohoCrmCore` and the operations as functions for the smallest bundles; typed errors,
 * credentials from the environment, the spec's facts (modules, data centres, scopes).
 *
 * @module @zcrm-sharing/client
 */
export { createZohoCrmClient } from './client.js';
export type { ClientOptions, ZohoCrmClient } from './client.js';
// The same operations as functions over a core, for the smallest bundles (README: "Smaller bundles").
export { createZohoCrmCore } from './core.js';
export type { CallOptions, ClientEvent, ConnectionOptions, CoreOptions, ZohoCrmCore } from './core.js';
export { rerunDataSharingRules } from './operations/rerun.js';
export type { RerunResult } from './operations/rerun.js';
export { getDataSharingRulesSummary } from './operations/summary.js';
export { getSharedRecordDetails } from './operations/shares.js';
export type { SharedRecordDetailsFilters } from './operations/shares.js';
export { shareRecord, updateRecordShares } from './operations/share-write.js';
export type { ShareEntryInput, ShareEntryOutcome, ShareRecordInput, ShareResult } from './operations/share-write.js';
export { revokeSharedRecord } from './operations/revoke.js';
// Backup before revoke, and restore (separate modules: the revoke-only bundle carries neither).
export { backupAndRevoke, backupOf, sameShare, shareKey } from './operations/backup.js';
export type { BackedUpShare, BackupAndRevokeOptions, BackupAndRevokeResult, RecordBackup, SharedThroughEntry } from './operations/backup.js';
export { restoreRecordShares } from './operations/restore.js';
export type { RestoreOptions, RestoreResult, RestoreStatus } from './operations/restore.js';
export { MAX_SHARE_ENTRIES_PER_CALL, missingShares, planShareCalls, sameShares } from './operations/restore-plan.js';
export type { ShareCallPlan } from './operations/restore-plan.js';
export type { RevokeResult } from './operations/revoke.js';
export { refreshTokenGrant } from './refresh-token.js';
export { tokenProvider } from './token-provider.js';
export type { AuthMode, AuthOptions, CoreAuthOptions, RefreshTokenAuth, TokenProvider, TokenProviderAuth, TokenSource, TokenSourceDeps } from './auth.js';
export { CREDENTIAL_VARIABLES, credentialsFromEnv } from './credentials.js';
export type { Credentials } from './credentials.js';
export { resolveEndpoints, DATA_CENTER_CODES, ENVIRONMENTS } from './endpoints.js';
export type { DataCenter, Endpoints, Environment } from './endpoints.js';
export {
  AbortError,
  AuthenticationError,
  ConnectionError,
  InvalidInputError,
  InvalidModuleError,
  InvalidRecordIdError,
  NothingToRevokeError,
  PermissionDeniedError,
  RateLimitError,
  SchedulerBusyError,
  ScopeMismatchError,
  ServerError,
  TimeoutError,
  TokenRefreshError,
  UnexpectedResponseError,
  ZohoApiError,
  ZohoCrmError,
  isZohoCrmError,
} from './errors.js';
export type { KnownZohoCrmError, OperationName, ZohoApiErrorKind, ZohoCrmErrorKind } from './errors.js';
export { API_VERSIONS, scopesFor } from './generated/zoho.js';
export type { ApiVersion, OperationId } from './generated/zoho.js';
export { REDACTED, UNRECOGNISED_CODE, redactSecrets } from './redact.js';
export type { RetryOptions } from './retry.js';
export { KNOWN_MODULES, NON_REVOCABLE_MODULES, isKnownModule, validateModule, validateRecordId, validateRevocableModule } from './validate.js';
export type { KnownModule, ModuleName } from './validate.js';
export type {
  ModuleReference,
  SharedBy,
  SharedRecordDetail,
  SharedThrough,
  SharedThroughModule,
  SharedWith,
  SharePermission,
  ShareVisibility,
  RecipientType,
  SharingRulesSummary,
  StatusDetails,
  StatusObject,
} from './generated/index.js';
