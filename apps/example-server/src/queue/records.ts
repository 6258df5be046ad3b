// The webhook jobs as rows: one table, the same SQL on SQLite (one instance) and Postgres (several).
// The rule "one pending job per record" is a unique index over the queued and running rows, so two
// deliveries for one record can never both become jobs, whoever races (two requests, two instances).
import type { Job, JobError, JobStatus } from './jobs.js';
import type { Param, Row, Sql } from './sql.js';

export const TABLE = 'zcrm_webhook_jobs';
const PENDING = `('queued', 'running')`;
const SETTLED = `('revoked', 'already_not_shared')`;

/**
 * SQLite keeps the number of pending jobs in a one-row table that triggers update in the same
 * transaction as the row change, so the queue limit reads one row instead of counting every pending
 * job on each delivery (that count grew with the queue and was most of the durable intake's cost).
 * Being in the store, it rolls back with the change (a savepoint, a failed COMMIT), and follows every
 * statement that moves a job in or out of pending. `migrate` recounts it from the rows at each start.
 * Postgres (several instances writing at once) keeps counting: one hot row would serialize them.
 */
const PENDING_COUNT = `${TABLE}_pending`;
const pendingCountSchema = [
  `CREATE TABLE IF NOT EXISTS ${PENDING_COUNT} (one INTEGER PRIMARY KEY CHECK (one = 1), n INTEGER NOT NULL CHECK (n >= 0))`,
  `CREATE TRIGGER IF NOT EXISTS ${PENDING_COUNT}_insert AFTER INSERT ON ${TABLE} WHEN NEW.status IN ${PENDING}
   BEGIN UPDATE ${PENDING_COUNT} SET n = n + 1; END`,
  `CREATE TRIGGER IF NOT EXISTS ${PENDING_COUNT}_delete AFTER DELETE ON ${TABLE} WHEN OLD.status IN ${PENDING}
   BEGIN UPDATE ${PENDING_COUNT} SET n = n - 1; END`,
  `CREATE TRIGGER IF NOT EXISTS ${PENDING_COUNT}_update AFTER UPDATE OF status ON ${TABLE} WHEN (OLD.status IN ${PENDING}) <> (NEW.status IN ${PENDING})
   BEGIN UPDATE ${PENDING_COUNT} SET n = n + (NEW.status IN ${PENDING}) - (OLD.status IN ${PENDING}); END`,
];
const COUNT_PENDING: Record<Sql['dialect'], string> = {
  sqlite: `SELECT n FROM ${PENDING_COUNT}`,
  postgres: `SELECT count(*) AS n FROM ${TABLE} WHERE status IN ${PENDING}`,
};

