// Rerun Data Sharing Rules and the rules summary: a rerun keeps its module busy (CANNOT_PROCESS)
// until its computation ends on the sandbox clock; the summary shows it running.
import { hasScope } from '../auth.js';
import { Reply, fail } from '../reply.js';
import { example } from '../spec.js';
import type { ModuleInfo } from '../state.js';
import { ruleModule, type ApiCall, type Context, type Handler } from './call.js';

function allowed(call: ApiCall): void {
  if (!hasScope(call.caller, call.op)) throw fail(call.op, 'OAUTH_SCOPE_MISMATCH');
  if (call.caller.profile === 'no-data-sharing-permission') throw fail(call.op, 'NO_PERMISSION');
}

const computing = (ctx: Context, m: ModuleInfo) => (ctx.state.reruns.get(m.apiName) ?? 0) > ctx.now;

export const rerunDataSharingRules: Handler = (call, ctx) => {
  const { stats } = ctx.state;
  stats.rerun.calls++;
  allowed(call);
  const m = ruleModule(call, ctx)!; // `module` is required here: missing throws REQUIRED_PARAM_MISSING
  if (computing(ctx, m)) {
    stats.rerun.busy++;
    return fail(call.op, 'CANNOT_PROCESS');
  }
  if (m.ruleCount === 0) {
    stats.rerun.noRules++;
    return new Reply(204, undefined);
  }
  ctx.state.reruns.set(m.apiName, ctx.now + ctx.config.rerunDurationMs);
  ctx.state.onChange();
  stats.rerun.scheduled++;
  return new Reply(200, example(call.op, 'SCHEDULED').body);
};

export const getDataSharingRulesSummary: Handler = (call, ctx) => {
  ctx.state.stats.summary.calls++;
  allowed(call);
  const one = ruleModule(call, ctx);
  const modules = one ? [one] : [...ctx.state.modules.values()].filter((m) => m.supported);
  const summary = modules
    .filter((m) => m.ruleCount > 0)
    .map((m) => ({ module: { api_name: m.apiName, id: m.id }, rule_computation_status: computing(ctx, m), rule_count: m.ruleCount }));
  if (summary.length === 0) return new Reply(204, undefined);
  return new Reply(200, { sharing_rules_summary: summary });
};
