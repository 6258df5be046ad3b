// The Zoho call slots shared by every instance on one Postgres: leases in a table, taken, renewed and
// freed in single statements, so that no connection is held during a call and a lost one frees nothing.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { StoreUnavailableError } from '../queue/unavailable.js';
import { Limiter, type Priority } from './limiter.js';
import type { Release, Slots } from './slots.js';

/** A slot's lease (ms) unless renewed. A dead instance's slots are free again after at most this, or the hold if longer. */
export const DEFAULT_LEASE_MS = 10_000;
/** Serialises the taking of slots and the slots' migration ("zc"). */
const SLOT_LOCK_KEY = 0x7a63;
const TABLE = 'zcrm_zoho_slot_leases';
const CHANNEL = 'zcrm_zoho_slot_free';
/** A lease freed by expiry sends no notification: waiters also look again this often. */
const RECHECK_MS = 200;

export interface LeaseOptions {
  /** How long a lease lasts unless renewed (ms). Default DEFAULT_LEASE_MS. A dead instance's slots are free again after at most this, or the hold if longer. */
  leaseMs?: number;
  /**
   * The least a lease lasts from its take (ms): the call's deadline (CALL_DEADLINE_SECONDS), so that a
   * call whose outcome is unknown (its instance died, or it was stopped) keeps its slot until its
   * request can no longer be in Zoho's hands. Renewals never shorten it. Default 0 (the lease alone).
   */
  holdMs?: number;
  /**
   * How long before the lease's end (as last renewed) a call that could not renew it is stopped (ms).
   * It covers a stopped call still reaching Zoho and the timers' slack. Default 2 s.
   */
  marginMs?: number;
  /** Told about a Postgres error the slots recovered from (the listener's, a renewal's, a release's). */
  onError?: (err: Error) => void;
}

const MIGRATION = [
  `CREATE TABLE IF NOT EXISTS ${TABLE} (slot int PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL)`,
  // One statement takes a slot: the lowest whose lease has ended, under a transaction lock so that two
  // instances never pick the same one. The server's clock alone decides expiry (clock_timestamp: the
  // lock wait counts).
  `CREATE OR REPLACE FUNCTION zcrm_take_zoho_slot(n int, who text, lease_ms int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE s int;
BEGIN
  PERFORM pg_advisory_xact_lock(${SLOT_LOCK_KEY});
  SELECT g INTO s FROM generate_series(0, n - 1) g
   WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} l WHERE l.slot = g AND l.expires_at > clock_timestamp())
   ORDER BY g LIMIT 1;
  IF s IS NULL THEN RETURN NULL; END IF;
  INSERT INTO ${TABLE} (slot, holder, expires_at) VALUES (s, who, clock_timestamp() + lease_ms * interval '1 millisecond')
    ON CONFLICT (slot) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at;
  RETURN s;
END $$`,
];
const TAKE = 'SELECT zcrm_take_zoho_slot($1, $2, $3) AS slot';
// A renewal extends a lease, never shortens it (the hold set at the take may reach further).
const RENEW = `UPDATE ${TABLE} SET expires_at = greatest(expires_at, clock_timestamp() + $2 * interval '1 millisecond') WHERE holder = ANY($1::text[]) AND expires_at > clock_timestamp() RETURNING holder`;
const FREE = `WITH freed AS (DELETE FROM ${TABLE} WHERE holder = ANY($1::text[]) RETURNING slot) SELECT pg_notify('${CHANNEL}', count(*)::text) FROM freed`;

interface Held {
  /** performance.now() until which the lease is proven: the take's send time + max(lease, hold), or the last renewal's + lease, less the margin. */
  provenUntil: number;
  timer: NodeJS.Timeout;
  lost?: AbortController | undefined;
}

/**
 * N slots shared by every instance on one database: slot i is a row in `zcrm_zoho_slot_leases`, taken
 * for max(lease (10 s), hold (the call's deadline)) in one short statement, renewed while the call runs
 * (every lease / 3, never shortening it), deleted when its outcome is known. No connection is held
 * during a call, so a lost connection loses nothing: the lease outlives it, and a call that cannot
 * renew its lease is stopped (`lost`) before the lease can end. A dead instance's slots, and those of
 * calls stopped before their answer, come back when their leases end: not before the hold has passed.
 * A release notifies the waiters of every instance; a release Postgres did not take is sent again
 * until it is, or the lease ends.
 * All instances sharing a database must use the same `max` (REVOKE_CONCURRENCY); one database = one org.
 */
