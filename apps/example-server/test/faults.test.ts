// A 202 is a promise, through faults: Zoho unreachable for a while, the data folder's disk full while
// jobs run, SIGTERM while busy then a restart, the store file deleted while stopped. Each scenario
// checks against the sandbox's own per-record counters: every accepted delivery ends revoked (or in a
// final state Zoho's own answer caused), none is lost, the cap is never exceeded, and a second call
// happens only for a call in flight at the fault. Outage lengths are parameters (environment), a few
// seconds here; the assertions wait for states, never for durations.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { mountSmallDisk } from '@zcrm-sharing/test-support/disk';
import { prerequisite } from '@zcrm-sharing/test-support/prerequisites';
import { afterEach, describe, expect, it } from 'vitest';
import { createExampleServer, type ExampleServer } from '../src/index.ts';
import { closeAll, deliver, harness, request, sandboxGate, tempDataDir } from './helpers.ts';
import { killAll, sharedContacts, spawnNode, startSandboxProcess, startServerProcess, until, MAIN, type SandboxProc } from './processes.ts';

/** How long Zoho stays unreachable (at least; the outage also lasts until every waiting job has failed once). */
const OUTAGE_MS = Number(process.env.ZCRM_FAULT_OUTAGE_MS ?? 2_000);
const CAP = 4;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  await closeAll();
  killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jobsOf = async (url: string) => (await request(`${url}/api/jobs`)).body;

/** Per record, from the sandbox's counters: revoked (no share left), revoke calls, successes. */
async function tally(sandbox: { record(module: string, id: string): Promise<any> | any }, ids: string[]) {
  const records = await Promise.all(ids.map(async (id) => ({ id, ...(await sandbox.record('Contacts', id)) })));
  return {
    lost: records.filter((r) => r.shares !== 0).map((r) => r.id),
    revoked: records.filter((r) => r.shares === 0 && r.revokeSuccesses === 1).length,
    revokedTwice: records.filter((r) => r.revokeSuccesses > 1).map((r) => r.id),
    secondCalls: records.filter((r) => r.revokeCalls > 1).map((r) => r.id),
  };
}

function report(name: string, figures: Record<string, unknown>) {
  console.log(`fault ${name}: ${Object.entries(figures).map(([k, v]) => `${k} ${Array.isArray(v) ? v.length : v}`).join(', ')}`);
}

