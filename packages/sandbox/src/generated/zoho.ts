// Written by packages/client/scripts/generate.mjs (`./dev codegen`) from the spec: do not edit.
// The same file is in packages/client/src/generated/ and packages/sandbox/src/generated/; the drift
// check (`generate.mjs --check`, in `lint`) fails when either differs from what the spec gives.

/** sha256 of the spec (openapi/zoho-crm-sharing.yaml) these constants come from. */
export const SPEC_SHA256 = '6573237512a1acf2eb2440e184b69a85187e91525efab1f6df69b9d2f32998c3';

/** API versions the server offers, oldest first (`servers[0].variables.version`). */
export const API_VERSIONS = ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
export const DEFAULT_API_VERSION = "v8" as const;

/** Each standard module's API name and the `{module}` of its `ZohoCRM.share.{module}.*` scopes (`x-zoho-modules`). */
export const STANDARD_MODULE_SCOPES = {
  Leads: "leads",
  Accounts: "accounts",
  Contacts: "contacts",
  Deals: "deals",
  Campaigns: "campaigns",
  Cases: "cases",
  Solutions: "solutions",
  Products: "products",
  Vendors: "vendors",
  Price_Books: "pricebooks",
  Quotes: "quotes",
  Sales_Orders: "salesorders",
  Purchase_Orders: "purchaseorders",
  Invoices: "invoices",
} as const;
export type KnownModule = keyof typeof STANDARD_MODULE_SCOPES;
/** The standard modules, in the spec's order. */
export const KNOWN_MODULES = ["Leads", "Accounts", "Contacts", "Deals", "Campaigns", "Cases", "Solutions", "Products", "Vendors", "Price_Books", "Quotes", "Sales_Orders", "Purchase_Orders", "Invoices"] as const satisfies readonly KnownModule[];
/** The `{module}` of every custom module's share scopes. */
export const CUSTOM_MODULE_SCOPE = "custom" as const;
/** Refused by every record-sharing operation with 401 OAUTH_SCOPE_MISMATCH (as are linking modules). */
export const NOT_SHAREABLE_MODULES = ["Events", "Calls", "Tasks"] as const;
/** Refused with 400 INVALID_MODULE "The given module is not supported in API". */
export const UNSUPPORTED_MODULES = ["Documents", "Projects"] as const;

/** A module API name (`ModuleApiName`): standard or custom. */
export const MODULE_API_NAME = { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, minLength: 1, maxLength: 100 };
/** A record id (`RecordId`): a string of digits, never a number. */
export const RECORD_ID = { pattern: /^[0-9]{1,19}$/, minLength: 1, maxLength: 19 };

/** Data centres (`x-zoho-data-centers`): API host per environment and OAuth token URL. */
export const DATA_CENTERS = {
  us: {
    name: "United States",
    domain: "com",
    apiHosts: {
      production: "www.zohoapis.com",
      sandbox: "sandbox.zohoapis.com",
      developer: "developer.zohoapis.com",
    },
    tokenUrl: "https://accounts.zoho.com/oauth/v2/token",
  },
  eu: {
    name: "Europe",
    domain: "eu",
    apiHosts: {
      production: "www.zohoapis.eu",
      sandbox: "sandbox.zohoapis.eu",
      developer: "developer.zohoapis.eu",
    },
    tokenUrl: "https://accounts.zoho.eu/oauth/v2/token",
  },
  in: {
    name: "India",
    domain: "in",
    apiHosts: {
      production: "www.zohoapis.in",
      sandbox: "sandbox.zohoapis.in",
      developer: "developer.zohoapis.in",
    },
    tokenUrl: "https://accounts.zoho.in/oauth/v2/token",
  },
  au: {
    name: "Australia",
    domain: "com.au",
    apiHosts: {
      production: "www.zohoapis.com.au",
      sandbox: "sandbox.zohoapis.com.au",
      developer: "developer.zohoapis.com.au",
    },
    tokenUrl: "https://accounts.zoho.com.au/oauth/v2/token",
  },
  jp: {
    name: "Japan",
    domain: "jp",
    apiHosts: {
      production: "www.zohoapis.jp",
      sandbox: "sandbox.zohoapis.jp",
      developer: "developer.zohoapis.jp",
    },
    tokenUrl: "https://accounts.zoho.jp/oauth/v2/token",
  },
  cn: {
    name: "China",
    domain: "com.cn",
    apiHosts: {
      production: "www.zohoapis.com.cn",
      sandbox: "sandbox.zohoapis.com.cn",
      developer: "developer.zohoapis.com.cn",
    },
    tokenUrl: "https://accounts.zoho.com.cn/oauth/v2/token",
  },
  ca: {
    name: "Canada",
    domain: "ca",
    apiHosts: {
      production: "www.zohoapis.ca",
      sandbox: "sandbox.zohoapis.ca",
      developer: "developer.zohoapis.ca",
    },
    tokenUrl: "https://accounts.zohocloud.ca/oauth/v2/token",
  },
  sa: {
    name: "Saudi Arabia",
    domain: "sa",
    apiHosts: {
      production: "www.zohoapis.sa",
      sandbox: "sandbox.zohoapis.sa",
      developer: "developer.zohoapis.sa",
    },
    tokenUrl: "https://accounts.zoho.sa/oauth/v2/token",
  },
} as const;
export type DataCenter = keyof typeof DATA_CENTERS;
export type Environment = keyof (typeof DATA_CENTERS)[DataCenter]['apiHosts'];

