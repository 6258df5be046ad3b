// The shared webhook queue for several instances: the job rows (job-records.ts, the same SQL as the
// embedded store) in Postgres, dispatched by pg-boss. pg-boss claims each job for one instance (SKIP
// LOCKED), heartbeats it while it runs, and hands a dead instance's jobs to a live one; a job's row
// and its pg-boss entry are inserted in one transaction. The Zoho concurrency cap is held across the
// instances by PgSlots (concurrency/pg-slots.ts), which the /api calls take as well.
import pg from 'pg';
import { PgBoss, type Job as BossJob } from 'pg-boss';
import { AbortError } from '@zcrm-sharing/client';
import type { QueueDeps } from './deps.js';
import { JobRecords } from './records.js';
import { runJob, type Job, type JobError } from './jobs.js';
import { pgSql, type Sql } from './sql.js';
import { StoreQueue } from './store-queue.js';
import { whileUnavailable } from './unavailable.js';
import { DEFAULT_LEASE_MS } from '../concurrency/pg-slots.js';

export const QUEUE_NAME = 'zcrm-revoke-sharing';
/** Jobs pg-boss gave up on (retries exhausted): their rows are marked failed, so the record takes deliveries again. */
export const DEAD_LETTER_QUEUE = 'zcrm-revoke-sharing-dead';
const MIGRATION_LOCK = 0x7a6d; // "zm": instances starting together create the table once

/**
 * How fast a dead instance's jobs go to a live one. pg-boss fails a job whose heartbeat is older than
 * `heartbeatSeconds` (10 s, its minimum; refreshed every 5 s) in its monitor pass, which runs every
 * max(monitorIntervalSeconds, superviseIntervalSeconds) (pg-boss's default monitor interval is 60 s:
 * hand-over took about 71 s); the failed job is retried after `retryDelaySeconds` and fetched within
 * `pollingIntervalSeconds`. Its call then waits for a slot: the dead instance's come back when their
 * leases end (deadSlotsBoundMs), not before its calls' deadlines have passed.
 */
export const HANDOVER = { heartbeatSeconds: 10, monitorIntervalSeconds: 2, superviseIntervalSeconds: 2, retryDelaySeconds: 1, pollingIntervalSeconds: 0.5 } as const;

/** The longest a dead instance's job waits before a live instance takes it again (ms): the README's figure. */
export function handoverBoundMs(h: { [K in keyof typeof HANDOVER]: number } = HANDOVER): number {
  const pass = Math.max(h.monitorIntervalSeconds, h.superviseIntervalSeconds);
  // + 1 s for the statements themselves and the timers' slack.
  return (h.heartbeatSeconds + pass + h.retryDelaySeconds + h.pollingIntervalSeconds) * 1000 + 1_000;
}

/**
 * The longest a dead instance's Zoho slots stay taken after its death (ms): each lease lasts the
 * call's deadline from its take (before the death) and a lease past its last renewal, whichever ends
 * later. Its jobs' calls wait for them: all done within max(handoverBoundMs(), this) plus the work.
 */
export function deadSlotsBoundMs(callDeadlineMs: number, leaseMs = DEFAULT_LEASE_MS): number {
  return Math.max(callDeadlineMs, leaseMs) + 1_000; // + 1 s for the statements and the timers' slack
}

export interface PgQueueOptions {
  /** Jobs this instance works on at once (its share of the cap; the slots hold the cap itself). */
  concurrency: number;
  /**
   * How long a running job may go without a heartbeat before pg-boss hands it to another instance
   * (seconds, at least 10), and how often pg-boss looks (seconds, at least 1). Defaults: HANDOVER.
   */
  heartbeatSeconds?: number;
  superviseIntervalSeconds?: number;
  monitorIntervalSeconds?: number;
  /** pg-boss's polling interval for new jobs (seconds, at least 0.5). */
  pollingIntervalSeconds?: number;
  onBossError?: (err: Error) => void;
}

interface Payload {
  jobId: string;
}

export class PgBossQueue extends StoreQueue {
  readonly kind = 'postgres';
  readonly location = 'postgres';
  readonly #boss: PgBoss;
  readonly #pool: pg.Pool;
  /** Starts this instance's worker on the queue (again after a pause). */
  #work: () => Promise<unknown> = async () => undefined;

  private constructor(boss: PgBoss, pool: pg.Pool, deps: QueueDeps) {
    super(new JobRecords(pgSql(pool), deps.records), deps);
    this.#boss = boss;
    this.#pool = pool;
  }