describe('fault: Zoho unreachable for a while', () => {
  it(`the sandbox stopped (${OUTAGE_MS} ms at least) with calls in flight and jobs queued, then back with its state: every accepted delivery ends revoked, once`, async () => {
    const sandbox = await startSandboxProcess(['--demo-records', '400', '--concurrency-limit', '5']);
    await sandbox.configure({ latencyMs: 200 }); // calls are in flight when Zoho goes away
    const dataDir = tempDataDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await createExampleServer({
      zoho: { auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: sandbox.apiBaseUrl },
      webhookSecret: 'test-webhook-secret-5f1c9a7e2b',
      revokeConcurrency: CAP,
      dataDir,
      retry: { baseDelayMs: 100, maxDelayMs: 500 },
      log: () => {},
    });
    cleanups.push(() => server.close());
    const ids = sharedContacts(80);
    const before = ids.slice(0, 60);
    const during = ids.slice(60);
    const statuses = await Promise.all(before.map((recordId) => deliver(server.url, { module: 'Contacts', recordId }).then((r) => r.status)));
    await until(`10 jobs done and ${CAP} calls in flight`, async () => {
      const body = await jobsOf(server.url);
      return body.jobs.filter((j: any) => j.status === 'revoked').length >= 10 && (await sandbox.stats()).inFlight === CAP;
    });
    const inFlightAtFault = new Set((await jobsOf(server.url)).jobs.filter((j: any) => j.status === 'running').map((j: any) => j.recordId as string));
    const maxBefore = await sandbox.maxInFlightPerOrg();
    await sandbox.stop();
    const downAt = Date.now();
    // Deliveries keep being accepted while Zoho is away: the store, not Zoho, answers them.
    statuses.push(...(await Promise.all(during.map((recordId) => deliver(server.url, { module: 'Contacts', recordId }).then((r) => r.status)))));
    await until('every waiting job to have failed at least once', async () => {
      const body = await jobsOf(server.url);
      const waiting = body.jobs.filter((j: any) => j.status === 'queued' && j.nextAttemptAt);
      return waiting.length > 0 && body.counters.retried >= CAP && body.jobs.every((j: any) => j.status !== 'failed');
    });
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    const duringOutage = await jobsOf(server.url);
    await sandbox.start();
    const upAt = Date.now();
    await server.idle();
    const recoverMs = Date.now() - upAt;
    const after = await jobsOf(server.url);
    const t = await tally(sandbox, ids);
    const maxInFlight = Math.max(maxBefore, await sandbox.maxInFlightPerOrg());
    report('zoho-unreachable', { accepted: statuses.filter((s) => s === 202).length, revoked: t.revoked, lost: t.lost, 'second calls': t.secondCalls, 'in flight at the fault': inFlightAtFault.size, 'most in flight': `${maxInFlight} (cap ${CAP})`, 'outage ms': upAt - downAt, 'recovered in ms': recoverMs });

    expect(statuses).toEqual(Array(ids.length).fill(202));
    expect(duringOutage.jobs.filter((j: any) => j.status === 'failed')).toEqual([]); // transient is not final
    expect(after.jobs.filter((j: any) => !['revoked', 'already_not_shared'].includes(j.status))).toEqual([]);
    expect(t.lost).toEqual([]);
    expect(t.revokedTwice).toEqual([]);
    for (const id of t.secondCalls) expect(inFlightAtFault.has(id)).toBe(true);
    for (const j of after.jobs.filter((j: any) => j.status === 'already_not_shared')) expect(inFlightAtFault.has(j.recordId)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(CAP);
  }, 120_000);
});

const tmpfs = prerequisite('tmpfs');

describe.skipIf(!tmpfs.available)('fault: the data folder\'s disk full while jobs run (SQLite)', () => {
  it('deliveries get 503 + Retry-After (never 202 without a commit, never 500), the process stays up, no job is left running; with space back every accepted delivery is revoked once', async () => {
    const disk = mountSmallDisk({ sizeBytes: 4 * 1024 * 1024, mount: tmpfs.available ? tmpfs.path : 'mount' });
    cleanups.push(() => disk.dispose());
    const dataDir = join(disk.path, 'data');
    const zohoGate = sandboxGate();
    const h = await harness({
      sandbox: { latencyMs: 1, delay: zohoGate.delay },
      server: { dataDir, revokeConcurrency: CAP },
    });
    const ids = sharedContacts(40);
    const statuses = await Promise.all(ids.map((recordId) => deliver(h.url, { module: 'Contacts', recordId }).then((r) => r.status)));
    await zohoGate.holding(CAP);
    disk.fill();
    // The calls in flight end while the disk is full: their outcomes cannot be written yet.
    zohoGate.open();
    const refused = await Promise.all(sharedContacts(50).slice(40).map((recordId) => deliver(h.url, { module: 'Contacts', recordId })));
    await until('the in-flight calls to end', () => h.sandbox.stats().inFlight === 0 && h.sandbox.stats().revoke.calls >= CAP);
    const whileFull = h.sandbox.stats().revoke.calls;
    const storeErrors = h.logs.filter((l) => l.msg === 'webhook job store error').length;
    disk.free();
    const freedAt = Date.now();
    await h.server.idle();
    const recoverMs = Date.now() - freedAt;
    const body = await jobsOf(h.url);
    const t = await tally(h.sandbox, ids);
    report('sqlite-disk-full', { accepted: statuses.filter((s) => s === 202).length, 'refused 503': refused.filter((r) => r.status === 503).length, revoked: t.revoked, lost: t.lost, 'second calls': t.secondCalls, 'calls while full': whileFull, 'store errors logged': storeErrors, 'most in flight': `${h.sandbox.stats().maxInFlightPerOrg} (cap ${CAP})`, 'recovered in ms': recoverMs });

    expect(statuses).toEqual(Array(ids.length).fill(202));
    for (const r of refused) {
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.body.error).toBe('store_unavailable');
    }
    expect(storeErrors).toBeGreaterThan(0); // the disk really was full for the store
    expect(body.running).toBe(0);
    expect(body.jobs.map((j: any) => j.status)).toEqual(Array(ids.length).fill('revoked'));
    expect(t.lost).toEqual([]);
    expect(t.secondCalls).toEqual([]); // no job was left running to be sent again
    expect(h.sandbox.stats().maxInFlightPerOrg).toBeLessThanOrEqual(CAP);
  }, 60_000);
});

