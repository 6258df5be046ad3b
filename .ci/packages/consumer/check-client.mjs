// What a user of @zcrm-sharing/client does first, with the module as their project loaded it (import or
// require()): one rerun and one revoke against a local stand-in for Zoho that answers as the spec says.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';

const RECORD_ID = '4150868000001148212'; // > 2^53: must arrive and come back as the same string

export async function checkClient(client, how) {
  assert.equal(typeof client.createZohoCrmClient, 'function', `${how}: createZohoCrmClient`);
  const viaImport = await import('@zcrm-sharing/client');
  assert.deepEqual(Object.keys(client).sort(), Object.keys(viaImport).sort(), `${how} and import() see the same exports`);

  const seen = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' && req.url === '/crm/v8/settings/data_sharing/rules/actions/run?module=Leads') {
      res.end(JSON.stringify({ sharing_rules: [{ code: 'SCHEDULED', details: {}, message: 'Rerun successfully scheduled', status: 'success' }] }));
    } else if (req.method === 'DELETE' && req.url === `/crm/v8/Contacts/${RECORD_ID}/actions/share`) {
      res.end(`{"share":{"code":"SUCCESS","details":{"id":"${RECORD_ID}"},"message":"Sharing Revoked","status":"success"}}`);
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ code: 'INVALID_URL_PATTERN', details: {}, message: 'Please check if the URL trying to access is a correct one', status: 'error' }));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const zoho = client.createZohoCrmClient({ auth: { accessToken: 'package-test' }, baseUrl: `http://127.0.0.1:${server.address().port}/crm/v8`, maxRetries: 0 });
    const rerun = await zoho.rerunDataSharingRules({ module: 'Leads' });
    assert.equal(rerun.code, 'SCHEDULED', `${how}: rerun`);
    const revoke = await zoho.revokeSharedRecord({ module: 'Contacts', recordId: RECORD_ID });
    assert.equal(revoke.details.id, RECORD_ID, `${how}: revoke keeps the id a string`);
    assert.deepEqual(seen.map((s) => s.split(' ').slice(-2).join(' ')), ['Zoho-oauthtoken package-test', 'Zoho-oauthtoken package-test']);
  } finally {
    server.close();
  }
  console.log(`client via ${how}: rerun SCHEDULED, revoke SUCCESS for ${RECORD_ID}`);
}
