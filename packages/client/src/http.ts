// One HTTP exchange within its bounds, whatever carries it: the `fetch` given to the client, or the
// direct path of `@zcrm-sharing/client/node`, which reads the body straight into a string without
// building a Response, Headers or a stream. Either way a redirect is never followed nor read, a
// body over `maxBytes` is cut off with its connection, and the answer comes back as `RawAnswer`.
import type { ResponseFacts } from './errors.js';
import { signalOf, type Deadline } from './retry.js';

export interface RawRequest {
  url: string;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string | undefined;
  /** The most body bytes read; past them the connection is dropped. */
  maxBytes: number;
}

/** One answer as the transport saw it, before anything is judged, redacted or parsed. */
export interface RawAnswer {
  /** 0 for a browser's opaque redirect. */
  status: number;
  /** A response header as the server sent it (repeated ones joined by ", "), or null. */
  header(name: string): string | null;
  /** The body decoded as UTF-8 (a leading BOM dropped, as fetch's text() does): '' for a redirect or a body refused by its declared length. */
  text: string;
  /** The body was over `maxBytes`: `text` holds what came before the cap. */
  tooLarge: boolean;
  redirect: boolean;
}

/** Sends one request and reads its answer; rejects when no HTTP answer came (or `deadline` cancelled it). */
export type Requester = (request: RawRequest, deadline: Deadline) => Promise<RawAnswer>;

/** Where a transport keeps its direct path (`@zcrm-sharing/client/node` sets it on its fetch). */
export const DIRECT: unique symbol = Symbol('direct');

/** The transport's direct path when it has one, else the request through `fetch`. */
export function requesterFor(fetch: typeof globalThis.fetch): Requester {
  return (fetch as { [DIRECT]?: Requester })[DIRECT] ?? viaFetch(fetch);
}

const isRedirect = (status: number) => status >= 300 && status < 400;

function viaFetch(fetch: typeof globalThis.fetch): Requester {
  return async (request, deadline) => {
    // Called unbound: workerd's fetch throws "Illegal invocation" when called as another object's method.
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: signalOf(deadline),
      // The token and the refresh grant's form go to the configured host or nowhere.
      redirect: 'manual',
    });
    const { status, headers } = res;
    const answer: RawAnswer = { status, header: (name) => headers.get(name), text: '', tooLarge: false, redirect: res.type === 'opaqueredirect' || isRedirect(status) };
    const declared = headers.get('content-length');
    const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
    if (answer.redirect || (length !== undefined && length > request.maxBytes)) {
      answer.tooLarge = !answer.redirect;
      if (answer.tooLarge) deadline.drop();
      void res.body?.cancel().catch(() => {}); // not awaited: a tee'd body settles only when both sides do
    } else if (res.body) {
      await readCapped(res.body, request.maxBytes, deadline, answer);
    }
    return answer;
  };
}

/** A body without a trustworthy length, read chunk by chunk up to the cap. */
async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number, deadline: Deadline, answer: RawAnswer): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (let size = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    if ((size += value.byteLength) > maxBytes) {
      deadline.drop();
      void reader.cancel().catch(() => {});
      answer.tooLarge = true; // what came before the cap is kept for the error's snippet
      break;
    }
    answer.text += decoder.decode(value, { stream: true });
  }
  answer.text += decoder.decode();
}

/** The answer as the client judges it: the body redacted, then parsed. */
export function factsOf(answer: RawAnswer, redact: (text: string) => string): ResponseFacts {
  const text = redact(answer.text);
  let json: unknown;
  if (text && !answer.tooLarge) {
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: judged by the caller (never a success).
    }
  }
  return { status: answer.status, header: answer.header, text, json, redirect: answer.redirect, tooLarge: answer.tooLarge, redact };
}
