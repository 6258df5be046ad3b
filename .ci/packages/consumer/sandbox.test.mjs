// The sandbox as a test double in a user's own suite (node:test here; vitest's beforeAll/afterAll are the
// same shape): started from the installed package (which needs no other package at run time).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createZohoCrmClient, InvalidInputError, NothingToRevokeError, SchedulerBusyError } from '@zcrm-sharing/client';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';

const seed = demoSeed({ records: 20 });
const shared = seed.records.find((r) => r.module === 'Contacts' && r.shares.length > 0).id;
let sandbox;
let zoho;

before(async () => {
  // A rerun that outlasts the test, so the second one meets a busy scheduler.
  sandbox = await startSandbox({ seed, rerunDurationMs: 600_000 });
  const { clientId, clientSecret, refreshToken } = DEMO_CREDENTIALS;
  zoho = createZohoCrmClient({ auth: { clientId, clientSecret, refreshToken }, baseUrl: sandbox.apiBaseUrl, tokenUrl: sandbox.tokenUrl, maxRetries: 0 });
});
after(() => sandbox?.close());

test('a rerun is scheduled; a second one while it computes is SchedulerBusyError', async () => {
  assert.equal((await zoho.rerunDataSharingRules({ module: 'Leads' })).code, 'SCHEDULED');
  await assert.rejects(zoho.rerunDataSharingRules({ module: 'Leads' }), SchedulerBusyError);
  assert.equal((await zoho.getDataSharingRulesSummary({ module: 'Leads' })).rule_computation_status, true);
});

test('a revoke empties the record; the next one is NothingToRevokeError; the sandbox saw both', async () => {
  assert.equal((await zoho.revokeSharedRecord({ module: 'Contacts', recordId: shared })).code, 'SUCCESS');
  await assert.rejects(zoho.revokeSharedRecord({ module: 'Contacts', recordId: shared }), NothingToRevokeError);
  assert.deepEqual({ ...sandbox.record('Contacts', shared) }, { ...sandbox.record('Contacts', shared), shares: 0, revokeCalls: 2, revokeSuccesses: 1 });
});

test('requests are checked against the spec (a bad record id never reaches the sandbox)', async () => {
  await assert.rejects(zoho.revokeSharedRecord({ module: 'Contacts', recordId: '12x' }), InvalidInputError);
  const res = await fetch(`${sandbox.apiBaseUrl}/Contacts/12x/actions/share`, { method: 'DELETE', headers: { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}` } });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).message, 'ENTITY_ID_INVALID');
});
