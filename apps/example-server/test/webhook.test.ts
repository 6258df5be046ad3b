// POST /webhooks/zoho/revoke-sharing through HTTP, against a real sandbox.
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET, closeAll, contactId, deliver, gate, harness, leadId, request, sandboxGate, settle } from './helpers.ts';

afterEach(closeAll);

describe('webhook authentication', () => {
  it('no secret: 401, nothing queued, nothing sent to Zoho', async () => {
    const h = await harness();
    const r = await deliver(h.url, { module: 'Contacts', recordId: contactId(0) }, { secret: null });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('unauthorized');
    await settle();
    expect((await h.server.jobs())).toEqual([]);
    expect(h.sandbox.stats().revoke.calls).toBe(0);
    expect(h.sandbox.record('Contacts', contactId(0))!.shares).toBe(1);
  });

  it.each([
    ['same length, one character off', `${SECRET.slice(0, -1)}x`],
    ['shorter', SECRET.slice(0, 8)],
    ['longer', `${SECRET}${SECRET}`],
    ['empty body field, no header', ''],
  ])('wrong secret (%s): 401', async (_name, secret) => {
    const h = await harness();
    const r = secret === ''
      ? await deliver(h.url, { module: 'Contacts', recordId: contactId(0), secret: '' }, { secret: null })
      : await deliver(h.url, { module: 'Contacts', recordId: contactId(0) }, { secret });
    expect(r.status).toBe(401);
    await settle();
    expect(h.sandbox.stats().revoke.calls).toBe(0);
  });

  it('a wrong header secret is refused even when the body carries the right one', async () => {
    const h = await harness();
    const r = await deliver(h.url, { module: 'Contacts', recordId: contactId(0), secret: SECRET }, { secret: 'not-the-secret-at-all' });
    expect(r.status).toBe(401);
  });

  it('a bad body with a wrong secret is 401, not 400: unauthenticated callers learn nothing about validation', async () => {
    const h = await harness();
    expect((await deliver(h.url, { module: '../etc', recordId: 'x' }, { secret: 'wrong-secret-wrong-secret' })).status).toBe(401);
    expect((await deliver(h.url, '{not json', { secret: null, as: 'json' })).status).toBe(401);
  });

  it('right secret in the X-Webhook-Secret header: 202 at once, then the record is revoked', async () => {
    const h = await harness();
    const r = await deliver(h.url, { module: 'Contacts', recordId: contactId(0) });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ accepted: true, coalesced: false, module: 'Contacts', recordId: contactId(0) });
    expect(typeof r.body.jobId).toBe('string');
    await h.server.idle();
    expect(h.sandbox.record('Contacts', contactId(0))).toMatchObject({ shares: 0, revokeCalls: 1, revokeSuccesses: 1 });
    const jobs = (await request(`${h.url}/api/jobs`)).body;
    expect(jobs.jobs).toEqual([expect.objectContaining({ id: r.body.jobId, status: 'revoked', recordId: contactId(0), deliveries: 1 })]);
  });

  it('webhook off when no secret is configured: 503 naming WEBHOOK_SECRET', async () => {
    const h = await harness({ server: { webhookSecret: undefined } });
    const r = await deliver(h.url, { module: 'Contacts', recordId: contactId(0) });
    expect(r.status).toBe(503);
    expect(r.body.message).toMatch(/WEBHOOK_SECRET/);
  });
});