describe('fault: SIGTERM while busy, then a restart (dist/main.js)', () => {
  it('new deliveries get 503 + Retry-After through the grace; the restart honours the slots of calls cut short: the cap holds at the sandbox, every record revoked once', async () => {
    const sandbox = await startSandboxProcess(['--demo-records', '400', '--concurrency-limit', '9']);
    // Each call of the first instance spends 15 s in the sandbox, far longer than the grace (1 s)
    // however loaded the machine, so the calls in flight are cut short and stay in the sandbox's
    // hands past the stop. Their leases (CALL_DEADLINE_SECONDS) cover that.
    await sandbox.configure({ latencyMs: 15_000 });
    const dataDir = tempDataDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, REVOKE_CONCURRENCY: String(CAP), SHUTDOWN_GRACE_SECONDS: '1', CALL_DEADLINE_SECONDS: '20' };
    const first = await startServerProcess(sandbox, env);
    const ids = sharedContacts(30);
    const statuses = await Promise.all(ids.map((recordId) => deliver(first.url, { module: 'Contacts', recordId }).then((r) => r.status)));
    await until(`${CAP} calls in flight`, async () => (await sandbox.stats()).inFlight === CAP);
    const inFlightAtFault = new Set((await jobsOf(first.url)).jobs.filter((j: any) => j.status === 'running').map((j: any) => j.recordId as string));
    first.proc.child.kill('SIGTERM');
    await first.proc.line(/SIGTERM: stopping/);
    const duringGrace = await deliver(first.url, { module: 'Contacts', recordId: sharedContacts(31)[30]! });
    expect((await first.proc.exit).code).toBe(0);
    // The delay is taken when a call arrives: the cut calls keep theirs, the next instance's are quick.
    await sandbox.configure({ latencyMs: 100 });

    const second = await startServerProcess(sandbox, env);
    const upAt = Date.now();
    await until('every job finished', async () => {
      const body = await jobsOf(second.url);
      return body.queued + body.running === 0;
    });
    const recoverMs = Date.now() - upAt;
    const body = await jobsOf(second.url);
    const t = await tally(sandbox, ids);
    const maxInFlight = await sandbox.maxInFlightPerOrg();
    report('sigterm-restart', { accepted: statuses.filter((s) => s === 202).length, revoked: t.revoked, lost: t.lost, 'second calls': t.secondCalls, 'in flight at the fault': inFlightAtFault.size, 'leases honoured': body.counters.leasesHonoured, 'most in flight': `${maxInFlight} (cap ${CAP})`, 'recovered in ms': recoverMs });

    expect(duringGrace.status).toBe(503);
    expect(duringGrace.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(statuses).toEqual(Array(ids.length).fill(202));
    expect(body.jobs.filter((j: any) => !['revoked', 'already_not_shared'].includes(j.status))).toEqual([]);
    expect(t.lost).toEqual([]);
    expect(t.revokedTwice).toEqual([]);
    for (const id of t.secondCalls) expect(inFlightAtFault.has(id)).toBe(true);
    expect(body.counters.leasesHonoured).toBeGreaterThanOrEqual(1);
    expect(maxInFlight).toBeLessThanOrEqual(CAP);
  }, 120_000);
});

describe('fault: the store file deleted while the server is stopped', () => {
  it('start-up refuses, naming the file and START_AFRESH; with START_AFRESH=1 it starts on an empty store', async () => {
    const sandbox: SandboxProc = await startSandboxProcess(['--demo-records', '100']);
    await sandbox.configure({ latencyMs: 60_000 }); // the jobs stay queued in the store
    const dataDir = tempDataDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, REVOKE_CONCURRENCY: '1', SHUTDOWN_GRACE_SECONDS: '0' };
    const first = await startServerProcess(sandbox, env);
    const ids = sharedContacts(12);
    for (const recordId of ids) expect((await deliver(first.url, { module: 'Contacts', recordId })).status).toBe(202);
    first.proc.child.kill('SIGTERM');
    expect((await first.proc.exit).code).toBe(0);
    const file = join(dataDir, 'webhook-jobs.sqlite');
    expect(existsSync(join(dataDir, 'store-id'))).toBe(true);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });

    const refused = spawnNode(MAIN, [], { PORT: '0', WEBHOOK_SECRET: 'test-webhook-secret-5f1c9a7e2b', ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken, ZOHO_BASE_URL: sandbox.apiBaseUrl, ...env });
    expect((await refused.exit).code).toBe(1);
    const line = JSON.parse(refused.stderr().trim().split('\n').at(-1)!);
    expect(line.msg).toContain(file);
    expect(line.msg).toContain('START_AFRESH=1');
    expect(line.variable).toBe('START_AFRESH');
    expect(refused.stdout()).not.toMatch(/listening/);
    expect(existsSync(file)).toBe(false); // nothing created in its place
    report('store-deleted', { accepted: ids.length, 'start-up refused': 1 });

    const afresh = await startServerProcess(sandbox, { ...env, START_AFRESH: '1' });
    expect((await jobsOf(afresh.url)).jobs).toEqual([]);
    afresh.proc.child.kill('SIGTERM');
    await afresh.proc.exit;
  }, 60_000);

  it('a store file from another folder in its place is refused too; an existing store without a marker gets one', async () => {
    const a = tempDataDir();
    const b = tempDataDir();
    cleanups.push(() => rmSync(a, { recursive: true, force: true }), () => rmSync(b, { recursive: true, force: true }));
    const h = await harness({ server: { dataDir: a } });
    const open = (dataDir: string, startAfresh = false) => createExampleServer({ zoho: { auth: { accessToken: 'x' }, baseUrl: h.sandbox.apiBaseUrl }, dataDir, startAfresh, log: () => {} });
    await h.close();
    let other: ExampleServer = await open(b);
    await other.close();
    // b's store file copied over a's.
    mkdirSync(a, { recursive: true });
    const { copyFileSync } = await import('node:fs');
    copyFileSync(join(b, 'webhook-jobs.sqlite'), join(a, 'webhook-jobs.sqlite'));
    await expect(open(a)).rejects.toThrow(/says this folder's store is .*START_AFRESH=1/);
    other = await open(a, true);
    await other.close();
    // A store from before markers: the marker is added, and the next start accepts it.
    rmSync(join(b, 'store-id'));
    other = await open(b);
    await other.close();
    expect(existsSync(join(b, 'store-id'))).toBe(true);
    other = await open(b);
    await other.close();
  });
});