/** Every operation: method, path (after `/crm/{version}`), the versions that have it, the scopes it accepts (any one). */
export const OPERATIONS = {
  rerunDataSharingRules: {
    method: "POST",
    path: "/settings/data_sharing/rules/actions/run",
    versions: ["v8"],
    scopes: ["ZohoCRM.settings.data_sharing.UPDATE", "ZohoCRM.settings.data_sharing.ALL"],
  },
  getDataSharingRulesSummary: {
    method: "GET",
    path: "/settings/data_sharing/rules/actions/summary",
    versions: ["v8"],
    scopes: ["ZohoCRM.settings.data_sharing.READ", "ZohoCRM.settings.data_sharing.ALL"],
  },
  getSharedRecordDetails: {
    method: "GET",
    path: "/{module_api_name}/{record_id}/actions/share",
    versions: ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"],
    scopes: ["ZohoCRM.share.{module}.READ", "ZohoCRM.share.{module}.ALL"],
  },
  updateRecordShares: {
    method: "PUT",
    path: "/{module_api_name}/{record_id}/actions/share",
    versions: ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"],
    scopes: ["ZohoCRM.share.{module}.UPDATE", "ZohoCRM.share.{module}.ALL"],
  },
  shareRecord: {
    method: "POST",
    path: "/{module_api_name}/{record_id}/actions/share",
    versions: ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"],
    scopes: ["ZohoCRM.share.{module}.CREATE", "ZohoCRM.share.{module}.ALL"],
  },
  revokeSharedRecord: {
    method: "DELETE",
    path: "/{module_api_name}/{record_id}/actions/share",
    versions: ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"],
    scopes: ["ZohoCRM.share.{module}.DELETE", "ZohoCRM.share.{module}.ALL"],
  },
} as const;
export type OperationId = keyof typeof OPERATIONS;

/** Zoho's limits on one record's shares, per recipient type (`ShareRequest.x-zoho-limits-per-record`). */
export const SHARE_LIMITS_PER_RECORD = {
  users: 10,
  roles: 5,
  groups: 5,
} as const;
/** Entries one share call takes (`ShareRequest.share.maxItems`). */
export const SHARE_ENTRIES_PER_CALL = 20;

