export type Priority = 'high' | 'low';

/**
 * Runs `fn` holding a slot of `slots` (the Limiter, or Slots over it), released however `fn` ends.
 * `fn` gets the signal aborted if the slot is lost (Slots over Postgres): its call must stop then.
 */
export async function withSlot<T>(
  slots: { acquire(priority: Priority, signal?: AbortSignal, lost?: AbortController): Promise<(outcome?: 'unknown') => void> },
  priority: Priority,
  fn: (lost: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const lost = new AbortController();
  const release = await slots.acquire(priority, signal, lost);
  let stopped = false;
  try {
    return await fn(lost.signal);
  } catch (err) {
    stopped = lost.signal.aborted || signal?.aborted === true; // stopped before an answer came
    throw err;
  } finally {
    release(stopped ? 'unknown' : undefined);
  }
}

interface Waiter {
  grant: () => void;
  cancel: (reason: unknown) => void;
}

/**
 * Caps the Zoho calls in flight. Zoho limits concurrent calls per app per org (Free edition: 5), so
 * every call this server makes goes through one limiter. `high` (a person waiting on the admin API)
 * is served before `low` (queued webhook jobs); within a priority, first come first served.
 */
export class Limiter {
  #active = 0;
  readonly #queues: Record<Priority, Waiter[]> = { high: [], low: [] };

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`concurrency: expected a whole number >= 1, got ${max}`);
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#queues.high.length + this.#queues.low.length;
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(priority: Priority, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.max) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const queue = this.#queues[priority];
      const onAbort = () => waiter.cancel(signal!.reason);
      const waiter: Waiter = {
        // The releasing holder hands its slot over: #active does not change.
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
        cancel: (reason) => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(reason);
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  run<T>(priority: Priority, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withSlot(this, priority, fn, signal);
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queues.high.shift() ?? this.#queues.low.shift();
      if (next) next.grant();
      else this.#active--;
    };
  }
}
