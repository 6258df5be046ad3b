import type { ResponseFacts } from './errors.js';
import { printable } from './redact.js';
import { parseRetryAfter } from './retry.js';

export interface ReadOptions {
  maxBytes: number;
  retryAfterCapMs: number;
  /** Removes every known secret. */
  redact: (text: string) => string;
  /** Drops the request and its connection (a body past the cap must not keep streaming in). */
  drop: () => void;
}

const SNIPPET_CHARS = 200;

/**
 * Reads one answer within its bounds: a redirect is never followed nor read, a body over `maxBytes`
 * is cut off with its connection, and every string taken from the server is redacted.
 */
export async function readResponse(res: Response, o: ReadOptions): Promise<ResponseFacts> {
  const { status, headers } = res;
  const redirect = res.type === 'opaqueredirect' || (status >= 300 && status < 400);
  let text = '';
  let tooLarge = false;
  if (redirect) void res.body?.cancel().catch(() => {}); // not awaited: a tee'd body settles only when both sides do
  else {
    const declared = headers.get('content-length');
    const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
    if (length !== undefined && length > o.maxBytes) {
      tooLarge = true;
      o.drop();
      void res.body?.cancel().catch(() => {});
    } else if (length !== undefined && !headers.has('content-encoding')) {
      // The declared length bounds what is read, unless a decoder (gzip...) stands in between.
      text = await res.text();
    } else ({ text, tooLarge } = await readCapped(res, o));
  }
  text = o.redact(text);
  let json: unknown;
  if (text && !tooLarge) {
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: judged by the caller (never a success).
    }
  }
  const header = (name: string) => {
    const v = headers.get(name);
    return v === null ? undefined : printable(o.redact(v), 100);
  };
  return {
    status,
    contentType: header('content-type') ?? '',
    text,
    json,
    location: redirect ? o.redact(locationOrigin(headers.get('location'))) || undefined : undefined,
    redirect,
    tooLarge,
    snippet: printable(text.slice(0, SNIPPET_CHARS * 2), SNIPPET_CHARS),
    requestId: header('x-request-id'),
    retryAfterMs: parseRetryAfter(headers.get('retry-after'), o.retryAfterCapMs),
  };
}

/** A body without a trustworthy length, read chunk by chunk up to the cap. */
async function readCapped(res: Response, o: ReadOptions): Promise<{ text: string; tooLarge: boolean }> {
  if (!res.body) return { text: '', tooLarge: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > o.maxBytes) {
      o.drop();
      void reader.cancel().catch(() => {});
      // What came before the cap is kept for the error's snippet.
      return { text: decode(chunks, size), tooLarge: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: decode(chunks, size), tooLarge: false };
}

function decode(chunks: Uint8Array[], size: number): string {
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function locationOrigin(location: string | null): string {
  try {
    return new URL(location!).origin; // a browser's opaque redirect has none: ''
  } catch {
    return '';
  }
}
