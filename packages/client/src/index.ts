export { createZohoCrmClient } from './client.js';
export type { CallOptions, ClientEvent, ClientOptions, RerunResult, RevokeResult, ZohoCrmClient } from './client.js';
export type { AuthOptions } from './auth.js';
export { resolveEndpoints, DATA_CENTER_CODES } from './endpoints.js';
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
export { REDACTED, UNRECOGNISED_CODE, redactSecrets } from './redact.js';
export type { RetryOptions } from './retry.js';
export { KNOWN_MODULES, NON_REVOCABLE_MODULES, isKnownModule, validateModule, validateRecordId, validateRevocableModule } from './validate.js';
export type { KnownModule } from './validate.js';
export type { ModuleReference, SharingRulesSummary, StatusDetails, StatusObject } from './generated/index.js';
