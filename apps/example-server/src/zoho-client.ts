// The server's Zoho client: keep-alive node:http unless a fetch is given, its retries and token
// refreshes in the log.
import { createZohoCrmClient, type ClientEvent, type ClientOptions, type ZohoCrmClient } from '@zcrm-sharing/client';
import { createNodeFetch } from '@zcrm-sharing/client/node';
import type { Logger } from './log.js';

export function zohoClient(options: ClientOptions, maxSockets: number, logger: Logger): { client: ZohoCrmClient; close: () => void } {
  const userOnEvent = options.onEvent;
  // Keep-alive node:http: undici's fetch costs several times its CPU per call (see the client's bench).
  const transport = options.fetch ? undefined : createNodeFetch({ maxSockets });
  const client = createZohoCrmClient({
    ...options,
    ...(transport ? { fetch: transport } : {}),
    onEvent: (event: ClientEvent) => {
      if (event.type === 'retry') logger.warn('zoho retry', { operation: event.operation, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
      if (event.type === 'token-refresh') (event.ok ? logger.info : logger.warn)('zoho token refresh', { ok: event.ok });
      userOnEvent?.(event);
    },
  });
  return { client, close: () => transport?.close() };
}
