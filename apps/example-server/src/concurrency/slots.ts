// Zoho's concurrency limit is per app per org, so every Zoho call (webhook jobs and /api alike) takes
// a slot first. One instance: the in-process Limiter. Several instances on one Postgres: PgSlots,
// the same limiter in front of N session advisory locks that all instances share.
import pg from 'pg';
import { Limiter, type Priority } from './limiter.js';

export interface Slots {
  /** Most calls in flight at once (over every instance sharing the slots). */
  readonly max: number;
  /** Calls of this instance holding a slot. */
  readonly active: number;
  /** Calls of this instance waiting for one. */
  readonly waiting: number;
  /** Resolves with a release function once a slot is held; rejects if `signal` aborts first. */
  acquire(priority: Priority, signal?: AbortSignal): Promise<() => void>;
  close(): Promise<void>;
}

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
    acquire: (priority, signal) => limiter.acquire(priority, signal),
    close: async () => {},
  };
}

/** The first key of the slots' advisory locks ("zc"); the second is the slot number. */
export const SLOT_LOCK_KEY = 0x7a63;
const CHANNEL = 'zcrm_zoho_slot_free';
/** A slot freed by a crashed instance sends no notification: waiters also look again this often. */
const RECHECK_MS = 200;

const TRY_SLOT_FUNCTION = `
CREATE OR REPLACE FUNCTION zcrm_try_zoho_slot(k int, n int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  FOR s IN 0 .. n - 1 LOOP
    IF pg_try_advisory_lock(k, s) THEN RETURN s; END IF;
  END LOOP;
  RETURN NULL;
END $$`;

/**
 * N slots shared by every instance on one database: slot i is the session advisory lock
 * (SLOT_LOCK_KEY, i), held on its own connection for as long as the call runs. Postgres releases a
 * session's locks when its connection ends, so an instance that dies (SIGKILL included) frees its
 * slots at once: nothing to expire, no lease to guess. A release notifies the waiters of every instance.
 * All instances sharing a database must use the same `max` (REVOKE_CONCURRENCY); one database = one org.
 */
export class PgSlots implements Slots {
  readonly #local: Limiter;
  readonly #pool: pg.Pool;
  readonly #listener: pg.Client;
  readonly #wakers = new Set<() => void>();

  private constructor(
    readonly max: number,
    pool: pg.Pool,
    listener: pg.Client,
  ) {
    this.#local = new Limiter(max);
    this.#pool = pool;
    this.#listener = listener;
    listener.on('notification', () => this.#wake());
  }

  static async open(connectionString: string, max: number): Promise<PgSlots> {
    // One connection per slot this instance can hold; the slots hold them while calls run.
    const pool = new pg.Pool({ connectionString, max, application_name: 'zcrm-example-server slots' });
    const listener = new pg.Client({ connectionString, application_name: 'zcrm-example-server slot listener' });
    try {
      await listener.connect();
      await listener.query('BEGIN');
      await listener.query('SELECT pg_advisory_xact_lock($1)', [SLOT_LOCK_KEY]); // instances starting together
      await listener.query(TRY_SLOT_FUNCTION);
      await listener.query('COMMIT');
      await listener.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await listener.end().catch(() => undefined);
      await pool.end();
      throw err;
    }
    const slots = new PgSlots(max, pool, listener);
    // A broken connection is replaced on the next acquire; errors on idle ones must not crash the process.
    pool.on('error', () => undefined);
    listener.on('error', () => undefined);
    return slots;
  }

  get active(): number {
    return this.#local.active;
  }

  get waiting(): number {
    return this.#local.waiting;
  }

  async acquire(priority: Priority, signal?: AbortSignal): Promise<() => void> {
    const releaseLocal = await this.#local.acquire(priority, signal);
    let client: pg.PoolClient | undefined;
    try {
      client = await this.#pool.connect();
      for (;;) {
        signal?.throwIfAborted();
        const woken = this.#nextWake(signal);
        const { rows } = await client.query<{ slot: number | null }>('SELECT zcrm_try_zoho_slot($1, $2) AS slot', [SLOT_LOCK_KEY, this.max]);
        const slot = rows[0]?.slot;
        if (slot !== null && slot !== undefined) {
          woken.cancel();
          return this.#releaser(client, slot, releaseLocal);
        }
        await woken.promise;
      }
    } catch (err) {
      client?.release();
      releaseLocal();
      throw err;
    }
  }

  async close(): Promise<void> {
    for (const wake of this.#wakers) wake();
    await this.#listener.end().catch(() => undefined);
    await this.#pool.end();
  }

  #releaser(client: pg.PoolClient, slot: number, releaseLocal: () => void): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      client.query('SELECT pg_advisory_unlock($1, $2), pg_notify($3, $4)', [SLOT_LOCK_KEY, slot, CHANNEL, String(slot)]).then(
        () => client.release(),
        // Could not unlock: drop the connection, which releases the lock on the server side.
        (err: Error) => client.release(err),
      ).finally(releaseLocal);
    };
  }

  /** A promise for the next notification, the recheck interval, or the abort, whichever comes first. */
  #nextWake(signal?: AbortSignal): { promise: Promise<void>; cancel: () => void } {
    let done!: () => void;
    const promise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(), RECHECK_MS);
      const onAbort = () => {
        cleanup();
        reject(signal!.reason);
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        signal?.removeEventListener('abort', onAbort);
      };
      done = () => {
        cleanup();
        resolve();
      };
      this.#wakers.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    promise.catch(() => undefined);
    return { promise, cancel: () => done() };
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}
