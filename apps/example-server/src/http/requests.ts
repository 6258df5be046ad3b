// The HTTP server: one log line per request, the route table behind the gate, and while stopping,
// 503 with Retry-After for every request.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { STORE_UNAVAILABLE } from './errors.js';
import { isStoreUnavailable } from '../queue/unavailable.js';
import { STOPPING, type Answer, type Context } from './answer.js';
import type { Gate } from './gate.js';
import { dispatch, type Route } from './route-table.js';
import { send } from './send.js';

export interface RequestsOptions {
  routes: readonly Route[];
  gate: Gate;
  logger: Logger;
  redact: (text: string) => string;
  stopping: () => boolean;
}

export interface HttpServer {
  server: Server;
  /** Resolves once no request is being handled (answered or given up). */
  drained(): Promise<void>;
}

export function httpServer({ routes, gate, logger, redact, stopping }: RequestsOptions): HttpServer {
  let handling = 0;
  const waiters: (() => void)[] = [];
  const done = () => {
    if (--handling === 0) for (const w of waiters.splice(0)) w();
  };
  const server = createServer((req, res) => {
    const t0 = performance.now();
    const requestId = randomUUID();
    // Only the path: query strings are not used here and could carry anything.
    const pathname = (req.url ?? '/').split('?')[0]!;
    const ctx: Context = { req, params: [], log: {} };
    res.once('close', () => {
      logger.info('request', {
        requestId,
        method: req.method,
        path: pathname,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - t0) * 10) / 10,
        remoteAddress: req.socket.remoteAddress,
        userAgent: req.headers['user-agent'],
        ...ctx.log,
      });
    });
    const answer: Promise<Answer> = stopping() ? Promise.resolve(STOPPING) : dispatch(routes, gate, req, ctx, pathname);
    handling++;
    void answer.then(done, done);
    answer.then(
      (a) => send(res, requestId, a, redact, stopping()),
      (err: unknown) => {
        ctx.log.errorName = err instanceof Error ? err.name : typeof err;
        // The store out of reach passes (503, come back later); anything else is a bug (500).
        const answer = isStoreUnavailable(err) ? STORE_UNAVAILABLE : { status: 500, body: { error: 'internal', message: 'internal error' } };
        if (!res.headersSent) send(res, requestId, answer, redact, stopping());
        else res.destroy();
      },
    );
  });
  server.keepAliveTimeout = 5_000;
  return { server, drained: () => (handling === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))) };
}

/** Listens; resolves with the URL a browser would use. */
export async function listen(server: Server, port: number, host: string): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound, address } = server.address() as AddressInfo;
  return { url: `http://${address.includes(':') ? `[${address}]` : address}:${bound}`, port: bound };
}
