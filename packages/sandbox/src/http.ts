// The thin HTTP layer: node:http in, a Reply out. Reads a bounded body, hands the request to the
// sandbox, writes the reply (JSON in Zoho's content type), reports it to `onResponse`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Reply } from './reply.js';

export interface HttpRequest {
  method: string;
  /** Path and query as sent (still percent-encoded). */
  url: string;
  authorization: string | undefined;
  /** The body, or `undefined` when there was none or it passed `MAX_BODY_BYTES`. */
  body: string | undefined;
  /** performance.now() when the request arrived: a call's latency counts from here. */
  arrived: number;
}

export interface ResponseEntry {
  method: string;
  path: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** The spec example the body is, when it is one. */
  example: string | undefined;
}

/** No share call needs more than a few kB; a bigger body is read and dropped, never buffered. */
export const MAX_BODY_BYTES = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size === 0 || size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const HAS_BODY = new Set(['POST', 'PUT', 'PATCH']);

// The spec's examples are frozen and sent again and again: serialize each once.
const serialized = new WeakMap<object, string>();
function serialize(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body !== 'object' || body === null || !Object.isFrozen(body)) return JSON.stringify(body);
  let text = serialized.get(body);
  if (text === undefined) serialized.set(body, (text = JSON.stringify(body)));
  return text;
}

export async function listen(
  handle: (req: HttpRequest) => Promise<Reply>,
  options: { port: number; host: string; onResponse: ((entry: ResponseEntry) => void) | undefined },
): Promise<{ server: Server; origin: string }> {
  const send = (req: IncomingMessage, res: ServerResponse, reply: Reply) => {
    const text = serialize(reply.body);
    const headers: Record<string, string> = { ...reply.headers };
    if (text) headers['content-type'] = 'application/json;charset=UTF-8';
    res.writeHead(reply.status, headers).end(text);
    options.onResponse?.({ method: req.method ?? 'GET', path: req.url ?? '/', status: reply.status, body: reply.body, headers, example: reply.example });
  };
  const server = createServer((req, res) => {
    const arrived = performance.now();
    const method = req.method ?? 'GET';
    (HAS_BODY.has(method) ? readBody(req) : Promise.resolve(undefined))
      .then((body) => handle({ method, url: req.url ?? '/', authorization: req.headers.authorization, body, arrived }))
      .then(
        (reply) => send(req, res, reply),
        () => send(req, res, new Reply(500, { error: 'the sandbox failed to answer' })),
      );
  });
  // Many clients keep connections open between calls; don't let Node's defaults cut them.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}` };
}
