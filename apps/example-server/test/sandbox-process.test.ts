// The fault helper the Zoho-outage tests stand on: the sandbox stopped (connections refused) and
// started again on the same port, its records' state and counters kept through its --state file.
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { afterEach, expect, it } from 'vitest';
import { contactId } from './helpers.ts';
import { killAll, startSandboxProcess } from './processes.ts';

afterEach(() => killAll());

it('stop() refuses connections; start() answers on the same URL with each record as it was, the most calls in flight kept', async () => {
  const sandbox = await startSandboxProcess(['--demo-records', '20']);
  const revoke = (id: string) =>
    fetch(`${sandbox.apiBaseUrl}/Contacts/${id}/actions/share`, { method: 'DELETE', headers: { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}` } });
  expect((await revoke(contactId(1))).status).toBe(200);
  expect(await sandbox.maxInFlightPerOrg()).toBe(1);
  await sandbox.stop();
  await expect(revoke(contactId(2))).rejects.toThrow(TypeError); // fetch failed: refused
  await sandbox.start();
  expect(await sandbox.record('Contacts', contactId(1))).toMatchObject({ revokeCalls: 1, revokeSuccesses: 1, shares: 0 });
  expect(await sandbox.record('Contacts', contactId(2))).toMatchObject({ revokeCalls: 0 });
  expect((await sandbox.stats()).maxInFlightPerOrg).toBe(0); // a new process counts afresh...
  expect(await sandbox.maxInFlightPerOrg()).toBe(1); // ...and the helper keeps the earlier highest
  expect((await revoke(contactId(1))).status).toBe(400); // nothing left to revoke: the state was kept
});
