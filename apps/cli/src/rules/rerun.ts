// `rules rerun`: schedule the recomputation of a module's data sharing rules; with --wait, wait for it.
import { SchedulerBusyError, type OperationName } from '@zcrm-sharing/client';
import rulesRerun from '../commands/rules-rerun.js';
import type { RunContext } from '../commands/command.js';
import { withClient } from '../connection.js';
import { EXIT } from '../exit-codes.js';
import { int, requireModule } from '../option-values.js';
import { waitForRerun } from './rerun-wait.js';

export async function rerun({ values, out, interrupt, onInterrupt }: RunContext): Promise<number> {
  const module = requireModule(values);
  // Every option checked before anything is sent or started (the embedded sandbox included).
  const wait = { pollMs: int(values, 'poll-interval-ms', rulesRerun.options), timeoutMs: int(values, 'wait-timeout-ms', rulesRerun.options) };
  // What the calls are, for the hints: the wait's polls are another operation, with other scopes.
  const what: { operation: OperationName; module: string } = { operation: 'rerunDataSharingRules', module };
  return withClient(values, out, interrupt, what, async (client) => {
    try {
      const r = await client.rerunDataSharingRules({ module }, { signal: interrupt.cancel });
      if (r.outcome === 'no_rules') {
        out.record({ type: 'rerun', module, outcome: r.outcome });
        out.info(`nothing to rerun: ${module} has no data sharing rules (Zoho answered 204)`);
        return EXIT.OK;
      }
      out.record({ type: 'rerun', module, outcome: r.outcome, code: r.code });
      out.info(`${out.color.green('scheduled')}: rerun of the data sharing rules of ${module}`);
    } catch (e) {
      if (e instanceof SchedulerBusyError) {
        out.record({ type: 'rerun', module, code: e.code, busy: true, exitCode: EXIT.BUSY });
        out.info(`${out.color.yellow('busy')}: a rerun is already running for ${module}; try again when \`zcrm-sharing rules status --module ${module}\` says it is done`);
        return EXIT.BUSY;
      }
      throw e;
    }
    if (!values.wait) return EXIT.OK;
    // The wait says itself where it stopped on Ctrl-C: the generic note about calls in flight does not apply.
    onInterrupt(() => {});
    what.operation = 'getDataSharingRulesSummary';
    return await waitForRerun(client, module, wait, out, interrupt.stop);
  });
}
