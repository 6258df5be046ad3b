// `rules status`: whether a module's data sharing rules are being computed.
import type { RunContext } from '../commands/command.js';
import { withClient } from '../connection.js';
import { EXIT } from '../exit-codes.js';
import { requireModule } from '../option-values.js';

export async function status({ values, out, interrupt }: RunContext): Promise<number> {
  const module = requireModule(values);
  return withClient(values, out, interrupt, { operation: 'getDataSharingRulesSummary', module }, async (client) => {
    const s = await client.getDataSharingRulesSummary({ module }, { signal: interrupt.cancel });
    out.record({ type: 'status', module, computing: s?.rule_computation_status ?? false, ruleCount: s?.rule_count ?? 0 });
    if (!s) out.info(`${module}: no data sharing rules`);
    else out.info(`${module}: ${s.rule_count} rules, ${s.rule_computation_status ? out.color.yellow('computing') : out.color.green('idle')}`);
    if (!out.json) process.stdout.write(`${s?.rule_computation_status ? 'computing' : 'idle'}\n`);
    return EXIT.OK;
  });
}
