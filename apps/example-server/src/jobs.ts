import { AbortError, NothingToRevokeError } from '@zcrm-sharing/client';
import { describeError } from './http-errors.js';
import type { Limiter } from './limiter.js';

export type JobStatus = 'queued' | 'running' | 'revoked' | 'already_not_shared' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  module: string;
  /** Always a string of digits: record ids exceed 2^53. */
  recordId: string;
  status: JobStatus;
  /** Webhook deliveries this job answers (1 + the duplicates coalesced into it). */
  deliveries: number;
  receivedAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: { type: string; message: string; zohoCode?: string; zohoStatus?: number };
}

export type SubmitResult =
  | { accepted: true; job: Job; coalesced: boolean }
  | { accepted: false; reason: 'queue_full' | 'closed' };

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
  revoked: number;
  alreadyNotShared: number;
  failed: number;
  cancelled: number;
}

export interface RevokeQueueOptions {
  limiter: Limiter;
  /** Revokes one record's sharing; throws the client's errors. */
  revoke: (module: string, recordId: string, signal: AbortSignal) => Promise<unknown>;
  /** Finished jobs kept (a ring buffer: the oldest is dropped first). */
  logSize: number;
  /** Most jobs queued or running at once. */
  queueLimit: number;
  /** A delivery for a record whose revoke finished (revoked or already not shared) less than this long ago joins that job. 0: off. */
  dedupeWindowMs: number;
  onFinished?: (job: Job) => void;
  now?: () => number;
}

/** A fixed-size log: pushing onto a full buffer overwrites the oldest entry. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`capacity: expected a whole number >= 1, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity);
  }
  get size(): number {
    return this.#size;
  }
  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }
  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = 1; i <= this.#size; i++) out.push(this.#items[(this.#next - i + this.capacity) % this.capacity]!);
    return out;
  }
}

// The dedupe memory is pruned by age; this bounds it even under a flood of distinct records.
const MAX_REMEMBERED = 100_000;

/**
 * The webhook's revoke queue. One job per record at a time: deliveries for a record that is queued
 * or in flight join its job instead of causing another call. Jobs take slots from the shared
 * limiter at low priority, so the Zoho concurrency cap holds for webhooks and API calls together.
 */
export class RevokeQueue {
  readonly counters: QueueCounters = { deliveries: 0, jobs: 0, coalesced: 0, coalescedAfterDone: 0, rejected: 0, revoked: 0, alreadyNotShared: 0, failed: 0, cancelled: 0 };
  readonly #options: RevokeQueueOptions;
  readonly #now: () => number;
  /** Queued or running, by record; a Map keeps submission order. */
  readonly #active = new Map<string, Job>();
  /** Recently finished successfully, by record, oldest first, with when the dedupe ends. */
  readonly #recent = new Map<string, { job: Job; until: number }>();
  readonly #log: RingBuffer<Job>;
  /** Aborted on close(): queued jobs stop waiting for a slot. */
  readonly #stopQueued = new AbortController();
  /** Aborted when close()'s grace period ends: in-flight calls are cancelled. */
  readonly #stopInFlight = new AbortController();
  #idleWaiters: (() => void)[] = [];
  #seq = 0;
  #closed = false;

  constructor(options: RevokeQueueOptions) {
    for (const key of ['queueLimit'] as const) {
      if (!Number.isInteger(options[key]) || options[key] < 1) throw new TypeError(`${key}: expected a whole number >= 1, got ${options[key]}`);
    }
    if (!(options.dedupeWindowMs >= 0)) throw new TypeError(`dedupeWindowMs: expected a number >= 0, got ${options.dedupeWindowMs}`);
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#log = new RingBuffer<Job>(options.logSize);
  }

