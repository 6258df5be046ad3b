// In-process sandbox benchmark (not a test). Run: pnpm --filter @zcrm-sharing/sandbox bench:in-process
// (after ./dev build). A client round trip (getSharedRecordDetails, then revokeSharedRecord of another
// record: a read and a write, each a full call through the client: request built, sent, answered,
// checked against the spec's success) against the same sandbox engine:
//   - in process: createSandbox().fetch given to the client (no socket);
//   - over HTTP: startSandbox() in this same process (as a test suite starts it) and the client on
//     Node's global fetch, and on @zcrm-sharing/client/node's keep-alive fetch.
// Calls are sequential (a test's calls are), in blocks that alternate between the three for ROUNDS rounds,
// so a change in the machine's load hits all of them; reported: each one's median µs per round trip
// and the ratios over HTTP / in process (median of the rounds' ratios).
import { createZohoCrmClient } from '@zcrm-sharing/client';
import { createNodeFetch } from '@zcrm-sharing/client/node';
import { createSandbox, DEMO_CREDENTIALS, demoSeed, startSandbox } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const FIRST = 4150868000001148212n;
const RECORDS = (ROUNDS + 1) * CALLS * 3 + 10;
const seed = demoSeed({ records: RECORDS });
const auth = { accessToken: DEMO_CREDENTIALS.accessToken };

const local = createSandbox({ seed });
const server = await startSandbox({ seed });
const nodeFetch = createNodeFetch();
const subjects = {
  inProcess: createZohoCrmClient({ auth, fetch: local.fetch, dataCenter: 'eu', maxRetries: 0 }),
  httpGlobalFetch: createZohoCrmClient({ auth, baseUrl: server.apiBaseUrl, maxRetries: 0 }),
  httpNodeFetch: createZohoCrmClient({ auth, baseUrl: server.apiBaseUrl, fetch: nodeFetch, maxRetries: 0 }),
};

// Each subject revokes its own records: every revoke meets a record that is still shared (or, every
// tenth, one seeded without shares: NothingToRevokeError, caught, as a user would).
let next = 0n;
async function roundTrips(zoho, calls) {
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const recordId = String(FIRST + next++);
    await zoho.getSharedRecordDetails({ module: 'Contacts', recordId });
    await zoho.revokeSharedRecord({ module: 'Contacts', recordId }).catch((e) => {
      if (e.name !== 'NothingToRevokeError') throw e;
    });
  }
  return ((performance.now() - start) / calls) * 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
for (const zoho of Object.values(subjects)) await roundTrips(zoho, Math.min(200, CALLS)); // warm-up
const perRound = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [name, zoho] of Object.entries(subjects)) perRound[name].push(await roundTrips(zoho, CALLS));
await server.close();
nodeFetch.close();

const ratio = (name) => +median(perRound[name].map((us, i) => us / perRound.inProcess[i])).toFixed(1);
const results = {
  machine: `${process.platform} ${process.arch}, node ${process.version}`,
  roundTrip: 'getSharedRecordDetails + revokeSharedRecord, sequential, through the client',
  rounds: ROUNDS,
  callsPerRound: CALLS,
  medianMicrosecondsPerRoundTrip: Object.fromEntries(Object.entries(perRound).map(([k, v]) => [k, Math.round(median(v))])),
  ratioOverInProcess: { httpGlobalFetch: ratio('httpGlobalFetch'), httpNodeFetch: ratio('httpNodeFetch') },
  revokes: { inProcess: local.stats().revoke, http: server.stats().revoke },
};
console.log(JSON.stringify(results, null, 2));
