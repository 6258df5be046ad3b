// An answer cut short is never proof, even when the part that came is the whole documented success:
// the connection closed before the declared length, before the chunked body's last chunk, or reset
// after it. Either transport: a ConnectionError (not refused: the request may have arrived) whose
// message says no whole answer came. A body delimited by the connection's close (no length, HTTP/1.0)
// is whole when the connection closes, and is read as Zoho's answer.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionError, createZohoCrmClient } from '../src/index.ts';
import { createNodeFetch } from '../src/node.ts';

const ID = '4150868000001148212';
const BODY = JSON.stringify({ share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } });
const head = (lines: string) => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${lines}\r\n`;
const chunk = `${Buffer.byteLength(BODY).toString(16)}\r\n${BODY}\r\n`;

const CUT: Record<string, (s: net.Socket) => void> = {
  'closed before its declared length': (s) => s.end(`${head(`Content-Length: ${Buffer.byteLength(BODY) + 20}\r\n`)}${BODY}`),
  'closed before the last chunk': (s) => s.end(`${head('Transfer-Encoding: chunked\r\n')}${chunk}`),
  'reset after the body, before the last chunk': (s) => {
    s.write(`${head('Transfer-Encoding: chunked\r\n')}${chunk}`, () => setImmediate(() => s.resetAndDestroy()));
  },
};
const WHOLE: Record<string, (s: net.Socket) => void> = {
  'delimited by the close (no length)': (s) => s.end(`${head('Connection: close\r\n')}${BODY}`),
  'HTTP/1.0': (s) => s.end(`HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n${BODY}`),
};

const servers: net.Server[] = [];
const nodeFetch = createNodeFetch();
afterAll(() => {
  nodeFetch.close();
  for (const s of servers) s.close();
});
async function serve(answer: (s: net.Socket) => void): Promise<string> {
  const server = net.createServer((s) => s.once('data', () => answer(s)));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const revoke = (origin: string, fetch?: typeof globalThis.fetch) =>
  createZohoCrmClient({ auth: { accessToken: 'token-1234' }, baseUrl: `${origin}/crm/v8`, maxRetries: 0, timeoutMs: 5_000, ...(fetch && { fetch }) }).revokeSharedRecord({ module: 'Contacts', recordId: ID });

describe.each([
  ['the global fetch', undefined],
  ['@zcrm-sharing/client/node', nodeFetch],
] as const)('over %s', (_, fetch) => {
  it.each(Object.entries(CUT))('a success %s: ConnectionError, never the success', async (_, cut) => {
    const origin = await serve(cut);
    const err = await revoke(origin, fetch).then(
      (v) => expect.fail(`read as a success: ${JSON.stringify(v)}`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ refused: false, message: `revokeSharedRecord: no whole answer from ${origin}` });
  });

  it.each(Object.entries(WHOLE))('a success %s: read whole, the success', async (_, whole) => {
    expect((await revoke(await serve(whole), fetch)).details.id).toBe(ID);
  });
});
