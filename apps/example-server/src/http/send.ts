// Writes an Answer: the common security headers, the request id, JSON bodies redacted once more.
import type { ServerResponse } from 'node:http';
import type { Answer } from './answer.js';

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export function send(res: ServerResponse, requestId: string, answer: Answer, redact: (text: string) => string, closeConnection: boolean): void {
  const headers: Record<string, string> = { ...COMMON_HEADERS, 'x-request-id': requestId, ...answer.headers };
  let data = '';
  if (answer.raw) {
    headers['content-type'] = answer.raw.type;
    data = answer.raw.data;
  } else if (answer.body !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    // Defence in depth: no known secret leaves in an answer either.
    data = redact(JSON.stringify({ ...(answer.body as object), requestId }));
  }
  if (closeConnection) headers.connection = 'close';
  headers['content-length'] = String(Buffer.byteLength(data));
  res.writeHead(answer.status, headers).end(data);
}
