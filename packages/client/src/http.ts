// One HTTP exchange within its bounds, whatever carries it: the `fetch` given to the client, or the
// direct path of `@zcrm-sharing/client/node`, which reads the body straight into a string without
// building a Response, Headers or a stream. Either way a redirect is never followed nor read, a
// body over `maxBytes` is cut off with its connection, and the answer comes back as `RawAnswer`.
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
  /** The body was over `maxBytes`: `text` holds the body up to the cap ('' when refused by its declared length). */
  tooLarge: boolean;
  redirect: boolean;
  /** The body was declared in a Content-Encoding this transport does not decode: not read ('' text). */
  encoded: boolean;
}

/** Sends one request and reads its answer; rejects when no HTTP answer came (or `deadline` cancelled it). */
export type Requester = (request: RawRequest, deadline: Deadline) => Promise<RawAnswer>;

/** Where a transport keeps its direct path (`@zcrm-sharing/client/node` sets it on its fetch). */
export const DIRECT: unique symbol = Symbol('direct');

/** The transport's direct path when it has one, else the request through `fetch`. */
export function requesterFor(fetch: typeof globalThis.fetch): Requester {
  return (fetch as { [DIRECT]?: Requester })[DIRECT] ?? viaFetch(fetch);
}

function viaFetch(fetch: typeof globalThis.fetch): Requester {
  return async ({ url, method, headers, body, maxBytes }, deadline) => {
    // Called unbound: workerd's fetch throws "Illegal invocation" when called as another object's method.
    // `redirect: 'manual'`: the token and the refresh grant's form go to the configured host or nowhere.
    const res = await fetch(url, { method, headers, body, signal: signalOf(deadline), redirect: 'manual' });
    const { status } = res;
    const answer: RawAnswer = { status, header: (name) => res.headers.get(name), text: '', tooLarge: false, redirect: res.type === 'opaqueredirect' || (status >= 300 && status < 400), encoded: false };
    // A redirect is not read, nor a body declared over the cap, nor one in a coding fetch may pass on
    // undecoded: fetch decodes one gzip, deflate or br, but passes other codings, and undici any list
    // of codings, on as they came. Each refused at once, its connection dropped. Any other body is
    // read up to the cap, whatever length it declared.
    if (
      answer.redirect ||
      (answer.tooLarge = Number(res.headers.get('content-length')) > maxBytes) ||
      (answer.encoded = !!res.body && !/^\s*(identity|gzip|deflate|br)?\s*$/i.test(res.headers.get('content-encoding') ?? ''))
    ) {
      if (!answer.redirect) deadline.drop();
      void res.body?.cancel().catch(() => {}); // not awaited: a tee'd body settles only when both sides do
    } else if (res.body) await readCapped(res.body, maxBytes, deadline, answer);
    return answer;
  };
}

/** A body read chunk by chunk up to the cap (a declared length is not trusted to bound it). */
async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number, deadline: Deadline, answer: RawAnswer): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (let size = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - size;
    size += value.byteLength;
    // The body up to the cap is kept for the error's snippet.
    answer.text += decoder.decode(size > maxBytes ? value.subarray(0, room) : value, { stream: true });
    if (size > maxBytes) {
      deadline.drop();
      void reader.cancel().catch(() => {});
      answer.tooLarge = true;
      break;
    }
  }
  answer.text += decoder.decode();
}
