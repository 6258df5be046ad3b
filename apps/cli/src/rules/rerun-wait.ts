// `rules rerun --wait`: poll the rule summary with backoff until the module's computation ends, a
// spinner whose elapsed time ticks on its own meanwhile. The wait is bounded (--wait-timeout-ms: each
// poll costs an API credit, and a server that says "computing" forever must not hold the CLI forever).
// Ctrl-C ends it at once (the poll in flight too: it is a read). Either way it says where it stopped:
// the module, the time waited, the last state.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZohoCrmClient } from '@zcrm-sharing/client';
import { MAX_POLL_MS } from '../commands/rules-rerun.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export interface WaitOptions {
  /** The first pause between polls. */
  pollMs: number;
  /** No poll is sent after this long; the wait then ends with EXIT.WAIT_TIMEOUT. */
  timeoutMs: number;
}

export async function waitForRerun(client: ZohoCrmClient, module: string, wait: WaitOptions, out: Output, stop: AbortSignal, now: () => number = Date.now): Promise<number> {
  const started = now();
  let delay = wait.pollMs;
  let last: { state: string; atMs: number } | undefined;
  const spin = out.spinner((elapsed) => `waiting for the rules of ${module} to finish computing... ${seconds(elapsed)}`);
  const whereStopped = () => `last known state: ${last ? `${last.state} at ${seconds(last.atMs)}` : 'scheduled, not polled yet'}`;
  const stopped = (type: 'rerun-interrupted' | 'rerun-wait-timeout', exitCode: number, said: string) => {
    spin.stop();
    out.record({ type, module, elapsedMs: now() - started, lastState: last?.state ?? 'scheduled', lastPolledMs: last?.atMs ?? null, exitCode });
    out.info(`${said}; ${whereStopped()}. The rerun goes on in Zoho: check it with \`zcrm-sharing rules status --module ${module}\``);
    return exitCode;
  };
  try {
    for (;;) {
      const left = wait.timeoutMs - (now() - started);
      if (left <= 0) return stopped('rerun-wait-timeout', EXIT.WAIT_TIMEOUT, `stopped waiting after ${seconds(now() - started)} (--wait-timeout-ms ${wait.timeoutMs}) for the rules of ${module}`);
      await sleep(Math.min(delay, left), undefined, { signal: stop });
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
    return stopped('rerun-interrupted', EXIT.INTERRUPTED, `interrupted after ${seconds(now() - started)} waiting for the rules of ${module}`);
  } finally {
    spin.stop();
  }
}