describe('webhook bodies', () => {
  it.each([
    ['form-encoded, secret in the header', { module: 'Contacts', recordId: contactId(1) }, { as: 'form' as const }],
    ['JSON, secret in the header', { module: 'Contacts', recordId: contactId(1) }, { as: 'json' as const }],
    ['form-encoded, secret as a body field', { module: 'Contacts', recordId: contactId(1), secret: SECRET }, { as: 'form' as const, secret: null }],
    ['JSON, secret as a body field', { module: 'Contacts', recordId: contactId(1), secret: SECRET }, { as: 'json' as const, secret: null }],
    ['form-encoded with record_id and a charset', { module: 'Contacts', record_id: contactId(1) }, { as: 'form' as const, contentType: 'application/x-www-form-urlencoded; charset=UTF-8' }],
  ])('%s: 202 and revoked', async (_name, fields, options) => {
    const h = await harness();
    const r = await deliver(h.url, fields, options);
    expect(r.status).toBe(202);
    expect(r.body.recordId).toBe(contactId(1));
    await h.server.idle();
    expect(h.sandbox.record('Contacts', contactId(1))).toMatchObject({ shares: 0, revokeSuccesses: 1 });
  });

  it('a 19-digit id above 2^53 arrives intact (never a Number)', async () => {
    const h = await harness();
    const id = '4150868000001148212'; // Number() would make it 4150868000001148400
    expect(String(Number(id))).not.toBe(id);
    const r = await deliver(h.url, `{"module":"Contacts","recordId":"${id}"}`, { as: 'json' });
    expect(r.body.recordId).toBe(id);
    await h.server.idle();
    expect(h.sandbox.record('Contacts', id)).toMatchObject({ revokeSuccesses: 1 });
    expect((await h.server.jobs())[0]).toMatchObject({ recordId: id, status: 'revoked' });
  });

  it.each([
    ['no module', { recordId: contactId(0) }, 'module', /module API name/],
    ['a module that is not an API name', { module: '../etc', recordId: contactId(0) }, 'module', /module API name/],
    ['Events (not revocable)', { module: 'Events', recordId: contactId(0) }, 'module', /not Events, Calls or Tasks/],
    ['no record id', { module: 'Contacts' }, 'recordId', /1-19 digits/],
    ['letters in the record id', { module: 'Contacts', recordId: '41508680000011482x' }, 'recordId', /1-19 digits/],
    ['a 20-digit record id', { module: 'Contacts', recordId: '41508680000011482120' }, 'recordId', /1-19 digits/],
    ['recordId and record_id differ', { module: 'Contacts', recordId: contactId(0), record_id: contactId(1) }, 'recordId', /one record id/],
  ])('form body with %s: 400 naming %s', async (_name, fields, field, expected) => {
    const h = await harness();
    const r = await deliver(h.url, fields as Record<string, string>);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'invalid_input', field });
    expect(r.body.expected).toMatch(expected);
    await settle();
    expect(h.sandbox.stats().revoke.calls).toBe(0);
  });

  it('a JSON number as the record id: 400 naming recordId, explaining that it lost digits', async () => {
    const h = await harness();
    const r = await deliver(h.url, '{"module":"Contacts","recordId":4150868000001148212}', { as: 'json' });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('recordId');
    expect(r.body.expected).toMatch(/not a number.*2\^53/);
    await settle();
    expect(h.sandbox.stats().revoke.calls).toBe(0);
  });

  it.each([
    ['invalid JSON', '{"module":', 'json', 400, 'body'],
    ['a JSON array', '[1,2]', 'json', 400, 'body'],
    ['a form field given twice with different values', `module=Contacts&module=Leads&recordId=${contactId(0)}`, 'form', 400, 'module'],
  ] as const)('%s: %d naming %s', async (_name, body, as, status, field) => {
    const h = await harness();
    const r = await deliver(h.url, body, { as });
    expect(r.status).toBe(status);
    expect(r.body.field).toBe(field);
  });

  it('an unsupported content type: 415 listing the supported ones', async () => {
    const h = await harness();
    const r = await deliver(h.url, 'module=Contacts', { contentType: 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.body.message).toMatch(/x-www-form-urlencoded or application\/json/);
  });

  it('a body over 16 KiB: 413', async () => {
    const h = await harness();
    const r = await deliver(h.url, { module: 'Contacts', recordId: contactId(0), pad: 'x'.repeat(20_000) });
    expect(r.status).toBe(413);
  });

  it('a module Zoho does not know is accepted, then recorded as failed with Zoho\'s code', async () => {
    const h = await harness();
    expect((await deliver(h.url, { module: 'Nope_Module', recordId: contactId(0) })).status).toBe(202);
    await h.server.idle();
    expect((await h.server.jobs())[0]).toMatchObject({ status: 'failed', error: { type: 'invalid_module', zohoCode: 'INVALID_MODULE' } });
  });
});

