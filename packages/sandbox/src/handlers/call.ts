// What a handler gets, and the checks handlers share: parameters against the spec's schemas (the
// answer for a bad one is the example the spec names in `x-zoho-error-when-*`), the module of a rule
// call or of a record-sharing call, and the record. A check that fails throws the Reply to send.
import { hasScope, type Caller } from '../auth.js';
import type { SandboxConfig } from '../config.js';
import { Reply, fail } from '../reply.js';
import { parameter, type SpecOperation } from '../spec.js';
import type { ModuleInfo, SandboxState, StoredRecord } from '../state.js';

export interface ApiCall {
  op: SpecOperation;
  version: string;
  /** Percent-decoded path parameters (`undefined`: the segment could not be decoded). */
  params: Readonly<Record<string, string | undefined>>;
  query: URLSearchParams;
  /** The raw request body, when there was one. */
  body: string | undefined;
  caller: Caller;
}

export interface Context {
  state: SandboxState;
  config: SandboxConfig;
  /** The sandbox clock (ms since the epoch). */
  now: number;
}

/** A pure handler: the reply to one call, given (and changing) the state. Throws a Reply to stop early. */
export type Handler = (call: ApiCall, ctx: Context) => Reply;

/** A query parameter: `undefined` when absent and optional; the spec's example when missing or invalid. */
export function queryParam(call: ApiCall, ctx: Context, name: string): string | undefined {
  const p = parameter(call.op, name);
  const value = call.query.get(name);
  if (value === null || (value === '' && p.required)) {
    if (p.required) throw fail(call.op, p.whenMissing!);
    return undefined;
  }
  if (ctx.config.validateRequests && !p.validate(value)) throw fail(call.op, p.whenInvalid);
  return value;
}

/** A path parameter, or the spec's example when it cannot be decoded or does not fit its schema. */
export function pathParam(call: ApiCall, ctx: Context, name: string): string {
  const p = parameter(call.op, name);
  const value = call.params[name];
  if (value === undefined || (ctx.config.validateRequests && !p.validate(value))) throw fail(call.op, p.whenInvalid);
  return value;
}

/** The module of a rule call's `module` query parameter, when given; one the org lacks is invalid. */
export function ruleModule(call: ApiCall, ctx: Context): ModuleInfo | undefined {
  const name = queryParam(call, ctx, 'module');
  if (name === undefined) return undefined;
  const m = ctx.state.modules.get(name);
  if (!m || !m.supported) throw fail(call.op, parameter(call.op, 'module').whenInvalid);
  return m;
}

/**
 * The module of a record-sharing call, checked as Zoho does: a name that is no module is
 * INVALID_MODULE, an unsupported one `unsupported` ("not supported in API"), Events/Calls/Tasks/linking modules and a
 * token without the operation's scope for the module OAUTH_SCOPE_MISMATCH.
 */
export function shareModule(call: ApiCall, ctx: Context, unsupported = 'INVALID_MODULE_UNSUPPORTED'): ModuleInfo {
  const name = pathParam(call, ctx, 'module_api_name');
  const m = ctx.state.modules.get(name);
  if (!m) throw fail(call.op, parameter(call.op, 'module_api_name').whenInvalid);
  if (!m.supported) throw fail(call.op, unsupported);
  if (!m.shareable || !hasScope(call.caller, call.op, m.apiName)) throw fail(call.op, 'OAUTH_SCOPE_MISMATCH');
  return m;
}

/** The record of a record-sharing call: an invalid id, or one of no record of this module, is INVALID_DATA. */
export function shareRecordOf(call: ApiCall, ctx: Context, module: ModuleInfo): StoredRecord {
  const id = pathParam(call, ctx, 'record_id');
  const record = ctx.state.records.get(id);
  if (!record || record.module !== module.apiName) throw fail(call.op, parameter(call.op, 'record_id').whenInvalid);
  return record;
}