export class PgSlots implements Slots {
  readonly #local: Limiter;
  readonly #pool: pg.Pool;
  readonly #leaseMs: number;
  readonly #holdMs: number;
  readonly #marginMs: number;
  readonly #onError: (err: Error) => void;
  readonly #held = new Map<string, Held>();
  /** Released holders whose lease row Postgres has not deleted yet. */
  readonly #unfreed = new Set<string>();
  readonly #wakers = new Set<() => void>();
  /** Held for the margin after a call stopped without its answer: never freed early, even by close(). */
  readonly #lingering = new Set<string>();
  #listener: pg.Client | undefined;
  #listenerRetryMs = RECHECK_MS;
  #listenerStarted = false;
  #renewTimer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    readonly max: number,
    readonly connectionString: string,
    pool: pg.Pool,
    options: LeaseOptions,
  ) {
    this.#local = new Limiter(max);
    this.#pool = pool;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#holdMs = options.holdMs ?? 0;
    this.#marginMs = options.marginMs ?? 2_000;
    if (!(this.#holdMs >= 0)) throw new TypeError(`slots: the hold (${this.#holdMs} ms) must be 0 or more`);
    if (!(this.#marginMs > 0 && this.#leaseMs > 3 * this.#marginMs)) throw new TypeError(`slots: the lease (${this.#leaseMs} ms) must exceed three margins (${this.#marginMs} ms)`);
    this.#onError = options.onError ?? (() => undefined);
  }

  static async open(connectionString: string, max: number, options: LeaseOptions = {}): Promise<PgSlots> {
    // Statements are short and never hold a connection across a Zoho call: a small pool serves all.
    const pool = new pg.Pool({ connectionString, max: 3, application_name: 'zcrm-example-server slots' });
    pool.on('error', () => undefined); // an idle connection's error; the next query reports it
    const slots = new PgSlots(max, connectionString, pool, options);
    try {
      const client = await pool.connect();
      client.on('error', () => undefined); // a connection lost meanwhile: the statement in flight rejects
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [SLOT_LOCK_KEY]); // instances starting together
        for (const statement of MIGRATION) await client.query(statement);
        await client.query('COMMIT');
      } finally {
        client.release(true);
      }
      await slots.#listen();
    } catch (err) {
      await slots.close().catch(() => undefined);
      throw err;
    }
    return slots;
  }

  get active(): number {
    return this.#local.active;
  }

  get waiting(): number {
    return this.#local.waiting;
  }

  async acquire(priority: Priority, signal?: AbortSignal, lost?: AbortController): Promise<Release> {
    const releaseLocal = await this.#local.acquire(priority, signal);
    let holder = randomUUID();
    try {
      for (let failures = 0; ; ) {
        signal?.throwIfAborted();
        const woken = this.#nextWake(signal, failures ? Math.min(RECHECK_MS * 2 ** failures, 5_000) : RECHECK_MS);
        const sent = performance.now();
        let slot: number | null | undefined;
        try {
          slot = (await this.#pool.query<{ slot: number | null }>(TAKE, [this.max, holder, Math.max(this.#leaseMs, this.#holdMs)])).rows[0]?.slot;
          failures = 0;
        } catch (err) {
          // Postgres out of reach. Had the statement taken a slot before its answer was lost, that
          // lease is deleted once Postgres is back (or ends by itself); the next try is a new holder.
          // A person waiting (`high`) is answered at once; a job waits (longer each time) and asks again.
          this.#onError(err as Error);
          this.#unfreed.add(holder);
          this.#scheduleRenewal();
          holder = randomUUID();
          if (priority === 'high') throw new StoreUnavailableError('the Zoho call slots are out of reach (Postgres)', { cause: err });
          failures++;
        }
        if (slot !== null && slot !== undefined) {
          woken.cancel();
          return this.#hold(holder, sent, lost, releaseLocal);
        }
        await woken.promise;
      }
    } catch (err) {
      releaseLocal();
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const wake of this.#wakers) wake();
    clearTimeout(this.#renewTimer);
    for (const [holder, held] of this.#held) {
      clearTimeout(held.timer);
      // A stopped call's lease runs out by itself (a lease, or the hold if longer): the request may still be in Zoho's hands.
      if (!this.#lingering.has(holder)) this.#unfreed.add(holder);
    }
    this.#held.clear();
    if (this.#unfreed.size) await this.#pool.query(FREE, [[...this.#unfreed]]).catch(() => undefined); // else they expire
    await this.#listener?.end().catch(() => undefined);
    await this.#pool.end();
  }

  #hold(holder: string, sent: number, lost: AbortController | undefined, releaseLocal: () => void): Release {
    const held: Held = { provenUntil: 0, timer: setTimeout(() => undefined, 0), lost };
    this.#held.set(holder, held);
    // The take's lease reaches max(lease, hold) past `sent`: proven as a renewal sent that much later.
    this.#proven(holder, held, sent + Math.max(0, this.#holdMs - this.#leaseMs));
    this.#scheduleRenewal();
    let released = false;
    const free = (row: 'delete' | 'run out') => {
      this.#lingering.delete(holder);
      if (this.#closed) return; // close() left the lease to run out
      clearTimeout(held.timer);
      this.#held.delete(holder);
      if (row === 'delete') this.#unfreed.add(holder);
      releaseLocal();
      this.#wake(); // this instance's waiters need no notification
      if (row === 'delete') void this.#free();
    };
    return (outcome) => {
      if (released) return;
      released = true;
      // A stopped call's request may still be in Zoho's hands until its deadline: its lease row, held
      // that long from its take, runs out by itself (only this instance's count is freed now). With no
      // hold beyond the lease, the slot (lease renewed meanwhile, lost timer armed) stays taken for the
      // margin, which covers the request's last moments.
      if (outcome !== 'unknown') free('delete');
      else if (this.#holdMs > this.#leaseMs) free('run out');
      else {
        this.#lingering.add(holder);
        setTimeout(() => free('delete'), this.#marginMs).unref();
      }
    };
  }

  /** The lease was taken or renewed by a statement sent at `sent`: the call may go on until then + lease - margin (a renewal never shortens it). */
  #proven(holder: string, held: Held, sent: number): void {
    held.provenUntil = Math.max(held.provenUntil, sent + this.#leaseMs - this.#marginMs);
    clearTimeout(held.timer);
    held.timer = setTimeout(() => {
      if (this.#held.get(holder) !== held) return;
      held.lost?.abort(new SlotLostError(`the Zoho slot's lease could not be renewed (Postgres out of reach) within ${this.#marginMs} ms of its end: the call is stopped before the slot can be taken again`));
    }, Math.max(0, held.provenUntil - performance.now()));
  }

  #scheduleRenewal(): void {
    if (this.#renewTimer || this.#closed) return;
    this.#renewTimer = setTimeout(() => {
      this.#renewTimer = undefined;
      void this.#renew().finally(() => {
        if (this.#held.size || this.#unfreed.size) this.#scheduleRenewal();
      });
    }, Math.floor(this.#leaseMs / 3));
  }

  async #renew(): Promise<void> {
    await this.#free();
    if (!this.#held.size) return;
    const holders = [...this.#held.keys()];
    const sent = performance.now();
    try {
      const { rows } = await this.#pool.query<{ holder: string }>(RENEW, [holders, this.#leaseMs]);
      for (const { holder } of rows) {
        const held = this.#held.get(holder);
        if (held) this.#proven(holder, held, sent);
      }
    } catch (err) {
      this.#onError(err as Error); // the leases run on; their timers stop the calls in time
    }
  }

  /** Deletes the released leases; those Postgres did not take are tried again at the next renewal. */
  async #free(): Promise<void> {
    if (!this.#unfreed.size) return;
    const holders = [...this.#unfreed];
    try {
      await this.#pool.query(FREE, [holders]);
      for (const h of holders) this.#unfreed.delete(h);
    } catch (err) {
      this.#onError(err as Error);
      this.#scheduleRenewal();
    }
  }

  /** LISTEN on a connection of its own, connected again (with backoff) whenever it breaks. */
  async #listen(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'zcrm-example-server slot listener' });
    let broken = false;
    const reconnect = (err?: Error) => {
      if (broken) return;
      broken = true;
      if (err) this.#onError(err);
      client.end().catch(() => undefined);
      if (this.#closed) return;
      const wait = this.#listenerRetryMs;
      this.#listenerRetryMs = Math.min(wait * 2, 5_000);
      setTimeout(() => void this.#listen().catch((e: Error) => this.#onError(e)), wait).unref();
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect());
    client.on('notification', () => this.#wake());
    this.#listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.#listenerRetryMs = RECHECK_MS;
    } catch (err) {
      if (this.#closed) return;
      reconnect(err as Error);
      // The first connection is part of opening: its failure is the caller's.
      if (!this.#listenerStarted) throw err;
    } finally {
      this.#listenerStarted = true;
    }
  }

  /** A promise for the next notification, `ms`, or the abort, whichever comes first. */
  #nextWake(signal: AbortSignal | undefined, ms: number): { promise: Promise<void>; cancel: () => void } {
    let done!: () => void;
    const promise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(), ms);
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

/** A slot's lease could not be renewed in time: its call was stopped, and goes back to the queue. */
class SlotLostError extends Error {
  override name = 'SlotLostError';
}
