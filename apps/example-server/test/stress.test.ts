// 1,000 webhook deliveries for 200 distinct records, 5 each, interleaved: every record is revoked
// exactly once and the sandbox never sees more calls in flight than the cap.
import { afterEach, expect, it } from 'vitest';
import { closeAll, contactId, deliver, harness, request } from './helpers.ts';

afterEach(closeAll);

const RECORDS = 200;
const COPIES = 5;
const CAP = 4;
const SENDERS = 25; // concurrent webhook callers

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

it(`${RECORDS * COPIES} deliveries for ${RECORDS} records (${COPIES} each, interleaved): each revoked exactly once, cap ${CAP} never exceeded`, async () => {
  const h = await harness({
    // Free edition: 5 concurrent calls; a little latency so the calls really overlap.
    sandbox: { concurrencyLimit: 5, latencyMs: 5 },
    server: { revokeConcurrency: CAP, jobLogSize: RECORDS * 2 },
  });
  // 200 seeded Contacts that start shared (every 10th seeded record starts unshared: skip those).
  const ids: string[] = [];
  for (let i = 0; ids.length < RECORDS; i++) if (h.sandbox.record('Contacts', contactId(i))!.shares > 0) ids.push(contactId(i));
  const deliveries = shuffle(ids.flatMap((id) => Array<string>(COPIES).fill(id)), 20261123);

  const t0 = performance.now();
  let sentMs = 0;
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < deliveries.length) {
        const recordId = deliveries[next++]!;
        statuses.push((await deliver(h.url, { module: 'Contacts', recordId })).status);
      }
    }),
  );
  sentMs = performance.now() - t0;
  await h.server.idle();
  const elapsedMs = performance.now() - t0;

  const stats = h.sandbox.stats();
  const jobs = (await request(`${h.url}/api/jobs`)).body;
  console.log(
    `${deliveries.length} deliveries, ${ids.length} distinct records: ${jobs.counters.jobs} jobs, ${jobs.counters.coalesced} coalesced ` +
      `(${jobs.counters.coalesced - jobs.counters.coalescedAfterDone} while queued or in flight, ${jobs.counters.coalescedAfterDone} after done), ` +
      `${stats.revoke.calls} revoke calls (${stats.revoke.succeeded} succeeded), max in flight ${stats.maxInFlightPerToken} (cap ${CAP}), ` +
      `${stats.rateLimited} rate-limited, ${Math.round(elapsedMs)} ms (all 202s after ${Math.round(sentMs)} ms)`,
  );

  expect(statuses).toHaveLength(RECORDS * COPIES);
  expect(statuses.every((s) => s === 202)).toBe(true);
  for (const id of ids) {
    expect(h.sandbox.record('Contacts', id), id).toMatchObject({ revokeCalls: 1, revokeSuccesses: 1, shares: 0 });
  }
  expect(stats.revoke.calls).toBe(RECORDS);
  expect(stats.maxInFlightPerToken).toBeLessThanOrEqual(CAP);
  expect(stats.rateLimited).toBe(0);
  expect(jobs.counters).toMatchObject({ deliveries: RECORDS * COPIES, jobs: RECORDS, coalesced: RECORDS * (COPIES - 1), revoked: RECORDS, failed: 0 });
  const logged = jobs.jobs as { recordId: string; deliveries: number; status: string }[];
  expect(new Set(logged.map((j) => j.recordId))).toEqual(new Set(ids));
  expect(logged.every((j) => j.deliveries === COPIES && j.status === 'revoked')).toBe(true);
});
