// What the two webhook queues (embedded-queue.ts, pg-queue.ts) do alike over the job rows: take a
// delivery, count it, and settle a job once its revoke has run. They differ in who starts the jobs.
import { AbortError } from '@zcrm-sharing/client';
import type { QueueDeps } from './deps.js';
import type { JobRecords } from './records.js';
import { nextAttemptAt } from './backoff.js';
import { countFinished, newCounters, type Job, type JobError, type JobRun, type PauseReason, type QueueCounters, type SubmitResult, type WebhookQueue } from './jobs.js';
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
  #paused: PauseReason | undefined;

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
  /** The pause began or ended (SQLite: the pump looks again; Postgres: the worker stops or starts). */
  protected pausedChanged?(): void;

  get paused(): PauseReason | undefined {
    return this.#paused;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = undefined;
    this.deps.onPause?.(undefined);
    this.pausedChanged?.();
  }

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

  /**
   * Records a job's outcome: finished, back in the queue (aborted at shutdown; a pause, which does
   * not count the attempt), or scheduled again after a transient failure until the retry policy is
   * spent.
   */
  protected async settle(job: Job, result: JobRun): Promise<'requeued' | 'finished'> {
    switch (result.status) {
      case 'requeue':
        await this.records.requeue(job.id);
        return 'requeued';
      case 'pause':
        await this.unclaim(job, result.error);
        this.#pause(result.error);
        return 'requeued';
      case 'retry': {
        const at = nextAttemptAt(this.deps.retry, { attempts: job.attempts, receivedAt: Date.parse(job.receivedAt) }, this.records.options.now(), this.deps.random);
        if (at !== undefined) {
          await this.retryLater(job, at, result.error);
          this.counters.retried++;
          return 'requeued';
        }
        const { maxAttempts, windowMs } = this.deps.retry;
        return this.#finish(job, 'failed', { ...result.error, message: `not tried again (${job.attempts} attempts; at most ${maxAttempts} within ${windowMs / 3_600_000} h of the delivery): ${result.error.message}` });
      }
      default:
        return this.#finish(job, result.status, result.error);
    }
  }

  /** Puts a job back without counting its attempt (Postgres: with a new pg-boss entry, in one transaction). */
  protected async unclaim(job: Job, error: JobError): Promise<void> {
    await this.records.unclaim(job.id, error);
  }

  /** Puts a job back to be tried at `at` (Postgres: with its pg-boss entry, in one transaction). */
  protected async retryLater(job: Job, at: number, error: JobError): Promise<void> {
    await this.records.retryLater(job.id, at, error);
  }

  async #finish(job: Job, status: Exclude<JobRun['status'], 'requeue' | 'retry' | 'pause'>, error: JobError | undefined): Promise<'finished'> {
    const done = await this.records.finish(job.id, status, error);
    countFinished(this.counters, status);
    await this.records.prune();
    if (done) this.deps.onFinished?.(done);
    return 'finished';
  }

  #pause(error: JobError): void {
    if (this.#paused) return;
    this.#paused = { since: new Date(this.records.options.now()).toISOString(), error, message: pauseMessage(error) };
    this.deps.onPause?.(this.#paused);
    this.pausedChanged?.();
  }

  /** Marks the queue closed and schedules the in-flight abort; returns a function clearing the timer. */
  protected beginClose(graceMs: number): () => void {
    this.closed = true;
    this.stopStarting.abort(new AbortError('the server is stopping'));
    const timer = setTimeout(() => this.stopInFlight.abort(new AbortError('the server is stopping')), graceMs);
    return () => clearTimeout(timer);
  }
}

/** What a person must do about a pause, by the failure that caused it. */
function pauseMessage(error: JobError): string {
  const then = 'then restart the server or resume the queue (POST /api/queue/resume, or the admin page)';
  if (error.type === 'zoho_token_refresh_failed') return `Zoho refused the refresh token: check ZOHO_REFRESH_TOKEN, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_DC, ${then}`;
  if (error.type === 'zoho_rate_limited') return `the org's Zoho API credits for the last 24 hours are spent: no job is taken until the window allows more calls; ${then}`;
  if (error.type === 'zoho_authentication_failed') return `Zoho refused the access token: set a valid one (ZOHO_ACCESS_TOKEN) or the refresh-token grant, ${then}`;
  return `${error.message}; ${then}`;
}
