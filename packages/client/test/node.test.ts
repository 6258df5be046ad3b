// `@zcrm-sharing/client/node`: the keep-alive node:http fetch, checked for what the client relies on
// from fetch, and for the bounds: it streams (so the body cap drops the connection), never follows a
// redirect, and ends on abort.
import { startHostileServer } from '@zcrm-sharing/test-support/hostile-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionError, createZohoCrmClient, TimeoutError, UnexpectedResponseError, ZohoApiError } from '../src/index.ts';
import { createNodeFetch, type NodeFetch } from '../src/node.ts';
import { localServers } from './helpers.ts';

const { listen, closeLast, closeAll } = localServers();
const transports: NodeFetch[] = [];
afterEach(async () => {
  transports.splice(0).forEach((t) => t.close());
  await closeAll();
});
function transport() {
  const t = createNodeFetch({ maxSockets: 4 });
  transports.push(t);
  return t;
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

  it('never follows a redirect: the 3xx comes back with its Location; redirect: error rejects', async () => {
    let followed = 0;
    const target = await listen((_req, res) => (followed++, res.end('elsewhere')));
    const url = await listen((_req, res) => res.writeHead(307, { location: `${target}/x` }).end());
    const res = await transport()(url, { method: 'POST', body: 'secret=1', redirect: 'follow' });
    expect([res.status, res.headers.get('location')]).toEqual([307, `${target}/x`]);
    await expect(transport()(url, { redirect: 'error' })).rejects.toBeInstanceOf(TypeError);
    expect(followed).toBe(0);
  });

  it('streams the body: cancelling it drops the connection, so the client cap stops a huge body early', async () => {
    const hostile = await startHostileServer({ mode: 'huge-body' });
    try {
      const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: hostile.apiBaseUrl, fetch: transport(), maxResponseBytes: 1 << 20, maxRetries: 0 });
      const err = await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnexpectedResponseError);
      await vi.waitFor(() => expect(hostile.stats.droppedByClient).toBe(1));
      expect(hostile.stats.bodyBytesSent).toBeLessThan(20 * 1024 * 1024); // of 100 MB: socket buffers, not the body
    } finally {
      await hostile.close();
    }
  });

  it('rejects a refused connection as fetch does, so the client reports it as refused', async () => {
    const url = await listen(() => {});
    await closeLast(); // nothing listens there now
    const err = await transport()(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as { cause: { code: string } }).cause.code).toBe('ECONNREFUSED');
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: `${url}/crm/v8`, fetch: transport(), maxRetries: 0 });
    const failure = await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect((failure as ConnectionError).refused).toBe(true);
  });

  it('aborts with the signal, mid-response too, and the client turns a deadline into TimeoutError', async () => {
    const controller = new AbortController();
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{', () => controller.abort(new Error('stop'))); // and never ends
    });
    await expect(transport()(url, { signal: controller.signal })).rejects.toThrow('stop');
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: `${url}/crm/v8`, fetch: transport(), timeoutMs: 50, maxRetries: 0 });
    await expect(client.revokeSharedRecord({ module: 'Contacts', recordId: '1' })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('a large body streams: past 64 KiB the Response arrives and reads the rest as it comes', async () => {
    const big = 'x'.repeat(300 * 1024);
    const url = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(big));
    const res = await transport()(url);
    expect((await res.text()).length).toBe(big.length);
  });

  it('carries the client end to end: the refresh grant, then the revoke, on keep-alive sockets', async () => {
    const hostile = await startHostileServer({ mode: 'success' });
    try {
      const client = createZohoCrmClient({
        auth: { clientId: 'id', clientSecret: 'client-secret', refreshToken: 'refresh-token' },
        baseUrl: hostile.apiBaseUrl,
        tokenUrl: hostile.tokenUrl,
        fetch: transport(),
      });
      for (const id of ['4150868000001148212', '4150868000001148213']) expect((await client.revokeSharedRecord({ module: 'Contacts', recordId: id })).details.id).toBe(id);
      expect(hostile.minted).toHaveLength(1);
      expect(hostile.requests.map((r) => r.method)).toEqual(['POST', 'DELETE', 'DELETE']);
    } finally {
      await hostile.close();
    }
  });

  it('refuses a body type it does not send', async () => {
    await expect(transport()('http://127.0.0.1:1/', { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(/string, URLSearchParams or bytes/);
  });
});

describe("the client's direct path through createNodeFetch", () => {
  const ID = '4150868000001148212';
  const REVOKED = `{"share":{"code":"SUCCESS","details":{"id":"${ID}"},"message":"Sharing Revoked","status":"success"}}`;
  const clientAt = (url: string, options: { maxResponseBytes?: number } = {}) =>
    createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: `${url}/crm/v8`, fetch: transport(), maxRetries: 0, ...options });

  it('builds no Response per call (the fetch interface does)', async () => {
    const url = await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(REVOKED));
    const made = vi.spyOn(globalThis, 'Response');
    try {
      const client = clientAt(url);
      for (let i = 0; i < 3; i++) expect((await client.revokeSharedRecord({ module: 'Contacts', recordId: ID })).details.id).toBe(ID);
      expect(made).not.toHaveBeenCalled();
      await (await transport()(url)).text();
      expect(made).toHaveBeenCalledTimes(1);
    } finally {
      made.mockRestore();
    }
  });

  it('sends each header once: Host, the client\'s own over any the caller gave in whatever case, the rest as given', async () => {
    const lines: string[][] = [];
    const url = await listen((req, res) => {
      lines.push(req.rawHeaders.map((h, i) => (i % 2 ? h : h.toLowerCase())));
      res.writeHead(200, { 'content-type': 'application/json' }).end(REVOKED);
    });
    const caller = { Authorization: 'Zoho-oauthtoken stolen', ACCEPT: 'text/html', 'X-Trace': 'a' };
    for (const fetch of [transport(), globalThis.fetch]) {
      const client = createZohoCrmClient({ auth: { accessToken: 'mine' }, baseUrl: `${url}/crm/v8`, fetch, maxRetries: 0, headers: caller });
      await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }, { headers: { 'x-call': 'b', AUTHORIZATION: 'Zoho-oauthtoken other' } });
    }
    for (const raw of lines) {
      const got = new Map<string, string[]>();
      for (let i = 0; i < raw.length; i += 2) got.set(raw[i]!, [...(got.get(raw[i]!) ?? []), raw[i + 1]!]);
      expect(got.get('host')).toEqual([new URL(url).host]);
      expect(got.get('authorization')).toEqual(['Zoho-oauthtoken mine']);
      expect(got.get('accept')).toEqual(['application/json']);
      expect(got.get('x-trace')).toEqual(['a']);
      expect(got.get('x-call')).toEqual(['b']);
    }
    expect(lines).toHaveLength(2);
  });

  it('a repeated header is joined as fetch joins it', async () => {
    const url = await listen((_req, res) => {
      res.setHeader('x-request-id', ['req-1', 'req-2']);
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"INVALID_DATA","details":{},"message":"invalid data","status":"error"}');
    });
    const viaDirect = (await clientAt(url).revokeSharedRecord({ module: 'Contacts', recordId: ID }).catch((e: unknown) => e)) as ZohoApiError;
    const viaFetch = (await createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: `${url}/crm/v8`, maxRetries: 0 })
      .revokeSharedRecord({ module: 'Contacts', recordId: ID })
      .catch((e: unknown) => e)) as ZohoApiError;
    expect([viaDirect.requestId, viaFetch.requestId]).toEqual(['req-1, req-2', 'req-1, req-2']);
  });

  it('a leading byte order mark is dropped, as fetch drops it', async () => {
    const url = await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`\uFEFF${REVOKED}`));
    expect((await clientAt(url).revokeSharedRecord({ module: 'Contacts', recordId: ID })).details.id).toBe(ID);
  });

  it('a body declared over maxResponseBytes is refused unread, its connection dropped', async () => {
    let closed = false;
    const url = await listen((_req, res) => {
      res.on('close', () => (closed = true));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      res.write('{"share":'); // and never more
    });
    const err = await clientAt(url, { maxResponseBytes: 1024 }).revokeSharedRecord({ module: 'Contacts', recordId: ID }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as Error).message).toMatch(/over maxResponseBytes/);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('a body growing past maxResponseBytes is cut off; what came first is in the snippet', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html>login page');
      res.write('x'.repeat(4096)); // past the cap
    });
    const err = (await clientAt(url, { maxResponseBytes: 1024 }).revokeSharedRecord({ module: 'Contacts', recordId: ID }).catch((e: unknown) => e)) as UnexpectedResponseError;
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect(err.snippet.startsWith('<html>login page')).toBe(true);
  });
});
