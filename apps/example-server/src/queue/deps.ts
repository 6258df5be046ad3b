// What a webhook queue needs from the server around it: the Zoho call slots, the revoke itself, the
// job rows' limits, and where to report finished jobs and store errors.
import type { Slots } from '../concurrency/slots.js';
import type { Job } from './jobs.js';
import type { RecordsOptions } from './records.js';

export interface QueueDeps {
  /** The Zoho call slots; a job holds one while its revoke runs. */
  slots: Slots;
  revoke: (module: string, recordId: string, signal: AbortSignal) => Promise<unknown>;
  records: RecordsOptions;
  onFinished?: (job: Job) => void;
  /** A store error while finishing a job (the job stays running in the store and resumes at the next start). */
  onError?: (err: unknown) => void;
}
