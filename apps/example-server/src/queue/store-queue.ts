// What the two webhook queues (embedded-queue.ts, pg-queue.ts) do alike over the job rows: take a
// delivery, count it, and settle a job once its revoke has run. They differ in who starts the jobs.
import { AbortError } from '@zcrm-sharing/client';
import type { QueueDeps } from './deps.js';
import type { JobRecords } from './records.js';
import { countFinished, newCounters, type Job, type JobRun, type QueueCounters, type SubmitResult, type WebhookQueue } from './jobs.js';
import type { Sql } from './sql.js';

export abstract class StoreQueue implements WebhookQueue {
  abstract readonly kind: WebhookQueue['kind'];
  abstract readonly location: string;
  readonly counters: QueueCounters = newCounters();
  /** Aborted on close(): no new job starts. */
  protected readonly stopStarting = new AbortController();
  /** Aborted when close()'s grace period ends: in-flight calls are cancelled (their jobs stay queued). */
  protected readonly stopInFlight = new AbortController();
  protected closed = false;

  protected constructor(
    protected readonly records: JobRecords,
    protected readonly deps: QueueDeps,
  ) {}

  abstract idle(): Promise<void>;
  abstract close(graceMs: number): Promise<{ queued: number; running: number }>;

  /** Runs inside the submit transaction for a new job (Postgres: its pg-boss entry). */
  protected inserted?(tx: Sql, job: Job): Promise<void>;
  /** After a new job is committed (SQLite: start it). */
  protected accepted?(): void;

  async submit(module: string, recordId: string): Promise<SubmitResult> {
    const c = this.counters;
    c.deliveries++;
    if (this.closed) {
      c.rejected++;
      return { accepted: false, reason: 'closed' };
    }
    const outcome = await this.records.submit(module, recordId, this.inserted?.bind(this));
    if (outcome.kind === 'full') {
      c.rejected++;
      return { accepted: false, reason: 'queue_full' };
    }
    if (outcome.kind === 'joined') {
      c.coalesced++;
      if (outcome.afterDone) c.coalescedAfterDone++;
      return { accepted: true, job: outcome.job, coalesced: true };
    }
    c.jobs++;
    this.accepted?.();
    return { accepted: true, job: outcome.job, coalesced: false };
  }

  jobs(): Promise<Job[]> {
    return this.records.list();
  }

  counts(): Promise<{ queued: number; running: number }> {
    return this.records.counts();
  }

  /** Records a job's outcome (or puts it back in the queue when its call was aborted at shutdown). */
  protected async settle(job: Job, result: JobRun): Promise<'requeued' | 'finished'> {
    if (result.status === 'requeue') {
      await this.records.requeue(job.id);
      return 'requeued';
    }
    const done = await this.records.finish(job.id, result.status, result.error);
    countFinished(this.counters, result.status);
    await this.records.prune();
    if (done) this.deps.onFinished?.(done);
    return 'finished';
  }

  /** Marks the queue closed and schedules the in-flight abort; returns a function clearing the timer. */
  protected beginClose(graceMs: number): () => void {
    this.closed = true;
    this.stopStarting.abort(new AbortError('the server is stopping'));
    const timer = setTimeout(() => this.stopInFlight.abort(new AbortError('the server is stopping')), graceMs);
    return () => clearTimeout(timer);
  }
}
