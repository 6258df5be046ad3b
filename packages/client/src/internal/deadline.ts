// Deadlines: one attempt's timer linked to the caller's AbortSignal, and a wait raced against one.
// Private to the package (src/internal/): the operations and transports use it, users never see it.
import { AbortError, TimeoutError } from '../errors.js';

/** setTimeout fires at once for anything above this (a signed 32-bit count of ms: 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** One attempt's deadline, linked to the caller's signal. */
export interface Deadline {
  /** The time ran out (set by the deadline itself; read-only to everyone else). */
  readonly timedOut: boolean;
  /** Runs `cancel` (once) when the deadline passes, the caller aborts or the body is refused; at once if that already happened. */
  onCancel(cancel: (reason: unknown) => void): void;
  /** Drops the request and its connection now (a body past its cap must not keep streaming in). */
  drop(): void;
  /** The attempt is over: release the timer and the listener. */
  dispose(): void;
}

// One 'abort' listener per caller's signal, however many calls share it, fanned out to each call's
// deadline: a listener per call trips Node's MaxListenersExceededWarning past 10 calls in flight (Node
// 20 and 22), and AbortSignal.any keeps every combined signal alive as long as its source on Node 20.
// The one listener stays until the signal aborts (its set empties as calls end); weak keys: a signal
// nobody holds any more takes its entry with it.
const fanOuts = new WeakMap<AbortSignal, Set<Cancellable>>();

/** What the fan-out cancels: a deadline (an object, not a closure made per call). */
export interface Cancellable {
  cancel(reason: unknown): void;
}

/** Cancels `target` with the signal's reason when `signal` aborts, until `offAbort`. Adds at most one listener to `signal` in all. */
export function onAbort(signal: AbortSignal, target: Cancellable): void {
  let targets = fanOuts.get(signal);
  if (!targets) {
    const set = (targets = new Set());
    fanOuts.set(signal, set);
    signal.addEventListener('abort', () => set.forEach((t) => t.cancel(signal.reason)), { once: true });
  }
  targets.add(target);
}

/** Undoes `onAbort(signal, target)`. */
export const offAbort = (signal: AbortSignal, target: Cancellable): unknown => fanOuts.get(signal)?.delete(target);

/** A deadline, with what its timer and the fan-out call on it. */
interface AttemptDeadline extends Deadline, Cancellable {
  timedOut: boolean;
}

/**
 * A per-attempt deadline. Unlike `AbortSignal.timeout` + `AbortSignal.any`, it is released as soon as
 * the attempt ends (`dispose`), so a long run of calls does not keep every finished request alive
 * until its timer would have fired (measured: 322 MiB peak over 20,000 calls). It makes no
 * AbortController: a `fetch` transport makes one through `onCancel`, the direct one needs none.
 * `held`: the work it bounds keeps the process alive (a request on a socket), so the timer does not.
 */
export function attemptDeadline(timeoutMs: number, signal?: AbortSignal, held = false): Deadline {
  // Set once cancelled: every reason is an object (an AbortSignal's reason defaults to a DOMException).
  let reason: unknown;
  let hook: ((reason: unknown) => void) | undefined;
  // A plain property, not a getter: an object literal with an accessor costs more to make than the timer (per call).
  const deadline: AttemptDeadline = {
    timedOut: false,
    cancel(why) {
      if (reason !== undefined) return;
      reason = why;
      hook?.(why);
    },
    onCancel(fn) {
      hook = fn;
      if (reason !== undefined) fn(reason);
    },
    drop: () => deadline.cancel(new DOMException('response refused', 'AbortError')),
    dispose() {
      clearTimeout(timer);
      if (signal) offAbort(signal, deadline);
    },
  };
  const timer = setTimeout(() => {
    deadline.timedOut = true;
    deadline.cancel(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, Math.min(timeoutMs, MAX_TIMER_MS));
  // `held`: the request in flight keeps the process alive by itself (its socket), so the timer need not.
  // A timer that holds the process costs Node a ref-count toggle each way per call (about 2% of a local call).
  if (held) (timer as { unref?: () => void }).unref?.();
  if (signal?.aborted) deadline.cancel(signal.reason);
  else if (signal) onAbort(signal, deadline);
  return deadline;
}

/** An AbortSignal that aborts when `deadline` cancels (for `fetch`, and a provider's own signal). */
export function signalOf(deadline: Deadline): AbortSignal {
  const controller = new AbortController();
  deadline.onCancel((reason) => controller.abort(reason));
  return controller.signal;
}

/**
 * Resolves with `promise` unless `ms` passes first (TimeoutError). Rejects with AbortError when
 * `signal` aborts first; the promise's work goes on, only this wait ends.
 */
export function race<T>(promise: Promise<T>, ms: number, signal: AbortSignal | undefined, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline = attemptDeadline(ms, signal);
    const settle = (fn: () => void) => {
      deadline.dispose();
      fn();
    };
    deadline.onCancel(() =>
      settle(() => reject(deadline.timedOut ? new TimeoutError(`${what}: no answer within ${ms} ms`) : new AbortError(`${what} aborted`, { cause: signal!.reason }))),
    );
    promise.then(
      (v) => settle(() => resolve(v)),
      (e: unknown) => settle(() => reject(e)),
    );
  });
}

/** Resolves after `ms` (clamped to what a timer can hold); rejects with AbortError when `signal` aborts first. */
export function wait(ms: number, signal?: AbortSignal, what = 'wait'): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = attemptDeadline(Math.max(0, ms), signal);
    deadline.onCancel(() => {
      deadline.dispose();
      if (deadline.timedOut) resolve();
      else reject(new AbortError(`${what} aborted`, { cause: signal!.reason }));
    });
  });
}
