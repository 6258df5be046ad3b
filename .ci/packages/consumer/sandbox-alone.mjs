// The sandbox tarball installed alone (no client, no @zcrm-sharing/openapi): both entries import, the
// in-process sandbox answers a revoke on Zoho's EU URL, the HTTP server starts and answers the same.
import assert from 'node:assert/strict';
import { startSandbox } from '@zcrm-sharing/sandbox';
import { createSandbox, DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox/fetch';

const path = '/crm/v8/Contacts/4150868000001148212/actions/share';
const init = { method: 'DELETE', headers: { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}` } };
const local = createSandbox();
const inProcess = await local.fetch(`https://www.zohoapis.eu${path}`, init);
const server = await startSandbox();
const overHttp = await fetch(`${server.url}${path}`, init);
assert.deepEqual([inProcess.status, await inProcess.text()], [overHttp.status, await overHttp.text()]);
assert.equal(inProcess.status, 200);
await server.close();
console.log('sandbox alone: ok');