  get queued(): number {
    let n = 0;
    for (const job of this.#active.values()) if (job.status === 'queued') n++;
    return n;
  }

  get running(): number {
    return this.#active.size - this.queued;
  }

  /** Queue a revoke, or join the job already queued, running or just done for that record. */
  submit(module: string, recordId: string): SubmitResult {
    this.counters.deliveries++;
    if (this.#closed) {
      this.counters.rejected++;
      return { accepted: false, reason: 'closed' };
    }
    const key = `${module}/${recordId}`;
    const pending = this.#active.get(key);
    const existing = pending ?? this.#recentJob(key);
    if (existing) {
      existing.deliveries++;
      this.counters.coalesced++;
      if (!pending) this.counters.coalescedAfterDone++;
      return { accepted: true, job: { ...existing }, coalesced: true };
    }
    if (this.#active.size >= this.#options.queueLimit) {
      this.counters.rejected++;
      return { accepted: false, reason: 'queue_full' };
    }
    const job: Job = { id: String(++this.#seq), module, recordId, status: 'queued', deliveries: 1, receivedAt: new Date(this.#now()).toISOString() };
    this.#active.set(key, job);
    this.counters.jobs++;
    void this.#process(key, job);
    return { accepted: true, job: { ...job }, coalesced: false };
  }

  /** Jobs queued or running (newest first), then finished ones from the log (newest first). Copies. */
  jobs(): Job[] {
    return [...[...this.#active.values()].reverse(), ...this.#log.newestFirst()].map((job) => ({ ...job }));
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.#active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops taking deliveries and drops the queued jobs (logged as cancelled); in-flight calls get
   * `graceMs` to finish, then are aborted. Resolves within about twice `graceMs` even if a call
   * ignores the abort. The queue is in memory: what is dropped here is lost.
   */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    this.#stopQueued.abort(new AbortError('the server is stopping'));
    const timers: NodeJS.Timeout[] = [];
    const after = (ms: number) => new Promise<void>((resolve) => timers.push(setTimeout(resolve, ms)));
    void after(graceMs).then(() => this.#stopInFlight.abort(new AbortError('the server is stopping')));
    try {
      await Promise.race([this.idle(), after(graceMs * 2)]);
    } finally {
      for (const t of timers) clearTimeout(t);
    }
  }

  async #process(key: string, job: Job): Promise<void> {
    let release: () => void;
    try {
      release = await this.#options.limiter.acquire('low', this.#stopQueued.signal);
    } catch {
      job.status = 'cancelled';
      this.#finish(key, job);
      return;
    }
    job.status = 'running';
    job.startedAt = new Date(this.#now()).toISOString();
    try {
      await this.#options.revoke(job.module, job.recordId, this.#stopInFlight.signal);
      job.status = 'revoked';
    } catch (err) {
      if (err instanceof NothingToRevokeError) {
        job.status = 'already_not_shared';
      } else {
        job.status = err instanceof AbortError && this.#closed ? 'cancelled' : 'failed';
        job.error = describeError(err);
      }
    } finally {
      release();
    }
    this.#finish(key, job);
  }

  #finish(key: string, job: Job): void {
    job.finishedAt = new Date(this.#now()).toISOString();
    this.#active.delete(key);
    this.#log.push(job);
    const c = this.counters;
    if (job.status === 'revoked') c.revoked++;
    else if (job.status === 'already_not_shared') c.alreadyNotShared++;
    else if (job.status === 'failed') c.failed++;
    else c.cancelled++;
    // Only a settled record is remembered: a failed or cancelled job must be retried by the next delivery.
    if (this.#options.dedupeWindowMs > 0 && (job.status === 'revoked' || job.status === 'already_not_shared')) {
      this.#recent.delete(key);
      this.#recent.set(key, { job, until: this.#now() + this.#options.dedupeWindowMs });
      this.#prune();
    }
    this.#options.onFinished?.({ ...job });
    if (this.#active.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #recentJob(key: string): Job | undefined {
    this.#prune();
    return this.#recent.get(key)?.job;
  }

  #prune(): void {
    const now = this.#now();
    for (const [key, entry] of this.#recent) {
      if (entry.until > now && this.#recent.size <= MAX_REMEMBERED) break;
      this.#recent.delete(key);
    }
  }
}
