// Written by openapi/scripts/generate.mjs (`./dev codegen`) from the spec: do not edit.
// The same file is in packages/client/src/generated/ and packages/sandbox/src/generated/; the drift
// check (`generate.mjs --check`, in `lint`) fails when either differs from what the spec gives.

/** sha256 of the spec (openapi/zoho-crm-sharing.yaml) these constants come from. */
export const SPEC_SHA256 = '85968e96faf74cee88fba46e2b14f7409fddce8aaead98cf5d1b6e9a89e7bdfd';

/** API versions the server offers, oldest first (`servers[0].variables.version`). */
export const API_VERSIONS = ["v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"] as const;
/** An API version the server offers: one of `API_VERSIONS`. */
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
/** A standard module's API name (custom modules have names of their own). */
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

// The values of every string enum among the component schemas, one constant each.
/** `SharePermission` */
export const SHARE_PERMISSION_VALUES = ["read_only", "read_write", "full_access"] as const;
/** `ShareVisibility` */
export const SHARE_VISIBILITY_VALUES = ["private", "public"] as const;
/** `RecipientType` */
export const RECIPIENT_TYPE_VALUES = ["users", "roles", "groups"] as const;

/** Data centres (`x-zoho-data-centers`): the `domain` of their API hosts. */
export const API_DOMAINS = {
  us: "com",
  eu: "eu",
  in: "in",
  au: "com.au",
  jp: "jp",
  cn: "com.cn",
  ca: "ca",
  sa: "sa",
} as const;
/** A Zoho data centre's code: a key of `API_DOMAINS`. */
export type DataCenter = keyof typeof API_DOMAINS;
/** Each data centre's OAuth token URL (a table of its own: an app with a fixed token does not carry it). */
export const TOKEN_URLS = {
  us: "https://accounts.zoho.com/oauth/v2/token",
  eu: "https://accounts.zoho.eu/oauth/v2/token",
  in: "https://accounts.zoho.in/oauth/v2/token",
  au: "https://accounts.zoho.com.au/oauth/v2/token",
  jp: "https://accounts.zoho.jp/oauth/v2/token",
  cn: "https://accounts.zoho.com.cn/oauth/v2/token",
  ca: "https://accounts.zohocloud.ca/oauth/v2/token",
  sa: "https://accounts.zoho.sa/oauth/v2/token",
} as const satisfies Record<DataCenter, string>;
/** The host prefix of each org type (`servers[0].variables.environment.x-zoho-environments`). */
export const API_HOST_PREFIXES = {
  production: "www",
  sandbox: "sandbox",
  developer: "developer",
} as const;
/** An org type: a key of `API_HOST_PREFIXES` (each has its own API host). */
export type Environment = keyof typeof API_HOST_PREFIXES;

/** The API host of a data centre's production, sandbox or developer orgs (`{environment}.zohoapis.{domain}`). */
export function apiHost(dataCenter: DataCenter, environment: Environment): string {
  return "{environment}.zohoapis.{domain}".replace('{environment}', API_HOST_PREFIXES[environment]).replace('{domain}', API_DOMAINS[dataCenter]);
}

// Every operation's method, path (after `/crm/{version}`) and the versions that have it: one
// constant each, so that code calling one operation carries only its own (API_VERSIONS when it is in all).
/** `rerunDataSharingRules` */
export const RERUN_DATA_SHARING_RULES = {
  method: "POST",
  path: "/settings/data_sharing/rules/actions/run",
  versions: ["v8"],
} as const;
/** `getDataSharingRulesSummary` */
export const GET_DATA_SHARING_RULES_SUMMARY = {
  method: "GET",
  path: "/settings/data_sharing/rules/actions/summary",
  versions: ["v8"],
} as const;
/** `getSharedRecordDetails` */
export const GET_SHARED_RECORD_DETAILS = {
  method: "GET",
  path: "/{module_api_name}/{record_id}/actions/share",
  versions: API_VERSIONS,
} as const;
/** `updateRecordShares` */
export const UPDATE_RECORD_SHARES = {
  method: "PUT",
  path: "/{module_api_name}/{record_id}/actions/share",
  versions: API_VERSIONS,
} as const;
/** `shareRecord` */
export const SHARE_RECORD = {
  method: "POST",
  path: "/{module_api_name}/{record_id}/actions/share",
  versions: API_VERSIONS,
} as const;
/** `revokeSharedRecord` */
export const REVOKE_SHARED_RECORD = {
  method: "DELETE",
  path: "/{module_api_name}/{record_id}/actions/share",
  versions: API_VERSIONS,
} as const;

