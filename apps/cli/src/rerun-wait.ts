// `rules rerun --wait`: poll the rule summary with backoff until the module's computation ends, a
// spinner whose elapsed time ticks on its own meanwhile. Ctrl-C ends the wait at once (the poll in
// flight too: it is a read) and says where it stopped: the module, the time waited, the last state.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZohoCrmClient } from '@zcrm-sharing/client';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';

/** Polls back off 1.5x per poll up to this. */
const MAX_POLL_MS = 5000;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export async function waitForRerun(client: ZohoCrmClient, module: string, pollMs: number, out: Output, stop: AbortSignal, now: () => number = Date.now): Promise<number> {
  const started = now();
  let delay = pollMs;
  let last: { state: string; atMs: number } | undefined;
  const spin = out.spinner((elapsed) => `waiting for the rules of ${module} to finish computing... ${seconds(elapsed)}`);
  try {
    for (;;) {
      await sleep(delay, undefined, { signal: stop });
      const s = await client.getDataSharingRulesSummary({ module }, { signal: stop });
      const elapsedMs = now() - started;
      if (!s || !s.rule_computation_status) {
        spin.stop(`${out.color.green('done')}: the data sharing rules of ${module} are computed (${seconds(elapsedMs)}${s ? `, ${s.rule_count} rules` : ', no rules'})`);
        out.record({ type: 'rerun-done', module, elapsedMs, ruleCount: s?.rule_count ?? 0 });
        return EXIT.OK;
      }
      last = { state: `computing (${s.rule_count} rules)`, atMs: elapsedMs };
      spin.update((elapsed) => `computing the rules of ${module} (${s.rule_count} rules)... ${seconds(elapsed)}`);
      delay = Math.min(delay * 1.5, MAX_POLL_MS);
    }
  } catch (e) {
    if (!stop.aborted) throw e;
    const elapsedMs = now() - started;
    spin.stop();
    out.record({ type: 'rerun-interrupted', module, elapsedMs, lastState: last?.state ?? 'scheduled', lastPolledMs: last?.atMs ?? null, exitCode: EXIT.INTERRUPTED });
    const state = last ? `${last.state} at ${seconds(last.atMs)}` : 'scheduled, not polled yet';
    out.info(
      `interrupted after ${seconds(elapsedMs)} waiting for the rules of ${module}; last known state: ${state}. ` +
        `The rerun goes on in Zoho: check it with \`zcrm-sharing rules status --module ${module}\``,
    );
    return EXIT.INTERRUPTED;
  } finally {
    spin.stop();
  }
}
