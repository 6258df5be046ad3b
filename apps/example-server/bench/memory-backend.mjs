// The baseline: the webhook intake as it was before the durable store (the in-memory RevokeQueue of
// issue 13, reduced to what a delivery costs): a Map of pending jobs by record, a Map of recent
// successes for the dedupe window, the queue limit, then the job handed to the limiter. Nothing is
// written anywhere, so nothing survives a crash: that is the difference being priced. Queued jobs wait
// in a FIFO and at most `concurrency` hold or wait for a slot, as the durable queue's pump claims them:
// a waiter per queued job would charge the baseline an abort listener each (Node's EventTarget scans
// its listeners on each add, so that cost grows with the queue) that the durable intake never pays.
import { NothingToRevokeError } from '@zcrm-sharing/client';
import { localSlots } from '../dist/index.js';

export function memoryBackend() {
  return async (options) => {
    const slots = localSlots(options.concurrency);
    const { queueLimit, dedupeWindowMs } = options.records;
    const active = new Map();
    const recent = new Map();
    const counters = { deliveries: 0, jobs: 0, coalesced: 0, coalescedAfterDone: 0, rejected: 0, revoked: 0, alreadyNotShared: 0, failed: 0, resumed: 0 };
    const stop = new AbortController();
    let seq = 0;
    const waiting = [];
    let head = 0;
    let started = 0;
    const pump = () => {
      while (started < options.concurrency && head < waiting.length) {
        const [key, job] = waiting[head];
        waiting[head++] = undefined;
        started++;
        void run(key, job).finally(() => {
          started--;
          pump();
        });
      }
    };
    const run = async (key, job) => {
      let release;
      try {
        release = await slots.acquire('low', stop.signal);
      } catch {
        active.delete(key);
        return;
      }
      job.status = 'running';
      try {
        await options.revoke(job.module, job.recordId, stop.signal);
        job.status = 'revoked';
      } catch (err) {
        job.status = err instanceof NothingToRevokeError ? 'already_not_shared' : 'failed';
      } finally {
        release();
      }
      active.delete(key);
      if (dedupeWindowMs > 0 && job.status !== 'failed') recent.set(key, { job, until: Date.now() + dedupeWindowMs });
    };
    const queue = {
      kind: 'memory',
      location: 'memory',
      counters,
      async submit(module, recordId) {
        counters.deliveries++;
        const key = `${module}/${recordId}`;
        const existing = active.get(key) ?? (recent.get(key)?.until > Date.now() ? recent.get(key).job : undefined);
        if (existing) {
          existing.deliveries++;
          counters.coalesced++;
          return { accepted: true, job: { ...existing }, coalesced: true };
        }
        if (active.size >= queueLimit) {
          counters.rejected++;
          return { accepted: false, reason: 'queue_full' };
        }
        const job = { id: String(++seq), module, recordId, status: 'queued', deliveries: 1, attempts: 0, interruptions: 0, receivedAt: new Date().toISOString() };
        active.set(key, job);
        counters.jobs++;
        waiting.push([key, job]);
        pump();
        return { accepted: true, job: { ...job }, coalesced: false };
      },
      jobs: async () => [...active.values()],
      counts: async () => ({ queued: [...active.values()].filter((j) => j.status === 'queued').length, running: slots.active }),
      idle: async () => {},
      async close() {
        stop.abort();
        return { queued: 0, running: 0 };
      },
    };
    return { queue, slots, close: (graceMs) => queue.close(graceMs) };
  };
}
