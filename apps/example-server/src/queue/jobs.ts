// What a webhook job is, what the queue behind the webhook promises, and the one function that runs a
// job's revoke. Two queues keep that promise: the embedded one (SQLite, one instance:
// embedded-queue.ts) and the shared one (Postgres through pg-boss, several instances: pg-queue.ts).
import { AbortError, NothingToRevokeError } from '@zcrm-sharing/client';
import { describeError } from '../http/errors.js';
import { failureClass } from './outcome.js';

export type JobStatus = 'queued' | 'running' | 'revoked' | 'already_not_shared' | 'failed';
export type FinishedStatus = Exclude<JobStatus, 'queued' | 'running'>;

export interface JobError {
  type: string;
  message: string;
  zohoCode?: string;
  zohoStatus?: number;
}

export interface Job {
  id: string;
  module: string;
  /** Always a string of digits: record ids exceed 2^53. */
  recordId: string;
  status: JobStatus;
  /** Webhook deliveries this job answers (1 + the duplicates joined to it). */
  deliveries: number;
  /** Attempts started for it: more than 1 after a transient failure (retried) or an interruption. */
  attempts: number;
  /**
   * Times the server stopped (a crash, a kill, a shutdown past the grace period) while its call was in
   * flight; it was then resumed. `already_not_shared` after an interruption most likely means the
   * interrupted call had done the revoke: the job records which of the two Zoho said.
   */
  interruptions: number;
  receivedAt: string;
  /** Queued after a transient failure: not tried again before this time (`error` says why it waits). */
  nextAttemptAt?: string;
  startedAt?: string;
  finishedAt?: string;
  error?: JobError;
}

export type SubmitResult =
  | { accepted: true; job: Job; coalesced: boolean }
  | { accepted: false; reason: 'queue_full' | 'closed' };

/** This instance's counts since it started (the jobs themselves are in the store, shared). */
export interface QueueCounters {
  /** Every delivery offered to the queue. */
  deliveries: number;
  /** Deliveries that started a new job. */
  jobs: number;
  /** Deliveries joined to a job already queued, running or (within the dedupe window) done. */
  coalesced: number;
  /** Of those, the ones joined to a job that had already finished (the dedupe window). */
  coalescedAfterDone: number;
  /** Deliveries refused because the queue was full or closing. */
  rejected: number;
  /** Jobs this instance finished, by outcome. */
  revoked: number;
  alreadyNotShared: number;
  failed: number;
  /** Jobs found in flight after a crash and resumed (this instance's start-up, or a dead instance's). */
  resumed: number;
  /** Attempts that failed transiently and were scheduled again. */
  retried: number;
  /** At start-up: slots held for calls a previous run could not prove ended, until their leases end. */
  leasesHonoured: number;
}

export const newCounters = (): QueueCounters => ({
  deliveries: 0, jobs: 0, coalesced: 0, coalescedAfterDone: 0, rejected: 0, revoked: 0, alreadyNotShared: 0, failed: 0, resumed: 0, retried: 0, leasesHonoured: 0,
});

/** The queue behind the webhook. A 202 is sent only once `submit` resolved accepted: the job is committed. */
export interface WebhookQueue {
  /** `sqlite` (the embedded store) or `postgres` (pg-boss). */
  readonly kind: 'sqlite' | 'postgres';
  /** Where the jobs live, for the log and /healthz: a file path, or `postgres`. */
  readonly location: string;
  readonly counters: QueueCounters;
  submit(module: string, recordId: string): Promise<SubmitResult>;
  /** Pending jobs (newest first), then finished ones (newest first): bounded. */
  jobs(): Promise<Job[]>;
  counts(): Promise<{ queued: number; running: number }>;
  /** Set while the queue takes no job because of something a person must fix (see outcome.ts). */
  readonly paused: PauseReason | undefined;
  /** Takes jobs again after a pause (the fault fixed); a no-op when not paused. */
  resume(): void;
  /** Resolves when no job is queued or running in the store. */
  idle(): Promise<void>;
  /**
   * Stops taking deliveries and starting jobs; in-flight calls get `graceMs`, then are aborted. Queued
   * and aborted jobs stay in the store and resume at the next start: resolves with how many.
   */
  close(graceMs: number): Promise<{ queued: number; running: number }>;
}

/** A job found running this many times after a restart is not tried again (a job that kills the server). */
export const MAX_INTERRUPTIONS = 5;

/** Why the queue stopped taking jobs: the failure that made it stop, and since when. */
export interface PauseReason {
  since: string;
  error: JobError;
  message: string;
}

export type JobRun =
  | { status: FinishedStatus; error?: JobError }
  | { status: 'requeue' }
  | { status: 'retry'; error: JobError }
  | { status: 'pause'; error: JobError };

/**
 * Runs one job's revoke. "Nothing to revoke" is a success (`already_not_shared`): a revoke is
 * idempotent, so a job resumed after a crash can be run again. An abort because the server is
 * stopping puts the job back in the queue; other failures go by the table in outcome.ts.
 */
export async function runJob(
  job: Job,
  revoke: (module: string, recordId: string, signal: AbortSignal) => Promise<unknown>,
  stop: AbortSignal,
): Promise<JobRun> {
  if (job.interruptions >= MAX_INTERRUPTIONS) {
    return { status: 'failed', error: { type: 'interrupted', message: `the server stopped ${job.interruptions} times while this revoke was in flight; not tried again (deliver it again to retry)` } };
  }
  try {
    await revoke(job.module, job.recordId, stop);
    return { status: 'revoked' };
  } catch (err) {
    if (err instanceof NothingToRevokeError) return { status: 'already_not_shared' };
    if (err instanceof AbortError && stop.aborted) return { status: 'requeue' };
    const error = describeError(err);
    const verdict = failureClass(err);
    return verdict === 'final' ? { status: 'failed', error } : { status: verdict === 'paused' ? 'pause' : 'retry', error };
  }
}

/** Counts a finished job in this instance's counters. */
export function countFinished(counters: QueueCounters, status: FinishedStatus): void {
  if (status === 'revoked') counters.revoked++;
  else if (status === 'already_not_shared') counters.alreadyNotShared++;
  else counters.failed++;
}