export function schema(dialect: Sql['dialect']): string[] {
  const id = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  return [
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
      id ${id},
      module TEXT NOT NULL,
      record_id TEXT NOT NULL CHECK (length(record_id) BETWEEN 1 AND 19),
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'revoked', 'already_not_shared', 'failed')),
      deliveries INTEGER NOT NULL DEFAULT 1,
      attempts INTEGER NOT NULL DEFAULT 0,
      interruptions INTEGER NOT NULL DEFAULT 0,
      received_at BIGINT NOT NULL,
      started_at BIGINT,
      finished_at BIGINT,
      error TEXT,
      next_attempt_at BIGINT,
      lease_until BIGINT
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS ${TABLE}_one_pending ON ${TABLE} (module, record_id) WHERE status IN ${PENDING}`,
    `CREATE INDEX IF NOT EXISTS ${TABLE}_by_status ON ${TABLE} (status, id)`,
    `CREATE INDEX IF NOT EXISTS ${TABLE}_by_record ON ${TABLE} (module, record_id, id)`,
    ...(dialect === 'sqlite' ? pendingCountSchema : []),
  ];
}

/** Columns added after the first release, for stores created before them. */
const ADDED_COLUMNS: [name: string, type: string][] = [['next_attempt_at', 'BIGINT'], ['lease_until', 'BIGINT']];

export type SubmitOutcome =
  | { kind: 'new'; job: Job }
  | { kind: 'joined'; job: Job; afterDone: boolean }
  | { kind: 'full' };

export interface RecordsOptions {
  queueLimit: number;
  dedupeWindowMs: number;
  /** Finished jobs kept: at most this many, newest first. */
  logSize: number;
  /** ...and none older than this. */
  retentionMs: number;
  now: () => number;
}

/** Numbers from Postgres BIGINT/COUNT arrive as strings; they are timestamps and counts, never record ids. */
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const iso = (v: unknown) => {
  const n = num(v);
  return n === undefined ? undefined : new Date(n).toISOString();
};

export function toJob(row: Row): Job {
  const job: Job = {
    id: String(row.id),
    module: String(row.module),
    recordId: String(row.record_id),
    status: row.status as JobStatus,
    deliveries: num(row.deliveries)!,
    attempts: num(row.attempts)!,
    interruptions: num(row.interruptions)!,
    receivedAt: iso(row.received_at)!,
  };
  const startedAt = iso(row.started_at);
  const nextAttemptAt = row.status === 'queued' ? iso(row.next_attempt_at) : undefined;
  if (nextAttemptAt) job.nextAttemptAt = nextAttemptAt;
  const finishedAt = iso(row.finished_at);
  if (startedAt) job.startedAt = startedAt;
  if (finishedAt) job.finishedAt = finishedAt;
  if (typeof row.error === 'string') job.error = JSON.parse(row.error) as JobError;
  return job;
}

export class JobRecords {
  constructor(
    readonly sql: Sql,
    readonly options: RecordsOptions,
  ) {}

  /** Creates the table and indexes if missing (`on`: a transaction to run them in). */
  async migrate(on: Sql = this.sql): Promise<void> {
    for (const statement of schema(on.dialect)) await on.query(statement);
    const have = on.dialect === 'sqlite'
      ? (await on.query(`SELECT name FROM pragma_table_info('${TABLE}')`)).map((r) => String(r.name))
      : (await on.query(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = $1`, [TABLE])).map((r) => String(r.name));
    for (const [name, type] of ADDED_COLUMNS) if (!have.includes(name)) await on.query(`ALTER TABLE ${TABLE} ADD COLUMN ${name} ${type}`);
    // The rows are the truth: recounted at each start (a store from before the triggers included).
    if (on.dialect === 'sqlite') await on.query(`INSERT OR REPLACE INTO ${PENDING_COUNT} (one, n) SELECT 1, count(*) FROM ${TABLE} WHERE status IN ${PENDING}`);
  }

  /** The number of queued and running jobs, as the queue limit reads it. */
  async pendingCount(on: Sql = this.sql): Promise<number> {
    const [row] = await on.query(COUNT_PENDING[on.dialect]);
    if (!row) throw new Error(`${PENDING_COUNT} has no row: the store was not migrated`);
    return num(row.n)!;
  }

  /**
   * Joins the record's pending job, else (within the dedupe window) its last settled one, else
   * inserts a job. `inserted` runs inside the same transaction (Postgres: the pg-boss send), so
   * the job and its queue entry are committed together, before the webhook answers 202.
   */
  submit(module: string, recordId: string, inserted?: (tx: Sql, job: Job) => Promise<void>): Promise<SubmitOutcome> {
    const { queueLimit, dedupeWindowMs, now } = this.options;
    return this.sql.transaction(async (tx) => {
      const key: Param[] = [module, recordId];
      const [pending] = await tx.query(`UPDATE ${TABLE} SET deliveries = deliveries + 1 WHERE module = $1 AND record_id = $2 AND status IN ${PENDING} RETURNING *`, key);
      if (pending) return { kind: 'joined', job: toJob(pending), afterDone: false };
      if (dedupeWindowMs > 0) {
        const [recent] = await tx.query(
          `UPDATE ${TABLE} SET deliveries = deliveries + 1 WHERE id = (
             SELECT id FROM ${TABLE} WHERE module = $1 AND record_id = $2 AND status IN ${SETTLED} AND finished_at >= $3 ORDER BY id DESC LIMIT 1
           ) RETURNING *`,
          [...key, now() - dedupeWindowMs],
        );
        if (recent) return { kind: 'joined', job: toJob(recent), afterDone: true };
      }
      if ((await this.pendingCount(tx)) >= queueLimit) return { kind: 'full' };
      // ON CONFLICT: another transaction (another instance) inserted the record's job meanwhile.
      const [row] = await tx.query(
        `INSERT INTO ${TABLE} (module, record_id, status, received_at) VALUES ($1, $2, 'queued', $3)
         ON CONFLICT (module, record_id) WHERE status IN ${PENDING} DO UPDATE SET deliveries = ${TABLE}.deliveries + 1
         RETURNING *`,
        [...key, now()],
      );
      const job = toJob(row!);
      if (job.deliveries > 1) return { kind: 'joined', job, afterDone: false };
      await inserted?.(tx, job);
      return { kind: 'new', job };
    });
  }

  /**
   * Marks the oldest queued job that is due running (SQLite's own dispatcher), with its Zoho call's
   * slot leased until `leaseUntil`: until its outcome is recorded, a later start counts the call as
   * in flight until then (a crash or a shutdown past the grace cannot prove the call ended).
   */
  async claimNext(leaseUntil: number): Promise<Job | undefined> {
    const now = this.options.now();
    const [row] = await this.sql.query(
      `UPDATE ${TABLE} SET status = 'running', attempts = attempts + 1, started_at = $1, lease_until = $2
       WHERE id = (SELECT id FROM ${TABLE} WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY id LIMIT 1) RETURNING *`,
      [now, leaseUntil],
    );
    return row ? toJob(row) : undefined;
  }

  /** The leases of calls not proven ended that have not expired yet (a start holds a slot for each until then). */
  async liveLeases(): Promise<number[]> {
    const rows = await this.sql.query(`SELECT lease_until FROM ${TABLE} WHERE lease_until > $1 ORDER BY lease_until`, [this.options.now()]);
    return rows.map((r) => num(r.lease_until)!);
  }

  /** When the next queued job waiting for a retry is due (undefined: none waits). */
  async nextDue(): Promise<number | undefined> {
    const [row] = await this.sql.query(`SELECT min(next_attempt_at) AS at FROM ${TABLE} WHERE status = 'queued' AND next_attempt_at IS NOT NULL`);
    return num(row?.at);
  }

  /** A running job back to queued, to be tried again at `at`; `error` is why its attempt failed. */
  async retryLater(id: string, at: number, error: JobError, on: Sql = this.sql): Promise<Job | undefined> {
    const [row] = await on.query(
      `UPDATE ${TABLE} SET status = 'queued', next_attempt_at = $2, error = $3, lease_until = NULL WHERE id = $1 AND status = 'running' RETURNING *`,
      [id, at, JSON.stringify(error)],
    );
    return row ? toJob(row) : undefined;
  }

  /** A running job back to queued without counting its attempt (the queue paused: the job was not consumed). */
  async unclaim(id: string, error: JobError, on: Sql = this.sql): Promise<void> {
    await on.query(`UPDATE ${TABLE} SET status = 'queued', attempts = attempts - 1, error = $2, lease_until = NULL WHERE id = $1 AND status = 'running'`, [id, JSON.stringify(error)]);
  }

  /**
   * Marks a given job running (pg-boss hands it over). A job found running already was in flight
   * when an instance died: counted as an interruption. Undefined: it is finished already.
   */
  async start(id: string): Promise<{ job: Job; resumed: boolean } | undefined> {
    const [row] = await this.sql.query(
      `WITH before AS (SELECT status FROM ${TABLE} WHERE id = $1)
       UPDATE ${TABLE} SET status = 'running', attempts = attempts + 1, started_at = $2,
         interruptions = interruptions + CASE WHEN status = 'running' THEN 1 ELSE 0 END
       WHERE id = $1 AND status IN ${PENDING} RETURNING *, (SELECT status FROM before) AS was`,
      [id, this.options.now()],
    );
    return row ? { job: toJob(row), resumed: row.was === 'running' } : undefined;
  }

  /** At start-up (SQLite): jobs left running by a crash go back to the queue, counted as interrupted. */
  async requeueInterrupted(): Promise<number> {
    const rows = await this.sql.query(`UPDATE ${TABLE} SET status = 'queued', interruptions = interruptions + 1 WHERE status = 'running' RETURNING id`);
    return rows.length;
  }

  /** A running job back to queued (its call was aborted at shutdown: it resumes at the next start; its lease stays, since Zoho may still be working on the aborted call). */
  async requeue(id: string): Promise<void> {
    await this.sql.query(`UPDATE ${TABLE} SET status = 'queued' WHERE id = $1 AND status = 'running'`, [id]);
  }

  async finish(id: string, status: Exclude<JobStatus, 'queued' | 'running'>, error?: JobError): Promise<Job | undefined> {
    const [row] = await this.sql.query(
      `UPDATE ${TABLE} SET status = $2, finished_at = $3, error = $4, lease_until = NULL WHERE id = $1 AND status = 'running' RETURNING *`,
      [id, status, this.options.now(), error ? JSON.stringify(error) : null],
    );
    return row ? toJob(row) : undefined;
  }

  /** Gives up on a pending job (pg-boss exhausted its retries): failed, so the record takes deliveries again. */
  async abandon(id: string, error: JobError): Promise<void> {
    await this.sql.query(
      `UPDATE ${TABLE} SET status = 'failed', finished_at = $2, error = $3 WHERE id = $1 AND status IN ${PENDING}`,
      [id, this.options.now(), JSON.stringify(error)],
    );
  }

  /** Drops finished jobs beyond the newest `logSize` or older than the retention. */
  async prune(): Promise<void> {
    const { logSize, retentionMs, now } = this.options;
    await this.sql.query(
      `DELETE FROM ${TABLE} WHERE status NOT IN ${PENDING} AND (finished_at < $1 OR id <= (
         SELECT id FROM ${TABLE} WHERE status NOT IN ${PENDING} ORDER BY id DESC LIMIT 1 OFFSET $2
       ))`,
      [now() - retentionMs, logSize],
    );
  }

  async counts(): Promise<{ queued: number; running: number }> {
    const rows = await this.sql.query(`SELECT status, count(*) AS n FROM ${TABLE} WHERE status IN ${PENDING} GROUP BY status`);
    const by = Object.fromEntries(rows.map((r) => [r.status, num(r.n)]));
    return { queued: by.queued ?? 0, running: by.running ?? 0 };
  }

  /** Pending jobs (newest first, at most `logSize`), then finished ones (newest first). */
  async list(): Promise<Job[]> {
    const { logSize } = this.options;
    const pending = await this.sql.query(`SELECT * FROM ${TABLE} WHERE status IN ${PENDING} ORDER BY id DESC LIMIT $1`, [logSize]);
    const done = await this.sql.query(`SELECT * FROM ${TABLE} WHERE status NOT IN ${PENDING} ORDER BY id DESC LIMIT $1`, [logSize]);
    return [...pending, ...done].map(toJob);
  }
}
