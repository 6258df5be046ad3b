// GET /settings/data_sharing/rules/actions/summary[?module=] : rule counts and whether a computation runs.
import { SEND, type CallOptions, type ZohoCrmCore } from '../core.js';
import type { ResponseFacts } from '../internal/response.js';
import type { GetDataSharingRulesSummaryData, SharingRulesSummary } from '../generated/index.js';
import { GET_DATA_SHARING_RULES_SUMMARY } from '../generated/zoho.js';
import { GET_DATA_SHARING_RULES_SUMMARY_SUCCESS } from '../generated/success.js';
import { documented, refused, type Checked } from '../shape.js';
import type { SamePath } from './common.js';
import { validateModule } from '../validate.js';
import type { ModuleName } from '../validate.js';

// The generated constant's path is the generated types' (a type error otherwise).
type Path = SamePath<GetDataSharingRulesSummaryData, typeof GET_DATA_SHARING_RULES_SUMMARY.path>;

// Only the documented fields, so that nothing else the server sent rides along.
const entryOf = ({ module: m, rule_computation_status, rule_count }: SharingRulesSummary): SharingRulesSummary => ({
  module: { api_name: m.api_name, id: m.id },
  rule_computation_status,
  rule_count,
});

/** 200 with every module's entry, or 204: no module has rules (`[]`). */
function checkSummaries(r: ResponseFacts): Checked<SharingRulesSummary[]> {
  if (r.status === 204) return { ok: true, value: [] };
  const c = documented<{ sharing_rules_summary: SharingRulesSummary[] }>(r, GET_DATA_SHARING_RULES_SUMMARY_SUCCESS);
  return c.ok ? { ok: true, value: c.value.sharing_rules_summary.map(entryOf) } : c;
}

/** 200 with the requested module's entry, or 204: the module has no rules (`null`). */
function checkSummary(r: ResponseFacts, module: string): Checked<SharingRulesSummary | null> {
  if (r.status === 204) return { ok: true, value: null };
  const c = checkSummaries(r);
  if (!c.ok) return c;
  // Without regard to case, so that a caller's `leads` finds `Leads`; another module is still refused.
  const entry = c.value.find((s) => s.module.api_name.toLowerCase() === module.toLowerCase());
  return entry ? { ok: true, value: entry } : refused(`sharing_rules_summary has no entry for ${module}`);
}

/**
 * The module's rule count and whether a computation runs (`null` when it has no rules); without
 * `module`, every module's entry (`[]` when none has rules).
 */
export function getDataSharingRulesSummary(zoho: ZohoCrmCore, input: { module: ModuleName }, options?: CallOptions): Promise<SharingRulesSummary | null>;
export function getDataSharingRulesSummary(zoho: ZohoCrmCore, input?: { module?: undefined }, options?: CallOptions): Promise<SharingRulesSummary[]>;
export function getDataSharingRulesSummary(zoho: ZohoCrmCore, input?: { module?: ModuleName }, options?: CallOptions): Promise<SharingRulesSummary | SharingRulesSummary[] | null>;
export async function getDataSharingRulesSummary(zoho: ZohoCrmCore, input?: { module?: ModuleName }, options?: CallOptions): Promise<SharingRulesSummary | SharingRulesSummary[] | null> {
  const { method, path, versions } = GET_DATA_SHARING_RULES_SUMMARY;
  const call = { operation: 'getDataSharingRulesSummary', method, versions, idempotent: true } as const;
  if (input?.module === undefined) return zoho[SEND]({ ...call, path, accept: checkSummaries }, options);
  const module = validateModule(input.module);
  return zoho[SEND]({ ...call, path: `${path}?module=${encodeURIComponent(module)}`, accept: (r) => checkSummary(r, module) }, options);
}
