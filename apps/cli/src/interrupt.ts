/** How long calls in flight may finish after the first Ctrl-C before they are cancelled. */
export const GRACE_MS = 1000;

/** Schedules `fn` after `ms`; returns a cancel. Injected in tests, so the grace period is not measured by a clock. */
export type Schedule = (fn: () => void, ms: number) => () => void;

const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

export interface Interrupt {
  /** Aborted on the first Ctrl-C (SIGINT or SIGTERM): every wait ends, no new call starts. */
  readonly stop: AbortSignal;
  /** Aborted `graceMs` later, or on a second Ctrl-C: calls still in flight are cancelled (and not journalled). */
  readonly cancel: AbortSignal;
  interrupt(): void;
  /** Stops listening for signals and drops a pending grace timer. */
  dispose(): void;
}

/**
 * The CLI's one Ctrl-C policy. `listen` installs it on SIGINT and SIGTERM (tests call interrupt()).
 * `onFirst` tells the user what happens next.
 */
export function createInterrupt(options: { graceMs?: number; schedule?: Schedule; listen?: boolean; onFirst?: (graceMs: number) => void } = {}): Interrupt {
  const graceMs = options.graceMs ?? GRACE_MS;
  const schedule = options.schedule ?? realSchedule;
  const stop = new AbortController();
  const cancel = new AbortController();
  let cancelTimer: (() => void) | undefined;
  const interrupt = () => {
    if (stop.signal.aborted) return cancel.abort(new Error('interrupted twice'));
    stop.abort(new Error('interrupted'));
    options.onFirst?.(graceMs);
    cancelTimer = schedule(() => cancel.abort(new Error(`interrupted: calls still in flight after ${graceMs} ms`)), graceMs);
  };
  if (options.listen) {
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);
  }
  return {
    stop: stop.signal,
    cancel: cancel.signal,
    interrupt,
    dispose() {
      cancelTimer?.();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    },
  };
}
