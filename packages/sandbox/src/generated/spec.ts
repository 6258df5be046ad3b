// Written by openapi/scripts/generate.mjs (`./dev codegen`) from the spec: do not edit.
// The operations, their parameters and named examples, and checks of parameters and request bodies,
// for the sandbox's core: plain data and functions, no file read, no code compiled at run time.
// The drift check (`generate.mjs --check`, in `lint`) fails when this differs from what the spec gives.

/** sha256 of the spec (openapi/zoho-crm-sharing.yaml) this comes from. */
export const SPEC_SHA256 = '85968e96faf74cee88fba46e2b14f7409fddce8aaead98cf5d1b6e9a89e7bdfd';

/** A problem with a value, as ajv reports one. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Checks `d` at instance path `p`, pushing every problem found to `e`. */
export type SchemaCheck = (d: unknown, p: string, e: SchemaError[]) => void;

const isObject = (d: unknown): boolean => !!d && typeof d === 'object' && !Array.isArray(d);

function checkModuleApiName(d: unknown, p: string, e: SchemaError[]): void {
  if (!(typeof d === 'string')) e.push({ instancePath: p, keyword: 'type', params: { type: 'string' } });
  else {
    if ([...d].length < 1) e.push({ instancePath: p, keyword: 'minLength', params: { limit: 1 } });
    if ([...d].length > 100) e.push({ instancePath: p, keyword: 'maxLength', params: { limit: 100 } });
    if (!/^[A-Za-z][A-Za-z0-9_]*$/u.test(d)) e.push({ instancePath: p, keyword: 'pattern', params: { pattern: "^[A-Za-z][A-Za-z0-9_]*$" } });
  }
}

function checkRecordId(d: unknown, p: string, e: SchemaError[]): void {
  if (!(typeof d === 'string')) e.push({ instancePath: p, keyword: 'type', params: { type: 'string' } });
  else {
    if ([...d].length < 1) e.push({ instancePath: p, keyword: 'minLength', params: { limit: 1 } });
    if ([...d].length > 19) e.push({ instancePath: p, keyword: 'maxLength', params: { limit: 19 } });
    if (!/^[0-9]{1,19}$/u.test(d)) e.push({ instancePath: p, keyword: 'pattern', params: { pattern: "^[0-9]{1,19}$" } });
  }
}

function checkShareRequest(d: unknown, p: string, e: SchemaError[]): void {
  if (!(isObject(d))) e.push({ instancePath: p, keyword: 'type', params: { type: 'object' } });
  else {
    const o0 = d as Record<string, unknown>;
    if (!Object.hasOwn(o0, "share")) e.push({ instancePath: p, keyword: 'required', params: { missingProperty: "share" } });
    if (Object.hasOwn(o0, "share")) {
      if (!(Array.isArray(o0["share"]))) e.push({ instancePath: p + "/share", keyword: 'type', params: { type: 'array' } });
      else {
        if (o0["share"].length < 1) e.push({ instancePath: p + "/share", keyword: 'minItems', params: { limit: 1 } });
        if (o0["share"].length > 20) e.push({ instancePath: p + "/share", keyword: 'maxItems', params: { limit: 20 } });
        o0["share"].forEach((x1: unknown, i1: number) => {
          checkShareRequestEntry(x1, `${p + "/share"}/${i1}`, e);
        });
      }
    }
    if (Object.hasOwn(o0, "notify_shared_members")) {
      if (!(typeof o0["notify_shared_members"] === 'boolean')) e.push({ instancePath: p + "/notify_shared_members", keyword: 'type', params: { type: 'boolean' } });
    }
    if (Object.hasOwn(o0, "notify_on_completion")) {
      if (!(typeof o0["notify_on_completion"] === 'boolean')) e.push({ instancePath: p + "/notify_on_completion", keyword: 'type', params: { type: 'boolean' } });
    }
  }
}

function checkShareRequestEntry(d: unknown, p: string, e: SchemaError[]): void {
  if (!(isObject(d))) e.push({ instancePath: p, keyword: 'type', params: { type: 'object' } });
  else {
    const o2 = d as Record<string, unknown>;
    if (!Object.hasOwn(o2, "shared_with")) e.push({ instancePath: p, keyword: 'required', params: { missingProperty: "shared_with" } });
    if (!Object.hasOwn(o2, "permission")) e.push({ instancePath: p, keyword: 'required', params: { missingProperty: "permission" } });
    if (!Object.hasOwn(o2, "type")) e.push({ instancePath: p, keyword: 'required', params: { missingProperty: "type" } });
    if (Object.hasOwn(o2, "shared_with")) {
      checkShareRecipient(o2["shared_with"], p + "/shared_with", e);
    }
    if (Object.hasOwn(o2, "permission")) {
      checkSharePermission(o2["permission"], p + "/permission", e);
    }
    if (Object.hasOwn(o2, "share_related_records")) {
      if (!(typeof o2["share_related_records"] === 'boolean')) e.push({ instancePath: p + "/share_related_records", keyword: 'type', params: { type: 'boolean' } });
    }
    if (Object.hasOwn(o2, "type")) {
      checkShareVisibility(o2["type"], p + "/type", e);
    }
  }
}

