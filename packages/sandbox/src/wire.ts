// What both adapters (the HTTP server, the in-process fetch) agree on about the wire: which bodies are
// read, how large one may be, how a Reply is written (JSON in Zoho's content type), and what
// `onResponse` reports. Portable: no node: module.
import { Reply } from './reply.js';

/** No share call needs more than a few kB; a bigger body is dropped (answered as if none was sent). */
export const MAX_BODY_BYTES = 64 * 1024;

/** The methods whose body is read; any other method's body is ignored, as Zoho does. */
export const HAS_BODY: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/** One answer the sandbox gave, as `onResponse` reports it. */
export interface ResponseEntry {
  method: string;
  path: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** The spec example the body is, when it is one. */
  example: string | undefined;
}

// The spec's examples are frozen and sent again and again: serialize each once.
const serialized = new WeakMap<object, string>();
function serialize(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body !== 'object' || body === null || !Object.isFrozen(body)) return JSON.stringify(body);
  let text = serialized.get(body);
  if (text === undefined) serialized.set(body, (text = JSON.stringify(body)));
  return text;
}

/** A Reply as sent: its body's text ('' for none) and its headers (the content type when there is a body). */
export function written(reply: Reply): { text: string; headers: Record<string, string> } {
  const text = serialize(reply.body);
  const headers: Record<string, string> = { ...reply.headers };
  if (text) headers['content-type'] = 'application/json;charset=UTF-8';
  return { text, headers };
}

/** What an adapter answers when the sandbox itself failed (a bug, never a request's fault). */
export const FAILED = (): Reply => new Reply(500, { error: 'the sandbox failed to answer' });
