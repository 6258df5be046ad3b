// What a webhook queue needs from the server around it: the Zoho call slots, the revoke itself, the
// job rows' limits, and where to report finished jobs and store errors.
import type { Slots } from '../concurrency/slots.js';
import type { RetryPolicy } from './backoff.js';
import type { Job, PauseReason } from './jobs.js';
import type { RecordsOptions } from './records.js';

export interface QueueDeps {
  /** The Zoho call slots; a job holds one while its revoke runs. */
  slots: Slots;
  revoke: (module: string, recordId: string, signal: AbortSignal) => Promise<unknown>;
  records: RecordsOptions;
  /**
   * How long a job's revoke can last, the client's own retries included (its per-attempt timeout x
   * attempts, plus its backoff): the slot is leased for this long from the call's start, so a start
   * after a crash or a shutdown past the grace counts the call as in flight until then.
   */
  callDeadlineMs: number;
  /** Transient failures: how long and how often a job is tried again. */
  retry: RetryPolicy;
  /** The backoff's jitter (tests pass a fixed one). Default Math.random. */
  random?: () => number;
  onFinished?: (job: Job) => void;
  /** A store error (a full disk, a lost database): the queue keeps the outcome and writes it again. */
  onError?: (err: unknown) => void;
  /** The queue stopped taking jobs (see outcome.ts), or took them again. */
  onPause?: (reason: PauseReason | undefined) => void;
}
