// A 202 means the revoke will happen: 250 deliveries accepted, the server killed with SIGKILL while
// calls are in flight and the rest queued, started again on the same DATA_DIR: every record is
// revoked, once. The sandbox runs in its own process, so its per-record counters outlive the kill.
import { rmSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { deliver, tempDataDir } from './helpers.ts';
import { finished, killAll, revokedOnce, sharedContacts, startSandboxProcess, startServerProcess, until } from './processes.ts';

const RECORDS = 250;
const CAP = 4;
const dataDirs: string[] = [];
afterEach(() => {
  killAll();
  for (const d of dataDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it(`SQLite: ${RECORDS} deliveries answered 202, SIGKILL with calls in flight and jobs queued, restart on the same DATA_DIR: each record revoked once`, async () => {
  const sandbox = await startSandboxProcess(['--demo-records', '600', '--concurrency-limit', '5']);
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  // CALL_DEADLINE_SECONDS: the killed calls (500 ms each) hold their slots for 2 s after they started, across the restart.
  const env = { DATA_DIR: dataDir, REVOKE_CONCURRENCY: String(CAP), JOB_LOG_SIZE: '1000', CALL_DEADLINE_SECONDS: '2' };
  // Each call spends 500 ms in the sandbox: the kill below, once some jobs are done and CAP calls are in
  // flight, leaves work queued and in flight however fast or slow the machine is.
  await sandbox.configure({ latencyMs: 500 });
  const first = await startServerProcess(sandbox, env);
  const ids = sharedContacts(RECORDS);
  const statuses = await Promise.all(ids.map((recordId) => deliver(first.url, { module: 'Contacts', recordId }).then((r) => r.status)));
  await until(`20 jobs done and ${CAP} calls in flight`, async () => (await finished(first.url)).done >= 20 && (await sandbox.stats()).inFlight === CAP);
  const before = await finished(first.url);
  first.proc.child.kill('SIGKILL');
  expect((await first.proc.exit).signal).toBe('SIGKILL');

  // The killed server's calls are still in the sandbox's hands (as they would be in Zoho's): let them end.
  await sandbox.configure({ latencyMs: 0 });
  await until('the killed calls to end', async () => (await sandbox.stats()).inFlight === 0);

  const second = await startServerProcess(sandbox, env);
  await until('every job finished', async () => (await finished(second.url)).pending === 0);
  const after = await finished(second.url);
  const counts = await revokedOnce(sandbox, ids);
  const stats = await sandbox.stats();
  const resumed = after.jobs.filter((j) => j.interruptions > 0);
  console.log(
    `sqlite: ${ids.length} deliveries, ${statuses.filter((s) => s === 202).length} accepted (202), ${before.done} done before the kill, ` +
      `${after.done - before.done} done after the restart (${resumed.length} resumed from in flight: ${resumed.map((j) => j.status).join(', ')}), ` +
      `${counts.revoked} records revoked, ${counts.revokedTwice} revoked twice, max in flight ${stats.maxInFlightPerOrg} (cap ${CAP})`,
  );
  expect(statuses).toEqual(Array(RECORDS).fill(202));
  expect(before.done).toBeLessThan(RECORDS - CAP); // the kill really interrupted the work
  expect(counts.notRevoked).toEqual([]);
  expect(counts.revokedTwice).toBe(0);
  expect(after.done).toBe(RECORDS);
  // The jobs in flight at the kill ran again; those whose call had reached Zoho found nothing left to
  // revoke, and say so (already_not_shared after an interruption).
  expect(resumed.length).toBeGreaterThanOrEqual(1);
  expect(resumed.length).toBeLessThanOrEqual(CAP);
  for (const j of resumed) {
    expect(j).toMatchObject({ interruptions: 1, attempts: 2 });
    expect(['already_not_shared', 'revoked']).toContain(j.status);
  }
  expect(stats.maxInFlightPerOrg).toBeLessThanOrEqual(CAP);
}, 120_000);