describe('webhook queue', () => {
  it('duplicates for a record that is in flight or queued join its job: one revoke call each', async () => {
    const g = gate();
    const h = await harness({ zoho: { fetch: g.fetch }, server: { revokeConcurrency: 1, dedupeWindowMs: 0 } });
    const a = contactId(0);
    const b = contactId(1);
    const first = await deliver(h.url, { module: 'Contacts', recordId: a });
    await g.holding(1); // A is in flight (held at the Zoho call)
    const dupA = await Promise.all([1, 2, 3, 4].map(() => deliver(h.url, { module: 'Contacts', recordId: a })));
    const firstB = await deliver(h.url, { module: 'Contacts', recordId: b }); // B is queued behind A (cap 1)
    const dupB = await Promise.all([1, 2].map(() => deliver(h.url, { module: 'Contacts', recordId: b })));

    expect([first, ...dupA, firstB, ...dupB].map((r) => r.status)).toEqual(Array(8).fill(202));
    expect(first.body.coalesced).toBe(false);
    expect(dupA.map((r) => [r.body.coalesced, r.body.jobId, r.body.status])).toEqual(Array(4).fill([true, first.body.jobId, 'running']));
    expect(firstB.body).toMatchObject({ coalesced: false, status: 'queued' });
    expect(dupB.map((r) => [r.body.coalesced, r.body.jobId, r.body.status])).toEqual(Array(2).fill([true, firstB.body.jobId, 'queued']));

    g.open();
    await h.server.idle();
    expect(h.sandbox.record('Contacts', a)).toMatchObject({ revokeCalls: 1, revokeSuccesses: 1, shares: 0 });
    expect(h.sandbox.record('Contacts', b)).toMatchObject({ revokeCalls: 1, revokeSuccesses: 1, shares: 0 });
    const jobs = (await request(`${h.url}/api/jobs`)).body;
    expect(jobs.counters).toMatchObject({ deliveries: 8, jobs: 2, coalesced: 6, revoked: 2 });
    expect(jobs.jobs.map((j: any) => [j.recordId, j.deliveries, j.status])).toEqual([
      [b, 3, 'revoked'],
      [a, 5, 'revoked'],
    ]);
  });

  it('dedupe window off: a delivery after the job finished is a new job, and Zoho says there is nothing left to revoke', async () => {
    const h = await harness({ server: { dedupeWindowMs: 0 } });
    await deliver(h.url, { module: 'Contacts', recordId: contactId(2) });
    await h.server.idle();
    const again = await deliver(h.url, { module: 'Contacts', recordId: contactId(2) });
    expect(again.body.coalesced).toBe(false);
    await h.server.idle();
    expect(h.sandbox.record('Contacts', contactId(2))).toMatchObject({ revokeCalls: 2, revokeSuccesses: 1 });
    expect((await h.server.jobs()).map((j) => j.status)).toEqual(['already_not_shared', 'revoked']);
  });

  it('dedupe window on (default 60 s): a redelivery just after success joins the finished job, no second call', async () => {
    const h = await harness();
    const first = await deliver(h.url, { module: 'Contacts', recordId: contactId(3) });
    await h.server.idle();
    const again = await deliver(h.url, { module: 'Contacts', recordId: contactId(3) });
    expect(again.body).toMatchObject({ coalesced: true, jobId: first.body.jobId, status: 'revoked' });
    await h.server.idle();
    expect(h.sandbox.record('Contacts', contactId(3))).toMatchObject({ revokeCalls: 1 });
    expect((await h.server.jobs())).toEqual([expect.objectContaining({ id: first.body.jobId, deliveries: 2 })]);
  });

  it('a failed job is not remembered: the next delivery tries again', async () => {
    // One attempt: the 500 (transient) then ends the job failed at once.
    const h = await harness({ sandbox: { errorRate: 1 }, zoho: { maxRetries: 0 }, server: { retry: { maxAttempts: 1 } } });
    await deliver(h.url, { module: 'Contacts', recordId: contactId(4) });
    await h.server.idle();
    expect((await h.server.jobs())[0]).toMatchObject({ status: 'failed', error: { type: 'zoho_server_error', zohoCode: 'INTERNAL_ERROR', zohoStatus: 500 } });
    h.sandbox.configure({ errorRate: 0 });
    const again = await deliver(h.url, { module: 'Contacts', recordId: contactId(4) });
    expect(again.body.coalesced).toBe(false);
    await h.server.idle();
    expect((await h.server.jobs()).map((j) => j.status)).toEqual(['revoked', 'failed']);
    expect(h.sandbox.record('Contacts', contactId(4))).toMatchObject({ shares: 0, revokeSuccesses: 1 });
  });

  it('a record that was never shared ends as already_not_shared, not failed', async () => {
    const h = await harness();
    await deliver(h.url, { module: 'Contacts', recordId: contactId(9) }); // every 10th seeded record starts unshared
    await h.server.idle();
    expect((await h.server.jobs())[0]).toMatchObject({ status: 'already_not_shared' });
    expect((await h.server.jobs())[0]!.error).toBeUndefined();
  });

  it('the job log is a ring buffer of JOB_LOG_SIZE: only the newest finished jobs are kept', async () => {
    const h = await harness({ server: { jobLogSize: 3 } });
    for (let i = 0; i < 5; i++) {
      await deliver(h.url, { module: 'Contacts', recordId: contactId(10 + i) });
      await h.server.idle();
    }
    const jobs = (await request(`${h.url}/api/jobs`)).body.jobs;
    expect(jobs.map((j: any) => j.recordId)).toEqual([contactId(14), contactId(13), contactId(12)]);
  });

  it('a full queue answers 503 with Retry-After, and takes deliveries again once it drains', async () => {
    const g = gate();
    const h = await harness({ zoho: { fetch: g.fetch }, server: { revokeConcurrency: 1, queueLimit: 2 } });
    expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(20) })).status).toBe(202);
    expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(21) })).status).toBe(202);
    const full = await deliver(h.url, { module: 'Contacts', recordId: contactId(22) });
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(full.body.error).toBe('queue_full');
    // A duplicate of a queued record is still accepted: it adds no work.
    expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(21) })).body.coalesced).toBe(true);
    g.open();
    await h.server.idle();
    expect((await deliver(h.url, { module: 'Contacts', recordId: contactId(22) })).status).toBe(202);
  });

  it('the concurrency cap holds against the sandbox limit (Free edition: 5), with real overlap', async () => {
    const cap = 4;
    // The sandbox holds every call until released: the overlap is certain, not a matter of timing.
    const g = sandboxGate();
    const h = await harness({ sandbox: { concurrencyLimit: 5, latencyMs: 1, delay: g.delay }, server: { revokeConcurrency: cap } });
    const ids = Array.from({ length: 40 }, (_, i) => contactId(100 + i));
    const answers = await Promise.all(ids.map((recordId) => deliver(h.url, { module: 'Contacts', recordId })));
    expect(answers.every((r) => r.status === 202)).toBe(true);
    for (let batch = 0; batch < ids.length / cap; batch++) {
      await g.holding(cap); // the cap's worth of calls is inside the sandbox at once...
      await settle();
      expect(g.held).toBe(cap); // ...and no more
      g.releaseAll();
    }
    g.open();
    await h.server.idle();
    const stats = h.sandbox.stats();
    expect(stats.maxInFlightPerOrg).toBe(cap);
    expect(stats.rateLimited).toBe(0);
    expect((await h.server.jobs()).filter((j) => j.status === 'revoked')).toHaveLength(ids.filter((_, i) => (100 + i) % 10 !== 9).length);
  });

  it('control: a cap above the sandbox limit does get 429s (so the check above can fail)', async () => {
    const g = sandboxGate();
    const h = await harness({ sandbox: { concurrencyLimit: 5, latencyMs: 1, delay: g.delay }, server: { revokeConcurrency: 10, retry: { baseDelayMs: 5, maxDelayMs: 20 } }, zoho: { maxRetries: 0 } });
    await Promise.all(Array.from({ length: 40 }, (_, i) => deliver(h.url, { module: 'Contacts', recordId: contactId(200 + i) })));
    await g.holding(5); // the sandbox's limit is taken...
    while (h.sandbox.stats().rateLimited === 0) await settle(); // ...so the cap's other calls are refused
    g.open();
    await h.server.idle();
    // The 429s were transient: those jobs were tried again and revoked.
    const jobs = await h.server.jobs();
    expect(jobs.filter((j) => j.status !== 'revoked' && j.status !== 'already_not_shared')).toEqual([]); // every 10th record starts unshared
    expect(jobs.some((j) => j.attempts > 1)).toBe(true);
  });

  it('API calls share the cap with webhook jobs and go first', async () => {
    const g = gate();
    const h = await harness({ zoho: { fetch: g.fetch }, server: { revokeConcurrency: 1 } });
    await deliver(h.url, { module: 'Leads', recordId: leadId(0) });
    await g.holding(1);
    await deliver(h.url, { module: 'Leads', recordId: leadId(1) }); // queued behind the held call
    const api = request(`${h.url}/api/records/Contacts/${contactId(0)}/sharing`, { method: 'DELETE' });
    await settle();
    expect(g.held).toBe(1); // the cap of 1 holds: neither the API call nor the queued job went out
    g.releaseOne();
    await g.holding(1);
    g.open();
    expect((await api).status).toBe(200);
    await h.server.idle();
    expect(g.seen).toEqual([
      `DELETE /crm/v8/Leads/${leadId(0)}/actions/share`,
      `DELETE /crm/v8/Contacts/${contactId(0)}/actions/share`,
      `DELETE /crm/v8/Leads/${leadId(1)}/actions/share`,
    ]);
    expect(h.sandbox.stats().maxInFlightPerOrg).toBe(1);
  });
});