/* @__NO_SIDE_EFFECTS__ */
function withScopes<const T extends object, const S extends readonly string[]>(call: T, scopes: S): T & { readonly scopes: S } {
  return { ...call, scopes };
}

/** Every operation by its `operationId`, with the OAuth scopes it accepts (any one). */
export const OPERATIONS = {
  rerunDataSharingRules: withScopes(RERUN_DATA_SHARING_RULES, ["ZohoCRM.settings.data_sharing.UPDATE", "ZohoCRM.settings.data_sharing.ALL"]),
  getDataSharingRulesSummary: withScopes(GET_DATA_SHARING_RULES_SUMMARY, ["ZohoCRM.settings.data_sharing.READ", "ZohoCRM.settings.data_sharing.ALL"]),
  getSharedRecordDetails: withScopes(GET_SHARED_RECORD_DETAILS, ["ZohoCRM.share.{module}.READ", "ZohoCRM.share.{module}.ALL", "ZohoCRM.share.all"]),
  updateRecordShares: withScopes(UPDATE_RECORD_SHARES, ["ZohoCRM.share.{module}.UPDATE", "ZohoCRM.share.{module}.ALL", "ZohoCRM.share.all"]),
  shareRecord: withScopes(SHARE_RECORD, ["ZohoCRM.share.{module}.CREATE", "ZohoCRM.share.{module}.ALL", "ZohoCRM.share.all"]),
  revokeSharedRecord: withScopes(REVOKE_SHARED_RECORD, ["ZohoCRM.share.{module}.DELETE", "ZohoCRM.share.{module}.ALL", "ZohoCRM.share.all"]),
} as const;
/** An operation of the spec, by its `operationId`. */
export type OperationId = keyof typeof OPERATIONS;

/** Zoho's limits on one record's shares, per recipient type (`ShareRequest.x-zoho-limits-per-record`). */
export const SHARE_LIMITS_PER_RECORD = {
  users: 10,
  roles: 5,
  groups: 5,
} as const;
/** The most entries one share call takes (`ShareRequest.share.maxItems`). */
export const SHARE_ENTRIES_PER_CALL = 20;

