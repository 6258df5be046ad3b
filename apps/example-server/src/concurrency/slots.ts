// Zoho's concurrency limit is per app per org, so every Zoho call (webhook jobs and /api alike) takes
// a slot first. One instance: the in-process Limiter (localSlots). Several instances on one Postgres:
// PgSlots (pg-slots.ts), the same limiter in front of N leases in a table that all instances share.
import { Limiter, type Priority } from './limiter.js';

export interface Slots {
  /** Most calls in flight at once (over every instance sharing the slots). */
  readonly max: number;
  /** Calls of this instance holding a slot. */
  readonly active: number;
  /** Calls of this instance waiting for one. */
  readonly waiting: number;
  /**
   * Resolves with a release function once a slot is held; rejects if `signal` aborts first. `lost`,
   * when given, is aborted if the slot can no longer be proven held (Postgres out of reach for most
   * of a lease): the call must then stop, before another instance may take the slot. Release with
   * `'unknown'` when the call was stopped before its answer came: the request may still be in Zoho's
   * hands, so the slot stays taken a little longer.
   */
  acquire(priority: Priority, signal?: AbortSignal, lost?: AbortController): Promise<Release>;
  close(): Promise<void>;
}
/** Frees a slot. `'unknown'`: the call was stopped without an answer (it may still be running in Zoho). */
export type Release = (outcome?: 'unknown') => void;

/** The in-process limiter as Slots (the embedded, one-instance setup). */
export function localSlots(max: number): Slots {
  const limiter = new Limiter(max);
  return {
    max,
    get active() {
      return limiter.active;
    },
    get waiting() {
      return limiter.waiting;
    },
    // In-process: a slot lives exactly as long as its call; it cannot be lost.
    acquire: (priority, signal) => limiter.acquire(priority, signal),
    close: async () => {},
  };
}
