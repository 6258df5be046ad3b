// 50 calls in flight sharing one AbortSignal, through @zcrm-sharing/client over the global fetch and over
// @zcrm-sharing/client/node, as a bulk job shares one Ctrl-C signal: no process warning of any kind
// (Node 20 and 22 printed MaxListenersExceededWarning when each call added its own abort listener).
// Exits 1 on any 'warning' event, or when a call does not come back revoked.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createZohoCrmClient } from '@zcrm-sharing/client';
import { createNodeFetch } from '@zcrm-sharing/client/node';

const CALLS = 50;
const RECORD_ID = '4150868000001148212';
const warnings = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));

// Holds every request until all CALLS are in flight, then answers them all.
let held = [];
const server = createServer((req, res) => {
  req.resume();
  held.push(res);
  if (held.length < CALLS) return;
  const body = `{"share":{"code":"SUCCESS","details":{"id":"${RECORD_ID}"},"message":"Sharing Revoked","status":"success"}}`;
  for (const r of held.splice(0)) r.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const baseUrl = `http://127.0.0.1:${server.address().port}/crm/v8`;

const nodeFetch = createNodeFetch({ maxSockets: CALLS });
try {
  for (const [name, fetch] of [['global fetch', globalThis.fetch], ['@zcrm-sharing/client/node', nodeFetch]]) {
    const zoho = createZohoCrmClient({ auth: { accessToken: 'package-test' }, baseUrl, fetch, maxRetries: 0 });
    const controller = new AbortController();
    const results = await Promise.all(Array.from({ length: CALLS }, () => zoho.revokeSharedRecord({ module: 'Contacts', recordId: RECORD_ID }, { signal: controller.signal })));
    assert.equal(results.filter((r) => r.details.id === RECORD_ID).length, CALLS, `${name}: every call revoked`);
  }
} finally {
  nodeFetch.close();
  server.close();
}
await new Promise((r) => setImmediate(r)); // a warning is emitted on the next tick
if (warnings.length) {
  console.error(`shared signal: ${warnings.length} process warning(s):\n  ${warnings.join('\n  ')}`);
  process.exit(1);
}
console.log(`shared signal: ${CALLS} calls in flight on one AbortSignal, over the global fetch and over @zcrm-sharing/client/node, no process warning`);
