// What a handler returns and what it is given: the plumbing (send.ts, requests.ts) turns an Answer
// into a response and a log line.
import type { IncomingMessage } from 'node:http';
import { answerForError, describeError } from './errors.js';

export interface Answer {
  status: number;
  /** JSON-serialised unless `raw` is set. */
  body?: unknown;
  raw?: { data: string; type: string };
  headers?: Record<string, string>;
}

export interface Context {
  req: IncomingMessage;
  params: string[];
  /** Extra fields for this request's log line. */
  log: Record<string, unknown>;
}

export type Handler = (ctx: Context) => Promise<Answer> | Answer;

/** The answer for an error (the one table in errors.ts), noting what it was in the request's log line. */
export function failed(ctx: Context, err: unknown): Answer {
  const answer = answerForError(err);
  const summary = describeError(err);
  ctx.log.error = summary.type;
  if (summary.zohoCode) ctx.log.zohoCode = summary.zohoCode;
  if (answer.status === 500) ctx.log.errorName = err instanceof Error ? err.name : typeof err;
  return answer.headers ? { status: answer.status, body: answer.body, headers: answer.headers } : { status: answer.status, body: answer.body };
}

/** The answer while the server stops (its grace period): come back later, to this or another instance. */
export const STOPPING: Answer = { status: 503, headers: { 'retry-after': '5' }, body: { error: 'shutting_down', message: 'the server is stopping' } };
