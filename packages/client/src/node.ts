/**
 * A keep-alive `fetch` over `node:http`/`node:https` for `createZohoCrmClient({ fetch })` on Node.
 *
 * @module @zcrm-sharing/client/node
 */
// `@zcrm-sharing/client/node`: a `fetch` over node:http/node:https with keep-alive agents, and the
// direct path the client takes through it (no Response, Headers or stream per call).
import http from 'node:http';
import https from 'node:https';
import { DIRECT, type RawAnswer, type Requester } from './http.js';

/** Options of `createNodeFetch`. */
export interface NodeFetchOptions {
  /** Most sockets per origin (calls beyond it queue in the agent). Default 64. */
  maxSockets?: number;
}

/** A `fetch` for `createZohoCrmClient({ fetch })`; `close()` drops its idle keep-alive sockets. */
export type NodeFetch = typeof globalThis.fetch & {
  /** Drops the idle keep-alive sockets. */
  close(): void;
};

// Bodies up to this size are handed over whole by the fetch interface; larger ones stream.
const HANDOVER_BYTES = 64 * 1024;
const failed = (cause: unknown) => new TypeError('fetch failed', { cause });
const noBody = (method: string, status: number) => status === 204 || status === 205 || status === 304 || method === 'HEAD';

/**
 * A `fetch` for the client over `node:http`/`node:https` with keep-alive agents.
 *
 * Why: a bulk revoke is thousands of tiny requests. The client calls it through a direct path that
 * reads each body straight into a string (bounded by `maxResponseBytes`), so no Response, Headers
 * or web stream is built per call; that costs less CPU than the global fetch (see bench/).
 *
 * As a plain `fetch` it implements what the client uses: method, headers, a string, URLSearchParams
 * or bytes body, an AbortSignal, and a `Response`. A body up to 64 KiB is handed over whole; a larger
 * one streams, so a reader's cap stops it (cancelling the body destroys the socket). Redirects are
 * never followed, whatever `redirect` says (`'error'` rejects on a 3xx): a 3xx comes back with its
 * real status and Location. Network failures reject with `TypeError('fetch failed', { cause })` as
 * fetch does, so the client tells a refused connection (never processed) from others.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const maxSockets = options.maxSockets ?? 64;
  if (!Number.isInteger(maxSockets) || maxSockets < 1) throw new TypeError(`maxSockets: expected a whole number >= 1, got ${maxSockets}`);
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };

  /**
   * Starts one request; `onResponse` gets the answer's head, `onError` any failure before the
   * answer ended (each `fetch failed` with its cause). Returns the request, or undefined after
   * `onError` when it could not start (a bad URL or header).
   */
  function start(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    onResponse: (res: http.IncomingMessage, req: http.ClientRequest) => void,
    onError: (err: TypeError) => void,
  ): http.ClientRequest | undefined {
    try {
      const u = new URL(url);
      const agent = agents[u.protocol as keyof typeof agents];
      if (!agent) throw new Error(`unsupported protocol ${u.protocol}`);
      if (u.username || u.password) throw new Error('the URL holds credentials');
      // As [name, value] pairs, which node:http writes as given (each still validated) instead of
      // setting them one by one first; then `Host` is ours to send.
      const lines: [string, string][] = [['host', u.host]];
      for (const name in headers) if (name !== 'host' && name !== 'content-length') lines.push([name, headers[name]!]);
      if (body !== undefined) lines.push(['content-length', String(Buffer.byteLength(body))]);
      const req = (u.protocol === 'https:' ? https : http).request(
        { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: u.pathname + u.search, method, headers: lines as unknown as http.OutgoingHttpHeaders, agent },
        (res) => onResponse(res, req),
      );
      req.on('error', (cause) => onError(failed(cause)));
      req.end(body);
      return req;
    } catch (cause) {
      onError(failed(cause)); // e.g. a header value node:http refuses
      return undefined;
    }
  }

  // The client's path: the body read into a string, at most `maxBytes` of it.
  const direct: Requester = ({ url, method, headers, body, maxBytes }, deadline) =>
    new Promise<RawAnswer>((resolve, reject) => {
      const req = start(url, method, headers, body, onResponse, reject);
      if (req) deadline.onCancel((reason) => req.destroy(reason instanceof Error ? reason : new Error(String(reason))));

      function onResponse(res: http.IncomingMessage, req: http.ClientRequest) {
        const status = res.statusCode ?? 0;
        const raw = res.rawHeaders;
        const answer: RawAnswer = { status, header: (name) => headerOf(raw, name), text: '', tooLarge: false, redirect: status >= 300 && status < 400, encoded: false };
        const declared = answer.header('content-length');
        const none = noBody(method, status);
        // None read: a redirect is not followed, a body declared over the cap is refused unread, and so
        // is one in any Content-Encoding but identity (this transport decodes none).
        if (
          answer.redirect ||
          (answer.tooLarge = declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) ||
          (answer.encoded = !none && !identity(answer.header('content-encoding')))
        ) {
          res.on('error', () => {}); // the "aborted" that destroying the request causes: expected here
          req.destroy();
          return resolve(answer);
        }
        if (none) {
          res.resume();
          return resolve(answer);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size + chunk.length > maxBytes) {
            answer.tooLarge = true; // the body up to the cap is kept for the error's snippet
            chunks.push(chunk.subarray(0, maxBytes - size));
            answer.text = Buffer.concat(chunks, maxBytes).toString('utf8');
            req.destroy();
            return resolve(answer);
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8');
          answer.text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // as fetch's text() does
          resolve(answer);
        });
        res.on('error', (cause) => reject(failed(cause)));
        res.on('close', () => res.complete || reject(failed(req.errored ?? new Error('the connection closed before the response ended'))));
      }
    });

  // The fetch interface, for other callers.
  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const method = init.method ?? 'GET';
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

      // Until the body has ended, an abort destroys the request (and the stream errors with the reason).
      const onAbort = () => req?.destroy(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      const done = () => signal?.removeEventListener('abort', onAbort);
      const fail = (err: unknown) => {
        done();
        reject(signal?.aborted ? signal.reason : err);
      };
      const req = start(input instanceof Request ? input.url : String(input), method, headers, body, onResponse, fail);
      if (req) signal?.addEventListener('abort', onAbort, { once: true });

      function onResponse(res: http.IncomingMessage, req: http.ClientRequest) {
        const status = res.statusCode ?? 0;
        if (init.redirect === 'error' && status >= 300 && status < 400) {
          req.destroy();
          return fail(failed(new Error(`redirect (HTTP ${status}) with redirect: 'error'`)));
        }
        const responseHeaders = new Headers();
        const respond = (content: ConstructorParameters<typeof Response>[0]) => {
          try {
            resolve(new Response(content, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
          } catch (cause) {
            // A status the Response class refuses (e.g. HTTP 700).
            req.destroy();
            fail(failed(cause));
          }
        };
        try {
          for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        } catch (cause) {
          req.destroy();
          return fail(failed(cause));
        }
        if (noBody(method, status)) {
          res.resume();
          res.on('end', done);
          return respond(null);
        }
        if (!identity(responseHeaders.get('content-encoding'))) {
          // Passed on as is, the body would be read as if it were decoded.
          req.destroy();
          return fail(failed(new Error('a Content-Encoding other than identity: createNodeFetch decodes none')));
        }
        // A small body (every answer Zoho gives) is collected and handed over whole, which costs least;
        // past HANDOVER_BYTES the rest streams, so a reader's cap can stop it and drop the socket.
        const chunks: Buffer[] = [];
        let size = 0;
        let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
        const broken = (cause: unknown) => {
          if (!controller) return fail(failed(cause));
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
                  for (const part of chunks.splice(0)) c.enqueue(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
                },
                pull: () => void res.resume(),
                cancel() {
                  done();
                  req.destroy();
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
          if (!res.complete) broken(req.errored ?? new Error('the connection closed before the response ended'));
        });
      }
    });

  return Object.assign(nodeFetch as typeof globalThis.fetch, {
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
    [DIRECT]: direct,
  });
}

/** No Content-Encoding, or only identity. */
const identity = (coding: string | null) => coding === null || /^\s*(identity\s*(,\s*|$))*$/i.test(coding);

/** A response header from node's raw list, repeated ones joined by ", " (as fetch's Headers do). */
function headerOf(raw: string[], name: string): string | null {
  let value: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name) value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]}`;
  }
  return value;
}
