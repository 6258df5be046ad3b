// The thin HTTP layer: node:http in, a Reply out. Reads a bounded body, hands the request to the
// sandbox, writes the reply (JSON in Zoho's content type), reports it to `onResponse`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Reply } from './reply.js';
import { FAILED, HAS_BODY, MAX_BODY_BYTES, written, type ResponseEntry } from './wire.js';

export type { ResponseEntry } from './wire.js';

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

export async function listen(
  handle: (req: HttpRequest) => Promise<Reply>,
  options: { port: number; host: string; onResponse: ((entry: ResponseEntry) => void) | undefined },
): Promise<{ server: Server; origin: string }> {
  const send = (req: IncomingMessage, res: ServerResponse, reply: Reply) => {
    const { text, headers } = written(reply);
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
        () => send(req, res, FAILED()),
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
