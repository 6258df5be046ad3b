// Several instances on one Postgres (a throwaway cluster per run): one queue (pg-boss), one cap for
// every Zoho call of every instance, and the same crash promise as SQLite.
import { prerequisite } from '@zcrm-sharing/test-support/prerequisites';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { createExampleServer, type ExampleServer } from '../src/index.ts';
import { SECRET, contactId, deliver, request, sandboxGate, settle, tempDataDir } from './helpers.ts';
import { usePostgres } from './postgres-cluster.ts';
import { finished, killAll, revokedOnce, sharedContacts, startSandboxProcess, startServerProcess, until } from './processes.ts';

const pg = prerequisite('postgres');
const CAP = 4;

describe.skipIf(!pg.available)('the queue on Postgres (pg-boss), two instances', () => {
  const { newDatabase } = usePostgres(pg, 'example');
  const servers: ExampleServer[] = [];
  afterEach(async () => {
    killAll();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it(`1,000 deliveries for 200 records over two instances: each record revoked once, never more than ${CAP} calls in flight in sum`, async () => {
    const databaseUrl = newDatabase();
    const g = sandboxGate();
    const sandbox = await startSandbox({ seed: demoSeed({ records: 400 }), concurrencyLimit: 5, latencyMs: 1, delay: g.delay });
    try {
      const start = () =>
        createExampleServer({
          zoho: { auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: sandbox.apiBaseUrl },
          webhookSecret: SECRET,
          databaseUrl,
          dataDir: tempDataDir(),
          revokeConcurrency: CAP,
          jobLogSize: 1000,
          shutdownGraceMs: 2_000,
          log: () => {},
        });
      const a = await start();
      const b = await start();
      servers.push(a, b);
      const ids = sharedContacts(200);
      // Five copies of each, shuffled by a fixed rule, alternating between the instances, 25 senders.
      const deliveries = ids.flatMap((id) => Array<string>(5).fill(id)).map((id, i, all) => all[(i * 397) % all.length]!);
      const statuses: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 25 }, async () => {
          while (next < deliveries.length) {
            const i = next++;
            statuses.push((await deliver((i % 2 ? b : a).url, { module: 'Contacts', recordId: deliveries[i]! })).status);
          }
        }),
      );
      expect(statuses.filter((s) => s === 202)).toHaveLength(1000);
      // The sandbox holds each call until released: each round, the two instances together fill the cap, and no more.
      for (let round = 0; round < ids.length / CAP; round++) {
        await g.holding(CAP);
        await settle();
        expect(g.held).toBe(CAP);
        g.releaseAll();
      }
      g.open();
      await a.idle();
      const stats = sandbox.stats();
      const counters = await Promise.all([a, b].map(async (s) => (await request(`${s.url}/api/jobs`)).body.counters));
      console.log(
        `postgres, 2 instances: 1000 deliveries, ${counters[0].jobs + counters[1].jobs} jobs, ${counters[0].coalesced + counters[1].coalesced} coalesced, ` +
          `${stats.revoke.calls} revoke calls (${stats.revoke.succeeded} succeeded; by instance ${counters[0].revoked} + ${counters[1].revoked}), ` +
          `max in flight ${stats.maxInFlightPerOrg} (cap ${CAP}), ${stats.rateLimited} rate-limited`,
      );
      for (const id of ids) expect(sandbox.record('Contacts', id), id).toMatchObject({ revokeCalls: 1, revokeSuccesses: 1, shares: 0 });
      expect(stats.maxInFlightPerOrg).toBe(CAP);
      expect(stats.rateLimited).toBe(0);
      expect(counters[0].jobs + counters[1].jobs).toBe(200);
      expect(counters[0].revoked).toBeGreaterThan(0); // both instances did work
      expect(counters[1].revoked).toBeGreaterThan(0);
    } finally {
      g.open();
      await Promise.all(servers.splice(0).map((s) => s.close()));
      await sandbox.close();
    }
  }, 120_000);

  it('/api calls of both instances share the cap with the webhook jobs', async () => {
    const databaseUrl = newDatabase();
    const g = sandboxGate();
    const sandbox = await startSandbox({ seed: demoSeed({ records: 100 }), latencyMs: 1, delay: g.delay });
    try {
      const start = () =>
        createExampleServer({ zoho: { auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: sandbox.apiBaseUrl }, webhookSecret: SECRET, databaseUrl, revokeConcurrency: 2, log: () => {} });
      const a = await start();
      const b = await start();
      servers.push(a, b);
      const api = [0, 1, 2, 3].map((i) => request(`${(i % 2 ? b : a).url}/api/records/Contacts/${contactId(i)}/sharing`, { method: 'DELETE' }));
      await deliver(a.url, { module: 'Contacts', recordId: contactId(10) });
      for (let round = 0; round < 2; round++) {
        await g.holding(2);
        await settle();
        expect(g.held).toBe(2);
        g.releaseAll();
      }
      g.open();
      expect((await Promise.all(api)).map((r) => r.body.revoked)).toEqual([true, true, true, true]);
      await a.idle();
      expect(sandbox.stats().maxInFlightPerOrg).toBe(2);
    } finally {
      g.open();
      await Promise.all(servers.splice(0).map((s) => s.close()));
      await sandbox.close();
    }
  }, 60_000);

  it('250 deliveries over two instances, both killed with SIGKILL, both restarted: each record revoked once', async () => {
    const sandbox = await startSandboxProcess(['--demo-records', '600', '--concurrency-limit', '5']);
    // A small call deadline: the killed calls' slots stay taken this long from their take (or their lease, if longer).
    const env = { DATABASE_URL: newDatabase(), REVOKE_CONCURRENCY: String(CAP), JOB_LOG_SIZE: '1000', DATA_DIR: tempDataDir(), CALL_DEADLINE_SECONDS: '4' };
    await sandbox.configure({ latencyMs: 500 });
    const first = [await startServerProcess(sandbox, env), await startServerProcess(sandbox, env)];
    const ids = sharedContacts(250);
    const statuses = await Promise.all(ids.map((recordId, i) => deliver(first[i % 2]!.url, { module: 'Contacts', recordId }).then((r) => r.status)));
    await until(`20 jobs done and ${CAP} calls in flight`, async () => (await finished(first[0]!.url)).done >= 20 && (await sandbox.stats()).inFlight === CAP);
    const before = await finished(first[0]!.url);
    for (const s of first) s.proc.child.kill('SIGKILL');
    for (const s of first) expect((await s.proc.exit).signal).toBe('SIGKILL');
    await sandbox.configure({ latencyMs: 0 });
    await until('the killed calls to end', async () => (await sandbox.stats()).inFlight === 0);

    // The killed instances' jobs are pg-boss's to hand over once their heartbeats stop (about 10 s).
    const second = [await startServerProcess(sandbox, env), await startServerProcess(sandbox, env)];
    await until('every job finished', async () => (await finished(second[0]!.url)).pending === 0);
    const after = await finished(second[0]!.url);
    const counts = await revokedOnce(sandbox, ids);
    const stats = await sandbox.stats();
    const resumed = after.jobs.filter((j) => j.interruptions > 0);
    console.log(
      `postgres, 2 instances: ${ids.length} deliveries, ${statuses.filter((s) => s === 202).length} accepted (202), ${before.done} done before the kill, ` +
        `${after.done - before.done} done after the restart (${resumed.length} resumed from in flight: ${resumed.map((j) => j.status).join(', ')}), ` +
        `${counts.revoked} records revoked, ${counts.revokedTwice} revoked twice, max in flight across instances ${stats.maxInFlightPerOrg} (cap ${CAP})`,
    );
    expect(statuses).toEqual(Array(ids.length).fill(202));
    expect(before.done).toBeLessThan(ids.length - CAP);
    expect(counts.notRevoked).toEqual([]);
    expect(counts.revokedTwice).toBe(0);
    expect(after.done).toBe(ids.length);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(resumed.length).toBeLessThanOrEqual(CAP);
    for (const j of resumed) expect(['already_not_shared', 'revoked']).toContain(j.status);
    expect(stats.maxInFlightPerOrg).toBeLessThanOrEqual(CAP);
  }, 180_000);
});
