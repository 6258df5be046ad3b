// POST /settings/data_sharing/rules/actions/run?module= : schedule a rerun of a module's sharing rules.
import { SEND, type CallOptions, type ZohoCrmCore } from '../core.js';
import { SchedulerBusyError } from '../errors.js';
import type { Refine, ResponseFacts } from '../internal/response.js';
import type { RerunDataSharingRulesData, StatusObject } from '../generated/index.js';
import { EXAMPLE_RERUN_CANNOT_PROCESS as BUSY, RERUN_DATA_SHARING_RULES } from '../generated/zoho.js';
import { RERUN_DATA_SHARING_RULES_SUCCESS } from '../generated/success.js';
import { documented, type Checked } from '../shape.js';
import { validateModule } from '../validate.js';
import type { ModuleName } from '../validate.js';
import { statusObject, type SamePath } from './common.js';

// The generated constant's path is the generated types' (a type error otherwise).
type Path = SamePath<RerunDataSharingRulesData, typeof RERUN_DATA_SHARING_RULES.path>;

/** A scheduled rerun (Zoho's SCHEDULED status object), or a module without rules (Zoho's 204: nothing to rerun). */
export type RerunResult = (StatusObject & { outcome: 'scheduled' }) | { outcome: 'no_rules' };

/** 200 with exactly the spec's RerunScheduledEnvelope (one SCHEDULED, success), or 204: the module has no rules. */
function checkRerun(r: ResponseFacts): Checked<RerunResult> {
  if (r.status === 204) return { ok: true, value: { outcome: 'no_rules' } };
  const c = documented<{ sharing_rules: [StatusObject] }>(r, RERUN_DATA_SHARING_RULES_SUCCESS);
  return c.ok ? { ok: true, value: { ...statusObject(c.value.sharing_rules[0]), outcome: 'scheduled' } } : c;
}

/** CANNOT_PROCESS: a rerun of this module is still running. */
const schedulerBusy: Refine = (init) => (init.code === BUSY.code ? SchedulerBusyError : undefined);

/**
 * Schedules a rerun of the module's data sharing rules. Not idempotent: retried only where Zoho cannot
 * have processed it (429, a refused connection).
 */
export async function rerunDataSharingRules(zoho: ZohoCrmCore, input: { module: ModuleName }, options?: CallOptions): Promise<RerunResult> {
  const module = validateModule(input?.module);
  const { method, path, versions } = RERUN_DATA_SHARING_RULES;
  return zoho[SEND]({ operation: 'rerunDataSharingRules', method, path: `${path}?module=${encodeURIComponent(module)}`, versions, idempotent: false, accept: checkRerun, refine: schedulerBusy }, options);
}
