// `@zcrm-sharing/client/node`: a `fetch` over node:http/node:https with a keep-alive agent.
import http from 'node:http';
import https from 'node:https';

export interface NodeFetchOptions {
  /** Most sockets per origin (calls beyond it queue in the agent). Default 64. */
  maxSockets?: number;
}

/** A `fetch` for `createZohoCrmClient({ fetch })`; `close()` drops its idle keep-alive sockets. */
export type NodeFetch = typeof globalThis.fetch & { close(): void };

/**
 * A `fetch` for the client over `node:http`/`node:https` with keep-alive agents.
 *
 * Why: a bulk revoke is thousands of tiny requests, and Node's global fetch (undici) spends about
 * 0.65 ms of CPU per request, where `node:http` spends a fraction of that (see bench/).
 *
 * It implements what the client uses: method, headers, a string, URLSearchParams or bytes body,
 * an AbortSignal, and a `Response`. A body up to 64 KiB is handed over whole; a larger one streams,
 * so the client's body cap stops it (cancelling the body destroys the socket). Redirects are never followed,
 * whatever `redirect` says (`'error'` rejects on a 3xx): a 3xx comes back with its real status and
 * Location. Network failures reject with `TypeError('fetch failed', { cause })` as fetch does, so
 * the client tells a refused connection (never processed) from others.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const maxSockets = options.maxSockets ?? 64;
  if (!Number.isInteger(maxSockets) || maxSockets < 1) throw new TypeError(`maxSockets: expected a whole number >= 1, got ${maxSockets}`);
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };
  const failed = (cause: unknown) => new TypeError('fetch failed', { cause });
  // Bodies up to this size are buffered and handed over whole; larger ones stream.
  const HANDOVER_BYTES = 64 * 1024;

  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const agent = agents[url.protocol as keyof typeof agents];
      if (!agent) return reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, key) => (headers[key] = value));
      let body: string | Uint8Array | undefined;
      const b = init.body;
      if (typeof b === 'string') body = b;
      else if (b instanceof URLSearchParams) {
        body = b.toString();
        headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
      } else if (b instanceof ArrayBuffer) body = new Uint8Array(b);
      else if (ArrayBuffer.isView(b)) body = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      else if (b != null) return reject(new TypeError('createNodeFetch: the body must be a string, URLSearchParams or bytes'));
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

      let request: http.ClientRequest;
      // Until the body has ended, an abort destroys the request (and the stream errors with the reason).
      const onAbort = () => request.destroy(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      const done = () => signal?.removeEventListener('abort', onAbort);
      const fail = (cause: unknown) => {
        done();
        reject(signal?.aborted ? signal.reason : failed(cause));
      };
      try {
        request = (url.protocol === 'https:' ? https : http).request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
          const status = res.statusCode ?? 0;
          if (init.redirect === 'error' && status >= 300 && status < 400) {
            request.destroy();
            return fail(new Error(`redirect (HTTP ${status}) with redirect: 'error'`));
          }
          const responseHeaders = new Headers();
          const respond = (body: ConstructorParameters<typeof Response>[0]) => {
            try {
              resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
            } catch (cause) {
              // A status the Response class refuses (e.g. HTTP 700).
              request.destroy();
              fail(cause);
            }
          };
          try {
            for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          } catch (cause) {
            request.destroy();
            return fail(cause);
          }
          if (status === 204 || status === 205 || status === 304 || init.method === 'HEAD') {
            res.resume();
            res.on('end', done);
            return respond(null);
          }
          // A small body (every answer Zoho gives) is collected and handed over whole, which costs least;
          // past HANDOVER_BYTES the rest streams, so the client's cap can stop it and drop the socket.
          const chunks: Buffer[] = [];
          let size = 0;
          let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
          const broken = (cause: unknown) => {
            if (!controller) return fail(cause);
            done();
            try {
              controller.error(new TypeError('fetch failed: the response ended early', { cause }));
            } catch {
              // already closed or errored
            }
          };
          res.on('data', (chunk: Buffer) => {
            if (controller) {
              controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
              if ((controller.desiredSize ?? 1) <= 0) res.pause();
              return;
            }
            chunks.push(chunk);
            size += chunk.length;
            if (size > HANDOVER_BYTES) {
              respond(
                new ReadableStream<Uint8Array>({
                  start(c) {
                    controller = c;
                    for (const b of chunks.splice(0)) c.enqueue(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
                  },
                  pull: () => void res.resume(),
                  cancel() {
                    done();
                    request.destroy();
                  },
                }),
              );
              res.pause();
            }
          });
          res.on('end', () => {
            done();
            if (controller) controller.close();
            else respond(Buffer.concat(chunks, size));
          });
          res.on('error', broken);
          res.on('close', () => {
            if (!res.complete) broken(request.errored ?? new Error('the connection closed before the response ended'));
          });
        });
      } catch (cause) {
        return fail(cause); // e.g. a header value node:http refuses
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', fail);
      request.end(body);
    });

  return Object.assign(nodeFetch as typeof globalThis.fetch, {
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}
