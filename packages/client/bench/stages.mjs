// What each stage of a call costs (benchmark, not a test): the client's work built up piece by piece
// over @zcrm-sharing/client/node's direct path, each piece paired call by call against a bare
// node:http request to the same local server (the server in its own process), and the fetch path's
// own parts against a raw fetch. A ratio above the one before it is what that piece adds.
// Run: node bench/stages.mjs (after ./dev build; it bundles the private modules from src/ itself).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { createZohoCrmClient } from '../dist/index.js';
import { createNodeFetch } from '../dist/node.js';
import { ID, paired, startRevokeServer } from './local.mjs';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'zcrm-stages-'));
writeFileSync(
  join(scratch, 'entry.ts'),
  `export { factsOf } from ${JSON.stringify(join(src, 'internal/response.ts'))};
   export { createSecretSet } from ${JSON.stringify(join(src, 'redact.ts'))};
   export { documented } from ${JSON.stringify(join(src, 'shape.ts'))};
   export { REVOKE_SHARED_RECORD_SUCCESS } from ${JSON.stringify(join(src, 'generated/success.ts'))};
   export { attemptDeadline } from ${JSON.stringify(join(src, 'internal/deadline.ts'))};
   export { validateRecordId, validateRevocableModule } from ${JSON.stringify(join(src, 'validate.ts'))};
   export { recordPath, statusObject } from ${JSON.stringify(join(src, 'operations/common.ts'))};
   export { REVOKE_SHARED_RECORD } from ${JSON.stringify(join(src, 'generated/zoho.ts'))};
   export { requesterFor } from ${JSON.stringify(join(src, 'http.ts'))};`,
);
await build({ entryPoints: [join(scratch, 'entry.ts')], bundle: true, format: 'esm', platform: 'node', outfile: join(scratch, 'stages.mjs'), logLevel: 'warning' });
const m = await import(pathToFileURL(join(scratch, 'stages.mjs')).href);
rmSync(scratch, { recursive: true, force: true });

const server = await startRevokeServer();
const { base, url } = server;
const input = { module: 'Contacts', recordId: ID };
const bare = { authorization: 'Zoho-oauthtoken bench-token' };
const sent = { accept: 'application/json', authorization: 'Zoho-oauthtoken bench-token' };
const nodeFetch = createNodeFetch({ maxSockets: 8 });
const direct = nodeFetch[Object.getOwnPropertySymbols(nodeFetch)[0]]; // the transport's direct path
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const secrets = m.createSecretSet(['bench-token']);
const noDeadline = { onCancel() {} };
const viaNode = createZohoCrmClient({ auth: { accessToken: 'bench-token' }, baseUrl: base, fetch: nodeFetch });
const viaFetchRequester = m.requesterFor(globalThis.fetch);
/** The answer through the fetch requester, within a deadline like the client's. */
async function fetched(headers, deadline = m.attemptDeadline(30_000, undefined, true)) {
  try {
    return await viaFetchRequester({ url, method: 'DELETE', headers, maxBytes: 1 << 20 }, deadline);
  } finally {
    deadline.dispose();
  }
}
const viaFetch = createZohoCrmClient({ auth: { accessToken: 'bench-token' }, baseUrl: base });

/** The answer through the direct path, within a deadline like the client's (held: the socket holds the process). */
async function answer(u, headers, deadline = m.attemptDeadline(30_000, undefined, true)) {
  try {
    return await direct({ url: u, method: 'DELETE', headers, maxBytes: 1 << 20 }, deadline);
  } finally {
    deadline.dispose?.();
  }
}

const node = {
  rawNodeHttp: () =>
    new Promise((resolve, reject) => {
      http
        .request(url, { method: 'DELETE', headers: bare, agent }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        })
        .on('error', reject)
        .end();
    }),
  '+ the direct path (no deadline)': async () => JSON.parse((await answer(url, bare, noDeadline)).text),
  '+ the attempt deadline': async () => JSON.parse((await answer(url, bare)).text),
  '+ reading (redact, parse, repeated keys)': async () => m.factsOf(await answer(url, bare), secrets.redact).json,
  '+ the client headers': async () => m.factsOf(await answer(url, sent), secrets.redact).json,
  '+ input checks and the path': async () => {
    const recordId = m.validateRecordId(input.recordId);
    const u = base + m.recordPath(m.REVOKE_SHARED_RECORD.path, m.validateRevocableModule(input.module), recordId);
    return m.factsOf(await answer(u, sent), secrets.redact).json;
  },
  '+ the success check and result': async () => {
    const recordId = m.validateRecordId(input.recordId);
    const u = base + m.recordPath(m.REVOKE_SHARED_RECORD.path, m.validateRevocableModule(input.module), recordId);
    const c = m.documented(m.factsOf(await answer(u, sent), secrets.redact), m.REVOKE_SHARED_RECORD_SUCCESS, { record_id: recordId });
    return m.statusObject(c.value.share);
  },
  'the client over client/node': () => viaNode.revokeSharedRecord(input),
};
const headers = bare;
const viaFetchParts = {
  rawFetch: async () => JSON.parse(await (await fetch(url, { method: 'DELETE', headers })).text()),
  "+ redirect: 'manual'": async () => JSON.parse(await (await fetch(url, { method: 'DELETE', headers, redirect: 'manual' })).text()),
  '+ an AbortSignal per call': async () => JSON.parse(await (await fetch(url, { method: 'DELETE', headers, redirect: 'manual', signal: new AbortController().signal })).text()),
  '+ its timer (unref)': async () => {
    const c = new AbortController();
    const t = setTimeout(() => c.abort(), 30_000);
    t.unref();
    try {
      return JSON.parse(await (await fetch(url, { method: 'DELETE', headers, redirect: 'manual', signal: c.signal })).text());
    } finally {
      clearTimeout(t);
    }
  },
  '+ the fetch requester (body read capped)': async () => JSON.parse((await fetched(headers)).text),
  '+ reading (redact, parse, repeated keys) ': async () => m.factsOf(await fetched(headers), secrets.redact).json,
  '+ the client headers ': async () => m.factsOf(await fetched(sent), secrets.redact).json,
  'the client over fetch': () => viaFetch.revokeSharedRecord(input),
};

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const set of [node, viaFetchParts]) {
  const [baseline, ...rest] = Object.keys(set);
  for (const name of rest) console.log(`${name.padEnd(44)} ${(await paired(set[baseline], set[name], 4000)).toFixed(3)}x ${baseline}`);
}
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
nodeFetch.close();
agent.destroy();
server.stop();
