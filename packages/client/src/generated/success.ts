// Written by openapi/scripts/generate.mjs (`./dev codegen`) from the spec: do not edit.
// Each operation's documented success, exactly as the spec's schema states it (closed objects refuse
// any other member, enums are constants, `x-zoho-echoes` binds a value to the request's path
// parameter), for the client's run-time checks. The drift check (`generate.mjs --check`, in `lint`)
// fails when this file differs from what the spec gives. Spec sha256: 85968e96faf74cee88fba46e2b14f7409fddce8aaead98cf5d1b6e9a89e7bdfd.
import { bool, count, echo, list, object, oneOf, text, type Success } from '../shape.js';

/** `ScheduledStatus` */
const ScheduledStatus = /* @__PURE__ */ object({ code: oneOf(["SCHEDULED"]), details: object({}, {}, true), message: text(), status: oneOf(["success"]) }, {}, true);
/** `RerunScheduledEnvelope` */
const RerunScheduledEnvelope = /* @__PURE__ */ object({ sharing_rules: list(ScheduledStatus, 1, 1) }, {}, true);
/** `ModuleApiName` */
const ModuleApiName = /* @__PURE__ */ text(/^[A-Za-z][A-Za-z0-9_]*$/, 100, 1);
/** `RecordId` */
const RecordId = /* @__PURE__ */ text(/^[0-9]{1,19}$/, 19, 1);
/** `ModuleReference` */
const ModuleReference = /* @__PURE__ */ object({ api_name: ModuleApiName, id: RecordId });
/** `SharingRulesSummary` */
const SharingRulesSummary = /* @__PURE__ */ object({ module: ModuleReference, rule_computation_status: bool, rule_count: count });
/** `SharingRulesSummaryEnvelope` */
const SharingRulesSummaryEnvelope = /* @__PURE__ */ object({ sharing_rules_summary: list(SharingRulesSummary) }, {}, true);
/** `RecipientType` */
const RecipientType = /* @__PURE__ */ oneOf(["users", "roles", "groups"]);
/** `SharedWith` */
const SharedWith = /* @__PURE__ */ object({ type: RecipientType, id: RecordId }, { name: text() });
/** `SharePermission` */
const SharePermission = /* @__PURE__ */ oneOf(["read_only", "read_write", "full_access"]);
/** `SharedBy` */
const SharedBy = /* @__PURE__ */ object({ id: RecordId }, { name: text(), zuid: text() });
/** `SharedThroughModule` */
const SharedThroughModule = /* @__PURE__ */ object({ name: ModuleApiName, id: RecordId });
/** `SharedThrough` */
const SharedThrough = /* @__PURE__ */ object({ id: RecordId }, { module: SharedThroughModule });
/** `ShareVisibility` */
const ShareVisibility = /* @__PURE__ */ oneOf(["private", "public"]);
/** `SharedRecordDetail` */
const SharedRecordDetail = /* @__PURE__ */ object({ shared_with: SharedWith, permission: SharePermission }, { share_related_records: bool, shared_time: text(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt\s]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$/), shared_by: SharedBy, shared_through: SharedThrough, type: ShareVisibility });
/** `SharedRecordDetailsEnvelope` */
const SharedRecordDetailsEnvelope = /* @__PURE__ */ object({ share: list(SharedRecordDetail, 1) }, {}, true);
/** `AppliedStatus` */
const AppliedStatus = /* @__PURE__ */ object({ code: oneOf(["SUCCESS"]), details: object({}, {}, true), message: text(), status: oneOf(["success"]) }, {}, true);
/** `ShareAppliedEnvelope` */
const ShareAppliedEnvelope = /* @__PURE__ */ object({ share: list(AppliedStatus, 1, 20) }, {}, true);
/** `FieldReference` */
const FieldReference = /* @__PURE__ */ object({ api_name: text(), json_path: text() });
/** `ShareEntryDetails` */
const ShareEntryDetails = /* @__PURE__ */ object({}, { api_name: text(), json_path: text(), regex: text(), dependee: FieldReference, limit: count });
/** `ShareEntryResult` */
const ShareEntryResult = /* @__PURE__ */ object({ code: text(), details: ShareEntryDetails, message: text(), status: oneOf(["success", "error"]) });
/** `SharePartialResults` */
const SharePartialResults = /* @__PURE__ */ object({ share: list(ShareEntryResult, 2, 20) });
/** `RevokedStatus` */
const RevokedStatus = /* @__PURE__ */ object({ code: oneOf(["SUCCESS"]), details: object({ id: echo("record_id", RecordId) }, {}, true), message: text(), status: oneOf(["success"]) }, {}, true);
/** `RevokeSuccessEnvelope` */
const RevokeSuccessEnvelope = /* @__PURE__ */ object({ share: RevokedStatus }, {}, true);

/** `rerunDataSharingRules`: its 200 body (`RerunScheduledEnvelope`). */
export const RERUN_DATA_SHARING_RULES_SUCCESS: Success = { status: 200, shape: RerunScheduledEnvelope };
/** `getDataSharingRulesSummary`: its 200 body (`SharingRulesSummaryEnvelope`). */
export const GET_DATA_SHARING_RULES_SUMMARY_SUCCESS: Success = { status: 200, shape: SharingRulesSummaryEnvelope };
/** `getSharedRecordDetails`: its 200 body (`SharedRecordDetailsEnvelope`). */
export const GET_SHARED_RECORD_DETAILS_SUCCESS: Success = { status: 200, shape: SharedRecordDetailsEnvelope };
/** `updateRecordShares`: its 201 body (`ShareAppliedEnvelope`). */
export const UPDATE_RECORD_SHARES_SUCCESS: Success = { status: 201, shape: ShareAppliedEnvelope };
/** `shareRecord`: its 201 body (`ShareAppliedEnvelope`). */
export const SHARE_RECORD_SUCCESS: Success = { status: 201, shape: ShareAppliedEnvelope };
/** `revokeSharedRecord`: its 200 body (`RevokeSuccessEnvelope`), echoing the path's `record_id`. */
export const REVOKE_SHARED_RECORD_SUCCESS: Success = { status: 200, shape: RevokeSuccessEnvelope };
/** `updateRecordShares`: its 207 body (`SharePartialResults`), some entries applied. */
export const UPDATE_RECORD_SHARES_PARTIAL: Success = { status: 207, shape: SharePartialResults };
/** `shareRecord`: its 207 body (`SharePartialResults`), some entries applied. */
export const SHARE_RECORD_PARTIAL: Success = { status: 207, shape: SharePartialResults };