function checkShareRecipient(d: unknown, p: string, e: SchemaError[]): void {
  if (!(isObject(d))) e.push({ instancePath: p, keyword: 'type', params: { type: 'object' } });
  else {
    const o3 = d as Record<string, unknown>;
    if (!Object.hasOwn(o3, "type")) e.push({ instancePath: p, keyword: 'required', params: { missingProperty: "type" } });
    if (!Object.hasOwn(o3, "id")) e.push({ instancePath: p, keyword: 'required', params: { missingProperty: "id" } });
    if (Object.hasOwn(o3, "type")) {
      checkRecipientType(o3["type"], p + "/type", e);
    }
    if (Object.hasOwn(o3, "id")) {
      checkRecordId(o3["id"], p + "/id", e);
    }
  }
}

function checkRecipientType(d: unknown, p: string, e: SchemaError[]): void {
  if (!(typeof d === 'string')) e.push({ instancePath: p, keyword: 'type', params: { type: 'string' } });
  else {
    if (!["users","roles","groups"].includes(d as never)) e.push({ instancePath: p, keyword: 'enum', params: { allowedValues: ["users","roles","groups"] } });
  }
}

function checkSharePermission(d: unknown, p: string, e: SchemaError[]): void {
  if (!(typeof d === 'string')) e.push({ instancePath: p, keyword: 'type', params: { type: 'string' } });
  else {
    if (!["read_only","read_write","full_access"].includes(d as never)) e.push({ instancePath: p, keyword: 'enum', params: { allowedValues: ["read_only","read_write","full_access"] } });
  }
}

function checkShareVisibility(d: unknown, p: string, e: SchemaError[]): void {
  if (!(typeof d === 'string')) e.push({ instancePath: p, keyword: 'type', params: { type: 'string' } });
  else {
    if (!["private","public"].includes(d as never)) e.push({ instancePath: p, keyword: 'enum', params: { allowedValues: ["private","public"] } });
  }
}

export interface GeneratedParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  /** The schema's type: a query string's `true`/`false` is a boolean only where this says so. */
  type: string;
  whenMissing: string | undefined;
  whenInvalid: string;
  check: SchemaCheck;
}

export interface GeneratedOperation {
  id: string;
  method: string;
  path: string;
  parameters: GeneratedParameter[];
  body: SchemaCheck | undefined;
  examples: Readonly<Record<string, { status: number; body: unknown }>>;
}