// Code and message of each named status-object example (`components/examples`), one constant each.
export const EXAMPLE_RERUN_SCHEDULED = {
  code: "SCHEDULED",
  message: "Rerun successfully scheduled",
} as const;
export const EXAMPLE_RERUN_CANNOT_PROCESS = {
  code: "CANNOT_PROCESS",
  message: "The scheduler is currently running",
} as const;
export const EXAMPLE_RERUN_CANNOT_PROCESS_WRAPPED = {
  code: "CANNOT_PROCESS",
  message: "The scheduler is currently running",
} as const;
export const EXAMPLE_INVALID_REQUEST_METHOD = {
  code: "INVALID_REQUEST_METHOD",
  message: "The http request method type is not a valid one",
} as const;
export const EXAMPLE_MODULE_PARAM_MISSING = {
  code: "REQUIRED_PARAM_MISSING",
  message: "One of the expected parameter is missing",
} as const;
export const EXAMPLE_MODULE_PARAM_INVALID = {
  code: "INVALID_DATA",
  message: "the module name given seems to be invalid",
} as const;
export const EXAMPLE_RERUN_SCOPE_MISMATCH = {
  code: "OAUTH_SCOPE_MISMATCH",
  message: "Unauthorized",
} as const;
export const EXAMPLE_DATA_SHARING_NO_PERMISSION = {
  code: "NO_PERMISSION",
  message: "permission denied",
} as const;
export const EXAMPLE_DATA_SHARING_NO_PERMISSION_WRAPPED = {
  code: "NO_PERMISSION",
  message: "permission denied",
} as const;
export const EXAMPLE_AUTHENTICATION_FAILURE = {
  code: "AUTHENTICATION_FAILURE",
  message: "Authentication failed",
} as const;
export const EXAMPLE_INVALID_TOKEN = {
  code: "INVALID_TOKEN",
  message: "invalid oauth token",
} as const;
export const EXAMPLE_RERUN_INVALID_URL_PATTERN = {
  code: "INVALID_URL_PATTERN",
  message: "Please check if the URL trying to access is a correct one",
} as const;
export const EXAMPLE_TOO_MANY_REQUESTS = {
  code: "TOO_MANY_REQUESTS",
  message: "You have exceeded the concurrency limit. Please try again later.",
} as const;
export const EXAMPLE_TOO_MANY_REQUESTS_CREDITS = {
  code: "TOO_MANY_REQUESTS",
  message: "You have exhausted the API credits for the last 24 hours. Please try again later.",
} as const;
export const EXAMPLE_INTERNAL_ERROR = {
  code: "INTERNAL_ERROR",
  message: "Internal Server Error",
} as const;
export const EXAMPLE_REVOKE_SUCCESS = {
  code: "SUCCESS",
  message: "Sharing Revoked",
} as const;
export const EXAMPLE_REVOKE_ENTITY_ID_INVALID = {
  code: "INVALID_DATA",
  message: "ENTITY_ID_INVALID",
} as const;
export const EXAMPLE_REVOKE_NOTHING_TO_REVOKE = {
  code: "BAD_REQUEST",
  message: "No sharing through this record is available to revoke.",
} as const;
export const EXAMPLE_REVOKE_NOTHING_TO_REVOKE_CANNOT_PROCESS = {
  code: "CANNOT_PROCESS",
  message: "No sharing through this record is available to revoke.",
} as const;
export const EXAMPLE_REVOKE_NOTHING_TO_REVOKE_WRAPPED = {
  code: "BAD_REQUEST",
  message: "No sharing through this record is available to revoke.",
} as const;
export const EXAMPLE_REVOKE_AUTHORIZATION_FAILED = {
  code: "AUTHORIZATION_FAILED",
  message: "User does not have sufficient privilege to delete records",
} as const;
export const EXAMPLE_REVOKE_INVALID_MODULE = {
  code: "INVALID_MODULE",
  message: "The module name given seems to be invalid",
} as const;
export const EXAMPLE_REVOKE_MODULE_NOT_SUPPORTED = {
  code: "INVALID_MODULE",
  message: "The given module is not supported in API",
} as const;
export const EXAMPLE_REVOKE_SCOPE_MISMATCH = {
  code: "OAUTH_SCOPE_MISMATCH",
  message: "invalid oauth scope to access this URL",
} as const;
export const EXAMPLE_REVOKE_NO_PERMISSION = {
  code: "NO_PERMISSION",
  message: "Permission denied to delete records",
} as const;
export const EXAMPLE_REVOKE_INVALID_URL_PATTERN = {
  code: "INVALID_URL_PATTERN",
  message: "Please check if the URL trying to access is a correct one.",
} as const;
export const EXAMPLE_SHARED_RECORD_NO_PERMISSION = {
  code: "NO_PERMISSION",
  message: "permission denied",
} as const;
export const EXAMPLE_SHARE_APPLIED = {
  code: "SUCCESS",
  message: "record will be shared successfully",
} as const;
export const EXAMPLE_SHARE_PARTIALLY_APPLIED = {
  code: "SUCCESS",
  message: "record will be shared successfully",
} as const;
export const EXAMPLE_SHARE_BODY_MISSING = {
  code: "MANDATORY_NOT_FOUND",
  message: "required field not found",
} as const;
export const EXAMPLE_SHARE_BODY_INVALID_FIELD = {
  code: "INVALID_DATA",
  message: "invalid data",
} as const;
export const EXAMPLE_SHARE_TOO_MANY_ENTRIES = {
  code: "INVALID_DATA",
  message: "invalid data",
} as const;
export const EXAMPLE_SHARE_ENTRY_FIELD_MISSING = {
  code: "MANDATORY_NOT_FOUND",
  message: "required field not found",
} as const;
export const EXAMPLE_SHARE_ENTRY_INVALID_FIELD = {
  code: "INVALID_DATA",
  message: "invalid data",
} as const;
export const EXAMPLE_SHARE_ENTRY_INVALID_PERMISSION = {
  code: "INVALID_DATA",
  message: "invalid data",
} as const;
export const EXAMPLE_SHARE_ENTRY_INVALID_TYPE = {
  code: "INVALID_DATA",
  message: "invalid data",
} as const;
export const EXAMPLE_SHARE_ENTRY_INVALID_FOR_TYPE = {
  code: "INVALID_DATA",
  message: "invalid data",
} as const;
export const EXAMPLE_SHARE_CANNOT_SHARE_TO_USER = {
  code: "INVALID_DATA",
  message: "cannot share to the user",
} as const;
export const EXAMPLE_SHARE_ALREADY_VISIBLE = {
  code: "INVALID_DATA",
  message: "record is already visible to the user.",
} as const;
export const EXAMPLE_SHARE_RELATED_RECORDS_UNSUPPORTED = {
  code: "INVALID_DATA",
  message: "cannot share the related records",
} as const;
export const EXAMPLE_SHARE_AMBIGUOUS_PUBLIC = {
  code: "AMBIGUITY_DURING_PROCESSING",
  message: "For public sharing more than one json object is given",
} as const;
export const EXAMPLE_SHARE_MODULE_NOT_ALLOWED = {
  code: "NOT_ALLOWED",
  message: "The given module is not supported for sharing records",
} as const;
export const EXAMPLE_SHARE_SHARED_RECORD = {
  code: "INVALID_DATA",
  message: "Shared record cannot be shared to other users",
} as const;
export const EXAMPLE_SHARE_FEEDS_DISABLED = {
  code: "NOT_ALLOWED",
  message: "Feeds is not enabled for this org",
} as const;
export const EXAMPLE_SHARE_PARTIALLY_APPLIED_INVALID_RECIPIENT = {
  code: "SUCCESS",
  message: "record will be shared successfully",
} as const;
export const EXAMPLE_SHARE_PARTIALLY_APPLIED_ALREADY_VISIBLE = {
  code: "INVALID_DATA",
  message: "record is already visible to the user.",
} as const;
export const EXAMPLE_SHARE_VIEW_INVALID = {
  code: "PATTERN_NOT_MATCHED",
  message: "Please check whether the input values are correct",
} as const;
export const EXAMPLE_SHARE_APPROVED_INVALID = {
  code: "PATTERN_NOT_MATCHED",
  message: "Please check whether the input values are correct",
} as const;
export const EXAMPLE_SHARE_SHARED_TO_INVALID = {
  code: "PATTERN_NOT_MATCHED",
  message: "Please check whether the input values are correct",
} as const;
export const EXAMPLE_SHARE_CURRENT_USER_INVALID = {
  code: "PATTERN_NOT_MATCHED",
  message: "Please check whether the input values are correct",
} as const;
export const EXAMPLE_SHARE_UNKNOWN_USER = {
  code: "INVALID_DATA",
  message: "invalid user Id",
} as const;
export const EXAMPLE_SHARE_UNKNOWN_ROLE = {
  code: "INVALID_DATA",
  message: "invalid role Id",
} as const;
export const EXAMPLE_SHARE_UNKNOWN_GROUP = {
  code: "INVALID_DATA",
  message: "invalid group Id",
} as const;
export const EXAMPLE_SHARE_USER_LIMIT_EXCEEDED = {
  code: "LIMIT_EXCEEDED",
  message: "Cannot share a record to more than 10 users",
} as const;
export const EXAMPLE_SHARE_ROLE_LIMIT_EXCEEDED = {
  code: "LIMIT_EXCEEDED",
  message: "Cannot share a record to more than 5 roles",
} as const;
export const EXAMPLE_SHARE_GROUP_LIMIT_EXCEEDED = {
  code: "LIMIT_EXCEEDED",
  message: "Cannot share a record to more than 5 groups",
} as const;
export const EXAMPLE_SHARE_NO_PERMISSION = {
  code: "NO_PERMISSION",
  message: "permission denied",
} as const;
export const EXAMPLE_SHARE_NOT_ALLOWED_FOR_MODULE = {
  code: "NOT_ALLOWED",
  message: "Record Level Sharing is not supported for this module",
} as const;
export const EXAMPLE_SHARE_SCHEDULER_RUNNING = {
  code: "CANNOT_PROCESS",
  message: "Scheduler is running",
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
