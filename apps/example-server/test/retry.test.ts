// Transient is not final, end to end over the embedded store: a Zoho 500 is tried again with
// backoff until it succeeds (attempts, next attempt and last error on /api/jobs meanwhile); spent
// credits pause the queue (no job consumed, /api/jobs and /healthz say why) until resumed.
import { afterEach, expect, it } from 'vitest';
import { closeAll, contactId, deliver, harness, request } from './helpers.ts';
import { until } from './processes.ts';

afterEach(closeAll);

const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 100 };

it('a Zoho 500 INTERNAL_ERROR is retried with backoff until the revoke succeeds; the waiting job shows attempts, next attempt and last error', async () => {
  // The sandbox's injected error fires while `failing` is true (its random source decides): every call answers 500.
  let failing = true;
  const h = await harness({
    sandbox: { errorRate: 0.5, random: () => (failing ? 0 : 0.99) },
    zoho: { maxRetries: 0 },
    server: { retry: FAST_RETRY, revokeConcurrency: 2 },
  });
  const ids = [0, 1, 2].map(contactId);
  for (const recordId of ids) expect((await deliver(h.url, { module: 'Contacts', recordId })).status).toBe(202);
  // Every job failed at least twice and waits for its next attempt.
  await until('each job retried twice', async () => {
    const { jobs } = (await request(`${h.url}/api/jobs`)).body;
    return jobs.length === 3 && jobs.every((j: any) => j.attempts >= 2);
  });
  const waiting = (await request(`${h.url}/api/jobs`)).body.jobs.find((j: any) => j.status === 'queued' && j.nextAttemptAt);
  expect(waiting).toMatchObject({ status: 'queued', error: { type: 'zoho_server_error', zohoCode: 'INTERNAL_ERROR', zohoStatus: 500 } });
  expect(Date.parse(waiting.nextAttemptAt)).not.toBeNaN();
  failing = false;
  await h.server.idle();
  const body = (await request(`${h.url}/api/jobs`)).body;
  expect(body.jobs.map((j: any) => j.status)).toEqual(['revoked', 'revoked', 'revoked']);
  for (const j of body.jobs) {
    expect(j.attempts).toBeGreaterThanOrEqual(3);
    expect(j.error).toBeUndefined();
    expect(j.nextAttemptAt).toBeUndefined();
  }
  expect(body.counters.retried).toBeGreaterThanOrEqual(6);
  for (const id of ids) expect(h.sandbox.record('Contacts', id)).toMatchObject({ shares: 0, revokeSuccesses: 1 });
});

it('a transient failure past the attempt cap ends failed, saying how many attempts were made', async () => {
  const h = await harness({
    sandbox: { errorRate: 1, random: () => 0 },
    zoho: { maxRetries: 0 },
    server: { retry: { ...FAST_RETRY, maxAttempts: 3 } },
  });
  expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(0) })).status).toBe(202);
  await h.server.idle();
  const [job] = (await request(`${h.url}/api/jobs`)).body.jobs;
  expect(job).toMatchObject({ status: 'failed', attempts: 3, error: { type: 'zoho_server_error', zohoCode: 'INTERNAL_ERROR' } });
  expect(job.error.message).toMatch(/3 attempts; at most 3/);
  expect(h.sandbox.stats().revoke.calls).toBe(0); // the injected 500 comes before the handler
  expect(h.sandbox.stats().injectedErrors).toBe(3);
});

it("the org's credits spent: the queue pauses without consuming the job, /api/jobs and /healthz say why; resumed, the job is revoked", async () => {
  const h = await harness({ sandbox: { dailyCredits: 1 }, zoho: { maxRetries: 0 }, server: { retry: FAST_RETRY, revokeConcurrency: 1 } });
  expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(0) })).status).toBe(202);
  await h.server.idle(); // spends the one credit
  expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(1) })).status).toBe(202);
  expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(2) })).status).toBe(202);
  await until('the queue to pause', async () => (await request(`${h.url}/api/jobs`)).body.paused !== null);
  const body = (await request(`${h.url}/api/jobs`)).body;
  expect(body.paused).toMatchObject({ error: { type: 'zoho_rate_limited', zohoStatus: 429 } });
  expect(body.paused.message).toMatch(/credits .* spent/);
  // No job consumed: both wait, queued, with no attempt counted.
  const pending = body.jobs.filter((j: any) => j.status === 'queued');
  expect(pending.map((j: any) => j.attempts)).toEqual([0, 0]);
  expect((await request(`${h.url}/healthz`)).body.queue.paused.message).toBe(body.paused.message);
  const rateLimited = h.sandbox.stats().rateLimited;
  expect(rateLimited).toBe(1); // one call found out; the queue then stopped asking

  h.sandbox.configure({ dailyCredits: 100 });
  const resumed = await request(`${h.url}/api/queue/resume`, { method: 'POST' });
  expect(resumed.body).toMatchObject({ resumed: true, paused: null });
  await h.server.idle();
  const after = (await request(`${h.url}/api/jobs`)).body;
  expect(after.paused).toBeNull();
  expect(after.jobs.map((j: any) => j.status)).toEqual(['revoked', 'revoked', 'revoked']);
  expect(h.sandbox.stats().rateLimited).toBe(rateLimited);
});