  static async open(connectionString: string, deps: QueueDeps, options: PgQueueOptions): Promise<PgBossQueue> {
    const pool = new pg.Pool({ connectionString, max: 10, application_name: 'zcrm-example-server' });
    pool.on('error', () => undefined); // an idle connection's error; the next query reports it
    const heartbeatSeconds = options.heartbeatSeconds ?? HANDOVER.heartbeatSeconds;
    const boss = new PgBoss({
      connectionString,
      application_name: 'zcrm-example-server pg-boss',
      superviseIntervalSeconds: options.superviseIntervalSeconds ?? HANDOVER.superviseIntervalSeconds,
      monitorIntervalSeconds: options.monitorIntervalSeconds ?? HANDOVER.monitorIntervalSeconds,
    });
    boss.on('error', (err: Error) => options.onBossError?.(err));
    const queue = new PgBossQueue(boss, pool, deps);
    try {
      await queue.records.sql.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await queue.records.migrate(tx);
      });
      await boss.start();
      await ensureQueue(boss, DEAD_LETTER_QUEUE, {});
      // retryLimit bounds the times a job is handed over after a dead instance or a shutdown past the
      // grace period; runJob stops a job interrupted MAX_INTERRUPTIONS times before that.
      await ensureQueue(boss, QUEUE_NAME, { retryLimit: 20, retryDelay: HANDOVER.retryDelaySeconds, heartbeatSeconds, deadLetter: DEAD_LETTER_QUEUE, deleteAfterSeconds: 7 * 24 * 3600 });
      const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? HANDOVER.pollingIntervalSeconds };
      queue.#work = () => boss.work<Payload>(QUEUE_NAME, { ...polling, localConcurrency: options.concurrency, batchSize: 1 }, ([job]) => queue.#handle(job!));
      await queue.#work();
      await boss.work<Payload>(DEAD_LETTER_QUEUE, polling, async ([job]) => {
        await queue.records.abandon(job!.data.jobId, { type: 'interrupted', message: 'handed to another instance too many times; not tried again (deliver it again to retry)' });
      });
    } catch (err) {
      await boss.stop({ graceful: false, close: true }).catch(() => undefined);
      await pool.end();
      throw err;
    }
    return queue;
  }

  /** The row and its pg-boss job commit together: a 202 always has both. */
  protected override async inserted(tx: Sql, job: Job): Promise<void> {
    await this.#boss.send(QUEUE_NAME, { jobId: job.id } satisfies Payload, { db: bossDb(tx) });
  }

  /** The retry and its pg-boss entry (due at `at`) commit together. */
  protected override async retryLater(job: Job, at: number, error: JobError): Promise<void> {
    await this.records.sql.transaction(async (tx) => {
      await this.records.retryLater(job.id, at, error, tx);
      await this.#boss.send(QUEUE_NAME, { jobId: job.id } satisfies Payload, { db: bossDb(tx), startAfter: new Date(at) });
    });
  }

  /** Paused: the row goes back to queued, uncounted, with a new pg-boss entry (another instance, or this one after the resume, takes it). */
  protected override async unclaim(job: Job, error: JobError): Promise<void> {
    await this.records.sql.transaction(async (tx) => {
      await this.records.unclaim(job.id, error, tx);
      await this.#boss.send(QUEUE_NAME, { jobId: job.id } satisfies Payload, { db: bossDb(tx) });
    });
  }

  /** Paused: this instance's worker stops taking jobs; resumed: it starts again. */
  protected override pausedChanged(): void {
    const change = this.paused ? this.#boss.offWork(QUEUE_NAME, { wait: false }) : this.#work();
    change.catch((err: unknown) => this.deps.onError?.(err));
  }

  /** Other instances may be working too: this looks at the shared rows until none is pending. */
  async idle(): Promise<void> {
    for (;;) {
      const { queued, running } = await this.counts();
      if (queued + running === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(graceMs: number): Promise<{ queued: number; running: number }> {
    if (this.closed) return { queued: 0, running: 0 };
    const cancelAbort = this.beginClose(graceMs);
    try {
      await this.#boss.stop({ graceful: true, timeout: graceMs * 2, close: true });
      return await this.counts();
    } finally {
      cancelAbort();
      await this.#pool.end();
    }
  }

  async #handle(bossJob: BossJob<Payload>): Promise<void> {
    // Thrown, the job goes back to pg-boss, which retries it (here or on another instance).
    const lost = new AbortController();
    const release = await this.deps.slots.acquire('low', AbortSignal.any([this.stopStarting.signal, bossJob.signal]), lost);
    // The call stops at shutdown's end, when pg-boss gives the job up, or when the slot's lease is lost.
    const signal = AbortSignal.any([this.stopInFlight.signal, bossJob.signal, lost.signal]);
    let stopped = false;
    try {
      const started = await this.records.start(bossJob.data.jobId);
      if (!started) return; // finished already (an instance died between finishing it and telling pg-boss)
      const { job, resumed } = started;
      if (resumed) this.counters.resumed++;
      const result = await runJob(job, this.deps.revoke, signal);
      stopped = signal.aborted; // the call was stopped: its request may still be in Zoho's hands
      // Zoho answered: record it once Postgres is back rather than call again after a hand-over. Up
      // to the heartbeat's length: past it, pg-boss hands the job over anyway.
      if ((await whileUnavailable(() => this.settle(job, result), HANDOVER.heartbeatSeconds * 1000)) === 'requeued' && result.status === 'requeue') {
        throw new AbortError('the call was stopped (shutdown, or its Zoho slot lost): the job goes back to the queue');
      }
    } finally {
      release(stopped ? 'unknown' : undefined);
    }
  }
}

/** pg-boss statements on our transaction (its `db` option). */
function bossDb(tx: Sql) {
  return { executeSql: async (text: string, values?: unknown[]) => ({ rows: await tx.query(text, values as never) }) };
}

async function ensureQueue(boss: PgBoss, name: string, options: Parameters<PgBoss['createQueue']>[1]): Promise<void> {
  if (await boss.getQueue(name)) return;
  try {
    await boss.createQueue(name, options);
  } catch (err) {
    if (!(await boss.getQueue(name))) throw err; // another instance created it meanwhile: fine
  }
}