// The named response examples (components/examples), each once.
const EXAMPLE_RerunScheduled = {"sharing_rules":[{"code":"SCHEDULED","details":{},"message":"Rerun successfully scheduled","status":"success"}]};
const EXAMPLE_ModuleParamMissing = {"code":"REQUIRED_PARAM_MISSING","details":{"param_name":"module"},"message":"One of the expected parameter is missing","status":"error"};
const EXAMPLE_ModuleParamInvalid = {"code":"INVALID_DATA","details":{"param_name":"module"},"message":"the module name given seems to be invalid","status":"error"};
const EXAMPLE_RerunCannotProcess = {"code":"CANNOT_PROCESS","details":{},"message":"The scheduler is currently running","status":"error"};
const EXAMPLE_RerunCannotProcessWrapped = {"sharing_rules":[{"code":"CANNOT_PROCESS","details":{},"message":"The scheduler is currently running","status":"error"}]};
const EXAMPLE_InvalidRequestMethod = {"code":"INVALID_REQUEST_METHOD","details":{},"message":"The http request method type is not a valid one","status":"error"};
const EXAMPLE_AuthenticationFailure = {"code":"AUTHENTICATION_FAILURE","details":{},"message":"Authentication failed","status":"error"};
const EXAMPLE_RerunScopeMismatch = {"code":"OAUTH_SCOPE_MISMATCH","details":{},"message":"Unauthorized","status":"error"};
const EXAMPLE_InvalidToken = {"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"};
const EXAMPLE_DataSharingNoPermission = {"code":"NO_PERMISSION","details":{"permissions":["Crm_Implied_Manage_Data_Sharing"]},"message":"permission denied","status":"error"};
const EXAMPLE_DataSharingNoPermissionWrapped = {"sharing_rules":[{"code":"NO_PERMISSION","details":{"permissions":["Crm_Implied_Manage_Data_Sharing"]},"message":"permission denied","status":"error"}]};
const EXAMPLE_RerunInvalidUrlPattern = {"code":"INVALID_URL_PATTERN","details":{},"message":"Please check if the URL trying to access is a correct one","status":"error"};
const EXAMPLE_TooManyRequests = {"code":"TOO_MANY_REQUESTS","details":{},"message":"You have exceeded the concurrency limit. Please try again later.","status":"error"};
const EXAMPLE_TooManyRequestsCredits = {"code":"TOO_MANY_REQUESTS","details":{},"message":"You have exhausted the API credits for the last 24 hours. Please try again later.","status":"error"};
const EXAMPLE_InternalError = {"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"};
const EXAMPLE_SummaryComputing = {"sharing_rules_summary":[{"module":{"api_name":"Leads","id":"4150868000000002175"},"rule_computation_status":true,"rule_count":3}]};
const EXAMPLE_SummaryIdle = {"sharing_rules_summary":[{"module":{"api_name":"Leads","id":"4150868000000002175"},"rule_computation_status":false,"rule_count":3}]};
const EXAMPLE_SummaryAllModules = {"sharing_rules_summary":[{"module":{"api_name":"Leads","id":"4150868000000002175"},"rule_computation_status":true,"rule_count":3},{"module":{"api_name":"Contacts","id":"4150868000000002177"},"rule_computation_status":false,"rule_count":1}]};
const EXAMPLE_SharedRecordDetails = {"share":[{"shared_with":{"type":"users","id":"4150868000000224005","name":"Patricia Boyle"},"permission":"read_write","share_related_records":false,"shared_time":"2026-11-02T09:14:27+05:30","shared_by":{"id":"4150868000000225013","name":"Sandbox Admin","zuid":"76602839"},"shared_through":{"module":{"name":"Contacts","id":"4150868000000002177"},"id":"4150868000001148212"},"type":"private"},{"shared_with":{"type":"roles","id":"4150868000000231001","name":"Manager"},"permission":"read_only","share_related_records":true,"shared_time":"2026-11-03T16:40:02+05:30","shared_by":{"id":"4150868000000225013","name":"Sandbox Admin","zuid":"76602839"},"shared_through":{"module":{"name":"Contacts","id":"4150868000000002177"},"id":"4150868000001148212"},"type":"private"}]};
const EXAMPLE_RevokeEntityIdInvalid = {"code":"INVALID_DATA","details":{"resource_path_index":1},"message":"ENTITY_ID_INVALID","status":"error"};
const EXAMPLE_ShareViewInvalid = {"code":"PATTERN_NOT_MATCHED","details":{"api_name":"view"},"message":"Please check whether the input values are correct","status":"error"};
const EXAMPLE_ShareApprovedInvalid = {"code":"PATTERN_NOT_MATCHED","details":{"api_name":"approved"},"message":"Please check whether the input values are correct","status":"error"};
const EXAMPLE_ShareSharedToInvalid = {"code":"PATTERN_NOT_MATCHED","details":{"api_name":"sharedTo"},"message":"Please check whether the input values are correct","status":"error"};
const EXAMPLE_ShareCurrentUserInvalid = {"code":"PATTERN_NOT_MATCHED","details":{"api_name":"current_user"},"message":"Please check whether the input values are correct","status":"error"};
const EXAMPLE_RevokeInvalidModule = {"code":"INVALID_MODULE","details":{"resource_path_index":0},"message":"The module name given seems to be invalid","status":"error"};
const EXAMPLE_RevokeModuleNotSupported = {"code":"INVALID_MODULE","details":{"resource_path_index":0},"message":"The given module is not supported in API","status":"error"};
const EXAMPLE_RevokeScopeMismatch = {"code":"OAUTH_SCOPE_MISMATCH","details":{},"message":"invalid oauth scope to access this URL","status":"error"};
const EXAMPLE_SharedRecordNoPermission = {"code":"NO_PERMISSION","details":{"permissions":["Crm_Implied_View_Contacts"]},"message":"permission denied","status":"error"};
const EXAMPLE_RevokeInvalidUrlPattern = {"code":"INVALID_URL_PATTERN","details":{},"message":"Please check if the URL trying to access is a correct one.","status":"error"};
const EXAMPLE_ShareApplied = {"share":[{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"},{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"}]};
const EXAMPLE_SharePartiallyApplied = {"share":[{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"},{"code":"INVALID_DATA","details":{"api_name":"id","json_path":"$.share[1].shared_with.id"},"message":"invalid user Id","status":"error"}]};
const EXAMPLE_SharePartiallyAppliedInvalidRecipient = {"share":[{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"},{"code":"INVALID_DATA","details":{"api_name":"shared_with","json_path":"$.share[1].shared_with"},"message":"invalid data","status":"error"}]};
const EXAMPLE_SharePartiallyAppliedAlreadyVisible = {"share":[{"code":"INVALID_DATA","details":{"api_name":"shared_with","json_path":"$.share[0].shared_with"},"message":"record is already visible to the user.","status":"error"},{"code":"SUCCESS","details":{},"message":"record will be shared successfully","status":"success"}]};
const EXAMPLE_ShareBodyMissing = {"code":"MANDATORY_NOT_FOUND","details":{"api_name":"share","json_path":"$.share"},"message":"required field not found","status":"error"};
const EXAMPLE_ShareBodyInvalidField = {"code":"INVALID_DATA","details":{"api_name":"notify_shared_members","json_path":"$.notify_shared_members"},"message":"invalid data","status":"error"};
const EXAMPLE_ShareTooManyEntries = {"code":"INVALID_DATA","details":{"api_name":"share","json_path":"$.share","maximum_length":20},"message":"invalid data","status":"error"};
const EXAMPLE_ShareEntryFieldMissing = {"share":[{"code":"MANDATORY_NOT_FOUND","details":{"api_name":"permission","json_path":"$.share[0].permission"},"message":"required field not found","status":"error"}]};
const EXAMPLE_ShareEntryInvalidField = {"share":[{"code":"INVALID_DATA","details":{"api_name":"share_related_records","json_path":"$.share[0].share_related_records"},"message":"invalid data","status":"error"}]};
const EXAMPLE_ShareEntryInvalidPermission = {"share":[{"code":"INVALID_DATA","details":{"api_name":"permission","json_path":"$.share[0].permission","regex":"read_only|read_write|full_access"},"message":"invalid data","status":"error"}]};
const EXAMPLE_ShareEntryInvalidType = {"share":[{"code":"INVALID_DATA","details":{"api_name":"type","json_path":"$.share[0].type","regex":"private|public"},"message":"invalid data","status":"error"}]};
const EXAMPLE_ShareEntryInvalidForType = {"share":[{"code":"INVALID_DATA","details":{"dependee":{"api_name":"type","json_path":"$.share[0].type"},"api_name":"shared_with","json_path":"$.share[0].shared_with"},"message":"invalid data","status":"error"}]};
const EXAMPLE_ShareCannotShareToUser = {"share":[{"code":"INVALID_DATA","details":{"api_name":"shared_with","json_path":"$.share[0].shared_with"},"message":"cannot share to the user","status":"error"}]};
const EXAMPLE_ShareAlreadyVisible = {"share":[{"code":"INVALID_DATA","details":{"api_name":"shared_with","json_path":"$.share[0].shared_with"},"message":"record is already visible to the user.","status":"error"}]};
const EXAMPLE_ShareRelatedRecordsUnsupported = {"share":[{"code":"INVALID_DATA","details":{"api_name":"share_related_records","json_path":"$.share[0].share_related_records"},"message":"cannot share the related records","status":"error"}]};
const EXAMPLE_ShareAmbiguousPublic = {"code":"AMBIGUITY_DURING_PROCESSING","details":{"ambiguity_due_to":[{"api_name":"type","json_path":"$.share[0].type"},{"api_name":"type","json_path":"$.share[1].type"}]},"message":"For public sharing more than one json object is given","status":"error"};
const EXAMPLE_ShareModuleNotAllowed = {"code":"NOT_ALLOWED","details":{"resource_path_index":0},"message":"The given module is not supported for sharing records","status":"error"};
const EXAMPLE_ShareUnknownUser = {"share":[{"code":"INVALID_DATA","details":{"api_name":"id","json_path":"$.share[0].shared_with.id"},"message":"invalid user Id","status":"error"}]};
const EXAMPLE_ShareUnknownRole = {"share":[{"code":"INVALID_DATA","details":{"api_name":"id","json_path":"$.share[0].shared_with.id"},"message":"invalid role Id","status":"error"}]};
const EXAMPLE_ShareUnknownGroup = {"share":[{"code":"INVALID_DATA","details":{"api_name":"id","json_path":"$.share[0].shared_with.id"},"message":"invalid group Id","status":"error"}]};
const EXAMPLE_ShareUserLimitExceeded = {"share":[{"code":"LIMIT_EXCEEDED","details":{"api_name":"type","limit":10,"json_path":"$.share[0].shared_with.type"},"message":"Cannot share a record to more than 10 users","status":"error"}]};
const EXAMPLE_ShareRoleLimitExceeded = {"share":[{"code":"LIMIT_EXCEEDED","details":{"api_name":"type","limit":5,"json_path":"$.share[0].shared_with.type"},"message":"Cannot share a record to more than 5 roles","status":"error"}]};
const EXAMPLE_ShareGroupLimitExceeded = {"share":[{"code":"LIMIT_EXCEEDED","details":{"api_name":"type","limit":5,"json_path":"$.share[0].shared_with.type"},"message":"Cannot share a record to more than 5 groups","status":"error"}]};
const EXAMPLE_ShareNoPermission = {"code":"NO_PERMISSION","details":{"permissions":["Crm_Implied_Share"]},"message":"permission denied","status":"error"};
const EXAMPLE_ShareNotAllowedForModule = {"code":"NOT_ALLOWED","details":{},"message":"Record Level Sharing is not supported for this module","status":"error"};
const EXAMPLE_ShareSchedulerRunning = {"code":"CANNOT_PROCESS","details":{},"message":"Scheduler is running","status":"error"};
const EXAMPLE_ShareSharedRecord = {"code":"INVALID_DATA","details":{},"message":"Shared record cannot be shared to other users","status":"error"};
const EXAMPLE_ShareFeedsDisabled = {"code":"NOT_ALLOWED","details":{"api_name":"notify_shared_members","json_path":"$.notify_shared_members"},"message":"Feeds is not enabled for this org","status":"error"};
const EXAMPLE_RevokeSuccess = {"share":{"code":"SUCCESS","details":{"id":"4150868000001148212"},"message":"Sharing Revoked","status":"success"}};
const EXAMPLE_RevokeNothingToRevoke = {"code":"BAD_REQUEST","details":{},"message":"No sharing through this record is available to revoke.","status":"error"};
const EXAMPLE_RevokeNothingToRevokeCannotProcess = {"code":"CANNOT_PROCESS","details":{},"message":"No sharing through this record is available to revoke.","status":"error"};
const EXAMPLE_RevokeNothingToRevokeWrapped = {"share":{"code":"BAD_REQUEST","details":{},"message":"No sharing through this record is available to revoke.","status":"error"}};
const EXAMPLE_RevokeAuthorizationFailed = {"code":"AUTHORIZATION_FAILED","details":{},"message":"User does not have sufficient privilege to delete records","status":"error"};
const EXAMPLE_RevokeNoPermission = {"code":"NO_PERMISSION","details":{"permissions":["Crm_Implied_Share"]},"message":"Permission denied to delete records","status":"error"};

export const OPERATION_SPECS: GeneratedOperation[] = [
  {
    id: "rerunDataSharingRules",
    method: "POST",
    path: "/settings/data_sharing/rules/actions/run",
    parameters: [
      {
        name: "module",
        in: "query",
        required: true,
        type: "string",
        whenMissing: "REQUIRED_PARAM_MISSING",
        whenInvalid: "INVALID_DATA",
        check: checkModuleApiName,
      }
    ],
    body: undefined,
    examples: {
      "SCHEDULED": { status: 200, body: EXAMPLE_RerunScheduled },
      "REQUIRED_PARAM_MISSING": { status: 400, body: EXAMPLE_ModuleParamMissing },
      "INVALID_DATA": { status: 400, body: EXAMPLE_ModuleParamInvalid },
      "CANNOT_PROCESS": { status: 400, body: EXAMPLE_RerunCannotProcess },
      "CANNOT_PROCESS_WRAPPED": { status: 400, body: EXAMPLE_RerunCannotProcessWrapped },
      "INVALID_REQUEST_METHOD": { status: 400, body: EXAMPLE_InvalidRequestMethod },
      "AUTHENTICATION_FAILURE": { status: 401, body: EXAMPLE_AuthenticationFailure },
      "OAUTH_SCOPE_MISMATCH": { status: 401, body: EXAMPLE_RerunScopeMismatch },
      "INVALID_TOKEN": { status: 401, body: EXAMPLE_InvalidToken },
      "NO_PERMISSION": { status: 403, body: EXAMPLE_DataSharingNoPermission },
      "NO_PERMISSION_WRAPPED": { status: 403, body: EXAMPLE_DataSharingNoPermissionWrapped },
      "INVALID_URL_PATTERN": { status: 404, body: EXAMPLE_RerunInvalidUrlPattern },
      "TOO_MANY_REQUESTS": { status: 429, body: EXAMPLE_TooManyRequests },
      "TOO_MANY_REQUESTS_CREDITS": { status: 429, body: EXAMPLE_TooManyRequestsCredits },
      "INTERNAL_ERROR": { status: 500, body: EXAMPLE_InternalError },
    },
  },
  {
    id: "getDataSharingRulesSummary",
    method: "GET",
    path: "/settings/data_sharing/rules/actions/summary",
    parameters: [
      {
        name: "module",
        in: "query",
        required: false,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_DATA",
        check: checkModuleApiName,
      }
    ],
    body: undefined,
    examples: {
      "COMPUTING": { status: 200, body: EXAMPLE_SummaryComputing },
      "IDLE": { status: 200, body: EXAMPLE_SummaryIdle },
      "ALL_MODULES": { status: 200, body: EXAMPLE_SummaryAllModules },
      "INVALID_DATA": { status: 400, body: EXAMPLE_ModuleParamInvalid },
      "INVALID_REQUEST_METHOD": { status: 400, body: EXAMPLE_InvalidRequestMethod },
      "AUTHENTICATION_FAILURE": { status: 401, body: EXAMPLE_AuthenticationFailure },
      "OAUTH_SCOPE_MISMATCH": { status: 401, body: EXAMPLE_RerunScopeMismatch },
      "INVALID_TOKEN": { status: 401, body: EXAMPLE_InvalidToken },
      "NO_PERMISSION": { status: 403, body: EXAMPLE_DataSharingNoPermission },
      "NO_PERMISSION_WRAPPED": { status: 403, body: EXAMPLE_DataSharingNoPermissionWrapped },
      "INVALID_URL_PATTERN": { status: 404, body: EXAMPLE_RerunInvalidUrlPattern },
      "TOO_MANY_REQUESTS": { status: 429, body: EXAMPLE_TooManyRequests },
      "TOO_MANY_REQUESTS_CREDITS": { status: 429, body: EXAMPLE_TooManyRequestsCredits },
      "INTERNAL_ERROR": { status: 500, body: EXAMPLE_InternalError },
    },
  },
  {
    id: "getSharedRecordDetails",
    method: "GET",
    path: "/{module_api_name}/{record_id}/actions/share",
    parameters: [
      {
        name: "module_api_name",
        in: "path",
        required: true,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_MODULE",
        check: checkModuleApiName,
      },
      {
        name: "record_id",
        in: "path",
        required: true,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_DATA",
        check: checkRecordId,
      },
      {
        name: "sharedTo",
        in: "query",
        required: false,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "PATTERN_NOT_MATCHED_SHARED_TO",
        check: checkRecordId,
      },
      {
        name: "view",
        in: "query",
        required: false,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "PATTERN_NOT_MATCHED_VIEW",
        check: (d: unknown, p: string, e: SchemaError[]): void => {
          if (!(typeof d === 'string')) e.push({ instancePath: p, keyword: 'type', params: { type: 'string' } });
          else {
            if (!["summary","manage"].includes(d as never)) e.push({ instancePath: p, keyword: 'enum', params: { allowedValues: ["summary","manage"] } });
          }
        },
      },
      {
        name: "approved",
        in: "query",
        required: false,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "PATTERN_NOT_MATCHED_APPROVED",
        check: (d: unknown, p: string, e: SchemaError[]): void => {
          if (!(typeof d === 'string')) e.push({ instancePath: p, keyword: 'type', params: { type: 'string' } });
          else {
            if (!["true","false","both"].includes(d as never)) e.push({ instancePath: p, keyword: 'enum', params: { allowedValues: ["true","false","both"] } });
          }
        },
      },
      {
        name: "current_user",
        in: "query",
        required: false,
        type: "boolean",
        whenMissing: undefined,
        whenInvalid: "PATTERN_NOT_MATCHED_CURRENT_USER",
        check: (d: unknown, p: string, e: SchemaError[]): void => {
          if (!(typeof d === 'boolean')) e.push({ instancePath: p, keyword: 'type', params: { type: 'boolean' } });
        },
      }
    ],
    body: undefined,
    examples: {
      "SHARED": { status: 200, body: EXAMPLE_SharedRecordDetails },
      "INVALID_DATA": { status: 400, body: EXAMPLE_RevokeEntityIdInvalid },
      "PATTERN_NOT_MATCHED_VIEW": { status: 400, body: EXAMPLE_ShareViewInvalid },
      "PATTERN_NOT_MATCHED_APPROVED": { status: 400, body: EXAMPLE_ShareApprovedInvalid },
      "PATTERN_NOT_MATCHED_SHARED_TO": { status: 400, body: EXAMPLE_ShareSharedToInvalid },
      "PATTERN_NOT_MATCHED_CURRENT_USER": { status: 400, body: EXAMPLE_ShareCurrentUserInvalid },
      "INVALID_MODULE": { status: 400, body: EXAMPLE_RevokeInvalidModule },
      "INVALID_MODULE_UNSUPPORTED": { status: 400, body: EXAMPLE_RevokeModuleNotSupported },
      "INVALID_REQUEST_METHOD": { status: 400, body: EXAMPLE_InvalidRequestMethod },
      "AUTHENTICATION_FAILURE": { status: 401, body: EXAMPLE_AuthenticationFailure },
      "OAUTH_SCOPE_MISMATCH": { status: 401, body: EXAMPLE_RevokeScopeMismatch },
      "INVALID_TOKEN": { status: 401, body: EXAMPLE_InvalidToken },
      "NO_PERMISSION": { status: 403, body: EXAMPLE_SharedRecordNoPermission },
      "INVALID_URL_PATTERN": { status: 404, body: EXAMPLE_RevokeInvalidUrlPattern },
      "TOO_MANY_REQUESTS": { status: 429, body: EXAMPLE_TooManyRequests },
      "TOO_MANY_REQUESTS_CREDITS": { status: 429, body: EXAMPLE_TooManyRequestsCredits },
      "INTERNAL_ERROR": { status: 500, body: EXAMPLE_InternalError },
    },
  },
  {
    id: "updateRecordShares",
    method: "PUT",
    path: "/{module_api_name}/{record_id}/actions/share",
    parameters: [
      {
        name: "module_api_name",
        in: "path",
        required: true,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_MODULE",
        check: checkModuleApiName,
      },
      {
        name: "record_id",
        in: "path",
        required: true,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_DATA",
        check: checkRecordId,
      }
    ],
    body: checkShareRequest,
    examples: {
      "SUCCESS": { status: 201, body: EXAMPLE_ShareApplied },
      "PARTIAL": { status: 207, body: EXAMPLE_SharePartiallyApplied },
      "PARTIAL_INVALID_DATA": { status: 207, body: EXAMPLE_SharePartiallyAppliedInvalidRecipient },
      "PARTIAL_ALREADY_VISIBLE": { status: 207, body: EXAMPLE_SharePartiallyAppliedAlreadyVisible },
      "INVALID_DATA": { status: 400, body: EXAMPLE_RevokeEntityIdInvalid },
      "INVALID_MODULE": { status: 400, body: EXAMPLE_RevokeInvalidModule },
      "INVALID_MODULE_UNSUPPORTED": { status: 400, body: EXAMPLE_RevokeModuleNotSupported },
      "INVALID_REQUEST_METHOD": { status: 400, body: EXAMPLE_InvalidRequestMethod },
      "MANDATORY_NOT_FOUND": { status: 400, body: EXAMPLE_ShareBodyMissing },
      "INVALID_DATA_BODY": { status: 400, body: EXAMPLE_ShareBodyInvalidField },
      "INVALID_DATA_TOO_MANY_ENTRIES": { status: 400, body: EXAMPLE_ShareTooManyEntries },
      "MANDATORY_NOT_FOUND_ENTRY": { status: 400, body: EXAMPLE_ShareEntryFieldMissing },
      "INVALID_DATA_ENTRY": { status: 400, body: EXAMPLE_ShareEntryInvalidField },
      "INVALID_DATA_PERMISSION": { status: 400, body: EXAMPLE_ShareEntryInvalidPermission },
      "INVALID_DATA_TYPE": { status: 400, body: EXAMPLE_ShareEntryInvalidType },
      "INVALID_DATA_DEPENDEE": { status: 400, body: EXAMPLE_ShareEntryInvalidForType },
      "INVALID_DATA_CANNOT_SHARE_TO_USER": { status: 400, body: EXAMPLE_ShareCannotShareToUser },
      "INVALID_DATA_ALREADY_VISIBLE": { status: 400, body: EXAMPLE_ShareAlreadyVisible },
      "INVALID_DATA_RELATED_RECORDS": { status: 400, body: EXAMPLE_ShareRelatedRecordsUnsupported },
      "AMBIGUITY_DURING_PROCESSING": { status: 400, body: EXAMPLE_ShareAmbiguousPublic },
      "NOT_ALLOWED_MODULE": { status: 400, body: EXAMPLE_ShareModuleNotAllowed },
      "INVALID_DATA_USER_ID": { status: 400, body: EXAMPLE_ShareUnknownUser },
      "INVALID_DATA_ROLE_ID": { status: 400, body: EXAMPLE_ShareUnknownRole },
      "INVALID_DATA_GROUP_ID": { status: 400, body: EXAMPLE_ShareUnknownGroup },
      "LIMIT_EXCEEDED_USERS": { status: 400, body: EXAMPLE_ShareUserLimitExceeded },
      "LIMIT_EXCEEDED_ROLES": { status: 400, body: EXAMPLE_ShareRoleLimitExceeded },
      "LIMIT_EXCEEDED_GROUPS": { status: 400, body: EXAMPLE_ShareGroupLimitExceeded },
      "AUTHENTICATION_FAILURE": { status: 401, body: EXAMPLE_AuthenticationFailure },
      "OAUTH_SCOPE_MISMATCH": { status: 401, body: EXAMPLE_RevokeScopeMismatch },
      "INVALID_TOKEN": { status: 401, body: EXAMPLE_InvalidToken },
      "NO_PERMISSION": { status: 403, body: EXAMPLE_ShareNoPermission },
      "NOT_ALLOWED": { status: 403, body: EXAMPLE_ShareNotAllowedForModule },
      "CANNOT_PROCESS": { status: 403, body: EXAMPLE_ShareSchedulerRunning },
      "INVALID_DATA_SHARED_RECORD": { status: 403, body: EXAMPLE_ShareSharedRecord },
      "NOT_ALLOWED_FEEDS": { status: 403, body: EXAMPLE_ShareFeedsDisabled },
      "INVALID_URL_PATTERN": { status: 404, body: EXAMPLE_RevokeInvalidUrlPattern },
      "TOO_MANY_REQUESTS": { status: 429, body: EXAMPLE_TooManyRequests },
      "TOO_MANY_REQUESTS_CREDITS": { status: 429, body: EXAMPLE_TooManyRequestsCredits },
      "INTERNAL_ERROR": { status: 500, body: EXAMPLE_InternalError },
    },
  },
  {
    id: "shareRecord",
    method: "POST",
    path: "/{module_api_name}/{record_id}/actions/share",
    parameters: [
      {
        name: "module_api_name",
        in: "path",
        required: true,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_MODULE",
        check: checkModuleApiName,
      },
      {
        name: "record_id",
        in: "path",
        required: true,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_DATA",
        check: checkRecordId,
      }
    ],
    body: checkShareRequest,
    examples: {
      "SUCCESS": { status: 201, body: EXAMPLE_ShareApplied },
      "PARTIAL": { status: 207, body: EXAMPLE_SharePartiallyApplied },
      "PARTIAL_INVALID_DATA": { status: 207, body: EXAMPLE_SharePartiallyAppliedInvalidRecipient },
      "PARTIAL_ALREADY_VISIBLE": { status: 207, body: EXAMPLE_SharePartiallyAppliedAlreadyVisible },
      "INVALID_DATA": { status: 400, body: EXAMPLE_RevokeEntityIdInvalid },
      "INVALID_MODULE": { status: 400, body: EXAMPLE_RevokeInvalidModule },
      "INVALID_MODULE_UNSUPPORTED": { status: 400, body: EXAMPLE_RevokeModuleNotSupported },
      "INVALID_REQUEST_METHOD": { status: 400, body: EXAMPLE_InvalidRequestMethod },
      "MANDATORY_NOT_FOUND": { status: 400, body: EXAMPLE_ShareBodyMissing },
      "INVALID_DATA_BODY": { status: 400, body: EXAMPLE_ShareBodyInvalidField },
      "INVALID_DATA_TOO_MANY_ENTRIES": { status: 400, body: EXAMPLE_ShareTooManyEntries },
      "MANDATORY_NOT_FOUND_ENTRY": { status: 400, body: EXAMPLE_ShareEntryFieldMissing },
      "INVALID_DATA_ENTRY": { status: 400, body: EXAMPLE_ShareEntryInvalidField },
      "INVALID_DATA_PERMISSION": { status: 400, body: EXAMPLE_ShareEntryInvalidPermission },
      "INVALID_DATA_TYPE": { status: 400, body: EXAMPLE_ShareEntryInvalidType },
      "INVALID_DATA_DEPENDEE": { status: 400, body: EXAMPLE_ShareEntryInvalidForType },
      "INVALID_DATA_CANNOT_SHARE_TO_USER": { status: 400, body: EXAMPLE_ShareCannotShareToUser },
      "INVALID_DATA_ALREADY_VISIBLE": { status: 400, body: EXAMPLE_ShareAlreadyVisible },
      "INVALID_DATA_RELATED_RECORDS": { status: 400, body: EXAMPLE_ShareRelatedRecordsUnsupported },
      "AMBIGUITY_DURING_PROCESSING": { status: 400, body: EXAMPLE_ShareAmbiguousPublic },
      "NOT_ALLOWED_MODULE": { status: 400, body: EXAMPLE_ShareModuleNotAllowed },
      "INVALID_DATA_USER_ID": { status: 400, body: EXAMPLE_ShareUnknownUser },
      "INVALID_DATA_ROLE_ID": { status: 400, body: EXAMPLE_ShareUnknownRole },
      "INVALID_DATA_GROUP_ID": { status: 400, body: EXAMPLE_ShareUnknownGroup },
      "LIMIT_EXCEEDED_USERS": { status: 400, body: EXAMPLE_ShareUserLimitExceeded },
      "LIMIT_EXCEEDED_ROLES": { status: 400, body: EXAMPLE_ShareRoleLimitExceeded },
      "LIMIT_EXCEEDED_GROUPS": { status: 400, body: EXAMPLE_ShareGroupLimitExceeded },
      "AUTHENTICATION_FAILURE": { status: 401, body: EXAMPLE_AuthenticationFailure },
      "OAUTH_SCOPE_MISMATCH": { status: 401, body: EXAMPLE_RevokeScopeMismatch },
      "INVALID_TOKEN": { status: 401, body: EXAMPLE_InvalidToken },
      "NO_PERMISSION": { status: 403, body: EXAMPLE_ShareNoPermission },
      "NOT_ALLOWED": { status: 403, body: EXAMPLE_ShareNotAllowedForModule },
      "CANNOT_PROCESS": { status: 403, body: EXAMPLE_ShareSchedulerRunning },
      "INVALID_DATA_SHARED_RECORD": { status: 403, body: EXAMPLE_ShareSharedRecord },
      "NOT_ALLOWED_FEEDS": { status: 403, body: EXAMPLE_ShareFeedsDisabled },
      "INVALID_URL_PATTERN": { status: 404, body: EXAMPLE_RevokeInvalidUrlPattern },
      "TOO_MANY_REQUESTS": { status: 429, body: EXAMPLE_TooManyRequests },
      "TOO_MANY_REQUESTS_CREDITS": { status: 429, body: EXAMPLE_TooManyRequestsCredits },
      "INTERNAL_ERROR": { status: 500, body: EXAMPLE_InternalError },
    },
  },
  {
    id: "revokeSharedRecord",
    method: "DELETE",
    path: "/{module_api_name}/{record_id}/actions/share",
    parameters: [
      {
        name: "module_api_name",
        in: "path",
        required: true,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_MODULE",
        check: checkModuleApiName,
      },
      {
        name: "record_id",
        in: "path",
        required: true,
        type: "string",
        whenMissing: undefined,
        whenInvalid: "INVALID_DATA",
        check: checkRecordId,
      }
    ],
    body: undefined,
    examples: {
      "SUCCESS": { status: 200, body: EXAMPLE_RevokeSuccess },
      "INVALID_DATA": { status: 400, body: EXAMPLE_RevokeEntityIdInvalid },
      "BAD_REQUEST": { status: 400, body: EXAMPLE_RevokeNothingToRevoke },
      "CANNOT_PROCESS": { status: 400, body: EXAMPLE_RevokeNothingToRevokeCannotProcess },
      "BAD_REQUEST_WRAPPED": { status: 400, body: EXAMPLE_RevokeNothingToRevokeWrapped },
      "INVALID_REQUEST_METHOD": { status: 400, body: EXAMPLE_InvalidRequestMethod },
      "AUTHORIZATION_FAILED": { status: 400, body: EXAMPLE_RevokeAuthorizationFailed },
      "INVALID_MODULE": { status: 400, body: EXAMPLE_RevokeInvalidModule },
      "INVALID_MODULE_UNSUPPORTED": { status: 400, body: EXAMPLE_RevokeModuleNotSupported },
      "AUTHENTICATION_FAILURE": { status: 401, body: EXAMPLE_AuthenticationFailure },
      "OAUTH_SCOPE_MISMATCH": { status: 401, body: EXAMPLE_RevokeScopeMismatch },
      "INVALID_TOKEN": { status: 401, body: EXAMPLE_InvalidToken },
      "NO_PERMISSION": { status: 403, body: EXAMPLE_RevokeNoPermission },
      "INVALID_URL_PATTERN": { status: 404, body: EXAMPLE_RevokeInvalidUrlPattern },
      "TOO_MANY_REQUESTS": { status: 429, body: EXAMPLE_TooManyRequests },
      "TOO_MANY_REQUESTS_CREDITS": { status: 429, body: EXAMPLE_TooManyRequestsCredits },
      "INTERNAL_ERROR": { status: 500, body: EXAMPLE_InternalError },
    },
  },
];
