// Where the webhook jobs live and who holds the Zoho concurrency cap: SQLite and the in-process limiter
// for one instance (the default), or Postgres (pg-boss) and shared slot leases for several.
import type { QueueDeps } from './deps.js';
import { EmbeddedQueue } from './embedded-queue.js';
import type { WebhookQueue } from './jobs.js';
import { PgBossQueue, type PgQueueOptions } from './pg-queue.js';
import { PgSlots } from '../concurrency/pg-slots.js';
import { localSlots, type Slots } from '../concurrency/slots.js';

export interface Backend {
  queue: WebhookQueue;
  slots: Slots;
  /** Resolves with what is left pending in the store (it resumes at the next start). */
  close(graceMs: number): Promise<{ queued: number; running: number }>;
}

export interface BackendOptions extends Omit<QueueDeps, 'slots'> {
  concurrency: number;
  /** Set: Postgres (several instances). Unset: SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Accept the SQLite store found in `dataDir` (or a new one) even if its marker names another (store-identity.ts). */
  startAfresh?: boolean;
  postgres?: Partial<Omit<PgQueueOptions, 'concurrency'>>;
}

export async function openBackend(options: BackendOptions): Promise<Backend> {
  const { concurrency, databaseUrl, dataDir, postgres, startAfresh, ...deps } = options;
  // Postgres errors the slots and pg-boss recover from (a restart, an outage) are reported, not thrown.
  // A slot whose call's outcome is unknown stays taken until the call's deadline, as with SQLite.
  const slots = databaseUrl ? await PgSlots.open(databaseUrl, concurrency, { holdMs: deps.callDeadlineMs, ...(deps.onError ? { onError: deps.onError } : {}) }) : localSlots(concurrency);
  let queue: WebhookQueue;
  try {
    queue = databaseUrl
      ? await PgBossQueue.open(databaseUrl, { ...deps, slots }, { concurrency, ...(deps.onError ? { onBossError: deps.onError } : {}), ...postgres })
      : await EmbeddedQueue.open(dataDir, { ...deps, slots }, startAfresh);
  } catch (err) {
    await slots.close();
    throw err;
  }
  return {
    queue,
    slots,
    async close(graceMs) {
      try {
        return await queue.close(graceMs);
      } finally {
        await slots.close();
      }
    },
  };
}
