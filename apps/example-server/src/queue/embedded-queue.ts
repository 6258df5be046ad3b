// The embedded webhook queue: jobs in a SQLite file under DATA_DIR (Node's built-in node:sqlite), one
// server process per file. A delivery is committed (WAL, synchronous=FULL: on disk) before the 202;
// at start-up, jobs left queued or in flight by a crash are resumed.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join, resolve } from 'node:path';
import type { QueueDeps } from './deps.js';
import { JobRecords } from './records.js';
import { runJob, type Job } from './jobs.js';
import { sqliteSql } from './sql.js';
import { checkStoreFile, confirmStoreIdentity, StoreError } from './store-identity.js';
import { StoreQueue } from './store-queue.js';

export const DB_FILE = 'webhook-jobs.sqlite';
/** How soon a store that failed (a full disk, a read-only folder) is tried again. */
const STORE_RETRY_MS = 1_000;

export { StoreError };

function openFile(dataDir: string, startAfresh: boolean): DatabaseSync {
  const dir = resolve(dataDir);
  try {
    // 0700: the jobs name records of the org; nobody else on the machine needs to read them.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new StoreError(`DATA_DIR ${dir} is not a folder`);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new StoreError(`DATA_DIR ${dir} is not a folder (or a part of its path is a file)`);
    throw new StoreError(`DATA_DIR ${dir}: cannot create the folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const file = join(dir, DB_FILE);
  checkStoreFile(dir, file, startAfresh);
  let db: DatabaseSync;
  try {
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    db = new DatabaseSync(file, { timeout: 0 });
  } catch (err) {
    throw new StoreError(`${file}: cannot create or open the store (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    // EXCLUSIVE: the file is locked from the first write until the process ends (a kill included), so
    // a second server on the same DATA_DIR is refused instead of running the same jobs twice.
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('BEGIN IMMEDIATE');
    db.exec('COMMIT');
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    const busy = /locked|busy/i.test((err as Error).message);
    throw new StoreError(
      busy
        ? `${file} is in use by another process: one server per DATA_DIR (for several instances, set DATABASE_URL)`
        : `${file}: ${(err as Error).message}`,
    );
  }
  try {
    confirmStoreIdentity(db, dir, file, startAfresh);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError(`${file}: ${(err as Error).message}`);
  }
  return db;
}

export class EmbeddedQueue extends StoreQueue {
  readonly kind = 'sqlite';
  readonly #db: DatabaseSync;
  readonly #inFlight = new Set<Promise<void>>();
  #idleWaiters: (() => void)[] = [];
  #pumping = false;
  #pumpAgain = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #leaseTimers = new Set<NodeJS.Timeout>();

  private constructor(
    readonly location: string,
    db: DatabaseSync,
    deps: QueueDeps,
  ) {
    super(new JobRecords(sqliteSql(db), deps.records), deps);
    this.#db = db;
  }

  /** Opens (or creates) the store in `dataDir` and resumes what a previous run left. */
  static async open(dataDir: string, deps: QueueDeps, startAfresh = false): Promise<EmbeddedQueue> {
    const db = openFile(dataDir, startAfresh);
    const queue = new EmbeddedQueue(join(resolve(dataDir), DB_FILE), db, deps);
    try {
      await queue.records.migrate();
      queue.counters.resumed = await queue.records.requeueInterrupted();
      await queue.#honourLeases();
    } catch (err) {
      db.close();
      throw new StoreError(`${queue.location}: ${(err as Error).message}`, { cause: err });
    }
    queue.#pump();
    return queue;
  }

  /**
   * Calls a previous run started and could not prove ended (a crash, a shutdown past the grace) may
   * still be in Zoho's hands: each holds a slot here until its lease ends, so the cap holds across
   * the restart.
   */
  async #honourLeases(): Promise<void> {
    for (const until of await this.records.liveLeases()) {
      const release = await this.deps.slots.acquire('high');
      const timer = setTimeout(() => {
        this.#leaseTimers.delete(timer);
        release();
      }, Math.max(0, until - this.records.options.now()));
      timer.unref();
      this.#leaseTimers.add(timer);
      this.counters.leasesHonoured++;
    }
  }

  protected override accepted(): void {
    this.#pump();
  }

  protected override pausedChanged(): void {
    this.#pump();
  }

  async idle(): Promise<void> {
    const { queued, running } = await this.counts();
    if (queued + running === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(graceMs: number): Promise<{ queued: number; running: number }> {
    if (this.closed) return { queued: 0, running: 0 };
    const cancelAbort = this.beginClose(graceMs);
    clearTimeout(this.#timer);
    for (const t of this.#leaseTimers) clearTimeout(t);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([Promise.allSettled([...this.#inFlight]), new Promise((r) => (timer = setTimeout(r, graceMs * 2)))]);
      return await this.counts().catch(() => ({ queued: -1, running: -1 }));
    } finally {
      cancelAbort();
      clearTimeout(timer);
      this.#db.close();
    }
  }

  /**
   * Starts due jobs while slots are free. One loop at a time; a call during it makes it look again.
   * With nothing due it sleeps until the next retry is; a store that cannot be read or written (a
   * full disk) is tried again after STORE_RETRY_MS, never crashing the process.
   */
  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    clearTimeout(this.#timer);
    void (async () => {
      try {
        while (!this.closed && !this.paused) {
          this.#pumpAgain = false;
          let release: () => void;
          try {
            release = await this.deps.slots.acquire('low', this.stopStarting.signal);
          } catch {
            return; // closing
          }
          let job: Job | undefined;
          try {
            job = this.closed || this.paused ? undefined : await this.records.claimNext(this.records.options.now() + this.deps.callDeadlineMs);
          } catch (err) {
            release();
            this.deps.onError?.(err);
            this.#wakeIn(STORE_RETRY_MS);
            return;
          }
          if (!job) {
            release();
            if (this.#pumpAgain) continue;
            await this.#sleepUntilDue();
            this.#checkIdle();
            return;
          }
          const run = this.#run(job, release).catch((err: unknown) => this.deps.onError?.(err));
          this.#inFlight.add(run);
          void run.finally(() => this.#inFlight.delete(run));
        }
      } finally {
        this.#pumping = false;
      }
    })();
  }

  async #sleepUntilDue(): Promise<void> {
    let due: number | undefined;
    try {
      due = await this.records.nextDue();
    } catch (err) {
      this.deps.onError?.(err);
      due = this.records.options.now() + STORE_RETRY_MS;
    }
    if (due !== undefined) this.#wakeIn(due - this.records.options.now());
  }

  #wakeIn(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#pump(), Math.max(0, ms));
    this.#timer.unref();
  }

  async #run(job: Job, release: () => void): Promise<void> {
    const result = await runJob(job, this.deps.revoke, this.stopInFlight.signal);
    // The outcome is known; a store that cannot take it now (a full disk) is asked again until it
    // does, or until close: the job never stays `running` while this process lives. The slot is
    // freed once the outcome is recorded (a pause is seen before the next job starts), or at the
    // first failure to record it (the call has ended; a stuck store must not hold the cap).
    let held = true;
    for (;;) {
      try {
        await this.settle(job, result);
        break;
      } catch (err) {
        this.deps.onError?.(err);
        if (held) release();
        held = false;
        if (this.closed) break;
        await new Promise((r) => setTimeout(r, STORE_RETRY_MS));
      }
    }
    if (held) release();
    this.#checkIdle();
    this.#pump();
  }

  #checkIdle(): void {
    if (!this.#idleWaiters.length || this.closed) return;
    void this.counts().then(({ queued, running }) => {
      if (queued + running === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }, () => undefined);
  }
}
