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
import { StoreQueue } from './store-queue.js';

export const DB_FILE = 'webhook-jobs.sqlite';

/** The store cannot be opened (the folder is not usable, or another process has the file). */
export class StoreError extends Error {
  override name = 'StoreError';
}

function openFile(dataDir: string): DatabaseSync {
  const dir = resolve(dataDir);
  try {
    // 0700: the jobs name records of the org; nobody else on the machine needs to read them.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new StoreError(`DATA_DIR ${dir} is not a folder`);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`DATA_DIR ${dir}: cannot create the folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const file = join(dir, DB_FILE);
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  const db = new DatabaseSync(file, { timeout: 0 });
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
    const busy = /locked|busy/i.test((err as Error).message);
    throw new StoreError(
      busy
        ? `${file} is in use by another process: one server per DATA_DIR (for several instances, set DATABASE_URL)`
        : `${file}: ${(err as Error).message}`,
    );
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

  private constructor(
    readonly location: string,
    db: DatabaseSync,
    deps: QueueDeps,
  ) {
    super(new JobRecords(sqliteSql(db), deps.records), deps);
    this.#db = db;
  }

  /** Opens (or creates) the store in `dataDir` and resumes what a previous run left. */
  static async open(dataDir: string, deps: QueueDeps): Promise<EmbeddedQueue> {
    const db = openFile(dataDir);
    const queue = new EmbeddedQueue(join(resolve(dataDir), DB_FILE), db, deps);
    try {
      await queue.records.migrate();
      queue.counters.resumed = await queue.records.requeueInterrupted();
    } catch (err) {
      db.close();
      throw err;
    }
    queue.#pump();
    return queue;
  }

  protected override accepted(): void {
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
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([Promise.allSettled([...this.#inFlight]), new Promise((r) => (timer = setTimeout(r, graceMs * 2)))]);
      return await this.counts();
    } finally {
      cancelAbort();
      clearTimeout(timer);
      this.#db.close();
    }
  }

  /** Starts queued jobs while slots are free. One loop at a time; a call during it makes it look again. */
  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    void (async () => {
      try {
        while (!this.closed) {
          this.#pumpAgain = false;
          let release: () => void;
          try {
            release = await this.deps.slots.acquire('low', this.stopStarting.signal);
          } catch {
            return; // closing
          }
          const job = this.closed ? undefined : await this.records.claimNext();
          if (!job) {
            release();
            if (this.#pumpAgain) continue;
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

  async #run(job: Job, release: () => void): Promise<void> {
    try {
      await this.settle(job, await runJob(job, this.deps.revoke, this.stopInFlight.signal));
    } finally {
      release();
      this.#checkIdle();
    }
  }

  #checkIdle(): void {
    if (!this.#idleWaiters.length || this.closed) return;
    void this.counts().then(({ queued, running }) => {
      if (queued + running === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }
}