/** Code and message of each named status-object example, by its name in `components/examples`. */
export const MESSAGES = {
  RerunScheduled: {
    code: "SCHEDULED",
    message: "Rerun successfully scheduled",
  },
  RerunCannotProcess: {
    code: "CANNOT_PROCESS",
    message: "The scheduler is currently running",
  },
  RerunCannotProcessWrapped: {
    code: "CANNOT_PROCESS",
    message: "The scheduler is currently running",
  },
  InvalidRequestMethod: {
    code: "INVALID_REQUEST_METHOD",
    message: "The http request method type is not a valid one",
  },
  ModuleParamMissing: {
    code: "REQUIRED_PARAM_MISSING",
    message: "One of the expected parameter is missing",
  },
  ModuleParamInvalid: {
    code: "INVALID_DATA",
    message: "the module name given seems to be invalid",
  },
  RerunScopeMismatch: {
    code: "OAUTH_SCOPE_MISMATCH",
    message: "Unauthorized",
  },
  DataSharingNoPermission: {
    code: "NO_PERMISSION",
    message: "permission denied",
  },
  DataSharingNoPermissionWrapped: {
    code: "NO_PERMISSION",
    message: "permission denied",
  },
  AuthenticationFailure: {
    code: "AUTHENTICATION_FAILURE",
    message: "Authentication failed",
  },
  InvalidToken: {
    code: "INVALID_TOKEN",
    message: "invalid oauth token",
  },
  RerunInvalidUrlPattern: {
    code: "INVALID_URL_PATTERN",
    message: "Please check if the URL trying to access is a correct one",
  },
  TooManyRequests: {
    code: "TOO_MANY_REQUESTS",
    message: "You have exceeded the concurrency limit. Please try again later.",
  },
  TooManyRequestsCredits: {
    code: "TOO_MANY_REQUESTS",
    message: "You have exhausted the API credits for the last 24 hours. Please try again later.",
  },
  InternalError: {
    code: "INTERNAL_ERROR",
    message: "Internal Server Error",
  },
  RevokeSuccess: {
    code: "SUCCESS",
    message: "Sharing Revoked",
  },
  RevokeEntityIdInvalid: {
    code: "INVALID_DATA",
    message: "ENTITY_ID_INVALID",
  },
  RevokeNothingToRevoke: {
    code: "BAD_REQUEST",
    message: "No sharing through this record is available to revoke.",
  },
  RevokeNothingToRevokeCannotProcess: {
    code: "CANNOT_PROCESS",
    message: "No sharing through this record is available to revoke.",
  },
  RevokeNothingToRevokeWrapped: {
    code: "BAD_REQUEST",
    message: "No sharing through this record is available to revoke.",
  },
  RevokeAuthorizationFailed: {
    code: "AUTHORIZATION_FAILED",
    message: "User does not have sufficient privilege to delete records",
  },
  RevokeInvalidModule: {
    code: "INVALID_MODULE",
    message: "The module name given seems to be invalid",
  },
  RevokeModuleNotSupported: {
    code: "INVALID_MODULE",
    message: "The given module is not supported in API",
  },
  RevokeScopeMismatch: {
    code: "OAUTH_SCOPE_MISMATCH",
    message: "invalid oauth scope to access this URL",
  },
  RevokeNoPermission: {
    code: "NO_PERMISSION",
    message: "Permission denied to delete records",
  },
  RevokeInvalidUrlPattern: {
    code: "INVALID_URL_PATTERN",
    message: "Please check if the URL trying to access is a correct one.",
  },
  SharedRecordNoPermission: {
    code: "NO_PERMISSION",
    message: "permission denied",
  },
  ShareApplied: {
    code: "SUCCESS",
    message: "record will be shared successfully",
  },
  SharePartiallyApplied: {
    code: "SUCCESS",
    message: "record will be shared successfully",
  },
  ShareBodyMissing: {
    code: "MANDATORY_NOT_FOUND",
    message: "required field not found",
  },
  ShareBodyInvalidField: {
    code: "INVALID_DATA",
    message: "invalid data",
  },
  ShareTooManyEntries: {
    code: "INVALID_DATA",
    message: "invalid data",
  },
  ShareEntryFieldMissing: {
    code: "MANDATORY_NOT_FOUND",
    message: "required field not found",
  },
  ShareEntryInvalidField: {
    code: "INVALID_DATA",
    message: "invalid data",
  },
  ShareUnknownUser: {
    code: "INVALID_DATA",
    message: "invalid user Id",
  },
  ShareUnknownRole: {
    code: "INVALID_DATA",
    message: "invalid role Id",
  },
  ShareUnknownGroup: {
    code: "INVALID_DATA",
    message: "invalid group Id",
  },
  ShareUserLimitExceeded: {
    code: "LIMIT_EXCEEDED",
    message: "Cannot share a record to more than 10 users",
  },
  ShareRoleLimitExceeded: {
    code: "LIMIT_EXCEEDED",
    message: "Cannot share a record to more than 5 roles",
  },
  ShareGroupLimitExceeded: {
    code: "LIMIT_EXCEEDED",
    message: "Cannot share a record to more than 5 groups",
  },
  ShareNoPermission: {
    code: "NO_PERMISSION",
    message: "permission denied",
  },
  ShareNotAllowedForModule: {
    code: "NOT_ALLOWED",
    message: "Record Level Sharing is not supported for this module",
  },
  ShareSchedulerRunning: {
    code: "CANNOT_PROCESS",
    message: "Scheduler is running",
  },
} as const;

/** The `{module}` of a module's share scopes: its standard scope name, or `custom`. */
export function shareScopeName(module: string): string {
  return Object.hasOwn(STANDARD_MODULE_SCOPES, module) ? STANDARD_MODULE_SCOPES[module as KnownModule] : CUSTOM_MODULE_SCOPE;
}

/** The scopes an operation accepts (any one is enough), with `{module}` filled in for record-sharing operations. */
export function scopesFor(operationId: OperationId, module?: string): string[] {
  const scopes: readonly string[] = OPERATIONS[operationId].scopes;
  return module === undefined ? [...scopes] : scopes.map((s) => s.replace('{module}', shareScopeName(module)));
}
