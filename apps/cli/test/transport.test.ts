// The CLI's node:http fetch: what the client relies on from fetch, checked against a real server and the sandbox.
import { createServer, type Server } from 'node:http';
import { createZohoCrmClient, ConnectionError, NothingToRevokeError, TimeoutError } from '@zcrm-sharing/client';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeFetch } from '../src/transport.ts';

const servers: Server[] = [];
const transports: ReturnType<typeof createNodeFetch>[] = [];
afterEach(async () => {
  transports.splice(0).forEach((t) => t.close());
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
function transport() {
  const t = createNodeFetch({ maxSockets: 4 });
  transports.push(t);
  return t;
}
async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('createNodeFetch', () => {
  it('sends method, headers and body; returns status, headers and the whole body', async () => {
    let seen: { method?: string; auth?: string; type?: string; body: string } = { body: '' };
    const url = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, auth: req.headers.authorization, type: req.headers['content-type'], body };
        res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '3' });
        res.write('{"a":');
        res.end('"4150868000001148212"}');
      });
    });
    const res = await transport()(`${url}/x?y=1`, {
      method: 'POST',
      headers: { authorization: 'Zoho-oauthtoken t', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token' }),
    });
    expect(seen).toEqual({ method: 'POST', auth: 'Zoho-oauthtoken t', type: 'application/x-www-form-urlencoded', body: 'grant_type=refresh_token' });
    expect(res.status).toBe(201);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.text()).toBe('{"a":"4150868000001148212"}');
  });

  it('answers 204 with an empty body', async () => {
    const url = await listen((_req, res) => res.writeHead(204).end());
    const res = await transport()(url, { method: 'GET' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('rejects a refused connection as fetch does, so the client reports it as refused', async () => {
    const url = await listen(() => {});
    await new Promise((r) => servers.pop()!.close(r)); // nothing listens there now
    const err = await transport()(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as { cause: { code: string } }).cause.code).toBe('ECONNREFUSED');
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: `${url}/crm/v8`, fetch: transport(), maxRetries: 0 });
    const failure = await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect((failure as ConnectionError).refused).toBe(true);
  });

  it('aborts with the signal, mid-response too, and the client turns a deadline into TimeoutError', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{'); // never ends
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(transport()(url, { signal: controller.signal })).rejects.toThrow('stop');
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: `${url}/crm/v8`, fetch: transport(), timeoutMs: 50, maxRetries: 0 });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: '1' })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('carries the client end to end against the sandbox: refresh grant, revoke, nothing to revoke', async () => {
    const sandbox = await startSandbox({ seed: demoSeed({ records: 20 }) });
    try {
      const client = createZohoCrmClient({
        auth: { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken },
        baseUrl: sandbox.apiBaseUrl,
        tokenUrl: sandbox.tokenUrl,
        fetch: transport(),
      });
      const id = '4150868000001148213';
      const revoked = await client.revokeSharedRecord({ module: 'Contacts', recordId: id });
      expect(revoked.details.id).toBe(id);
      await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: id })).rejects.toBeInstanceOf(NothingToRevokeError);
      expect(sandbox.stats().tokenRefreshes).toBe(1);
    } finally {
      await sandbox.close();
    }
  });
});
