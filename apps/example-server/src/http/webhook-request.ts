import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { InvalidInputError, validateRecordId, validateRevocableModule } from '@zcrm-sharing/client';

/** Largest webhook body read. Zoho's deliveries are a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The header a webhook caller puts the shared secret in (Zoho: a custom header parameter). */
export const SECRET_HEADER = 'x-webhook-secret';

/** An answer decided while reading the request (too large, unreadable, wrong type). */
export class RequestProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: string; message: string; field?: string; expected?: string },
  ) {
    super(body.message);
  }
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge(limit));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(tooLarge(limit));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const tooLarge = (limit: number) => new RequestProblem(413, { error: 'body_too_large', message: `the body is larger than ${limit} bytes` });

/** The media type without parameters, lower case: `application/json; charset=utf-8` -> `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The fields of a webhook body. Zoho's workflow webhooks send their parameters form-encoded; a
 * "raw" body is usually JSON. Values stay as sent: a JSON number is kept a number, so that the
 * record id check can refuse it (it has already lost digits) rather than quietly stringify it.
 */
export function parseFields(contentType: string | undefined, text: string): Record<string, unknown> {
  const type = mediaType(contentType);
  if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new RequestProblem(400, { error: 'invalid_input', field: 'body', expected: 'a JSON object', message: 'body: expected a JSON object; the body is not valid JSON' });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new RequestProblem(400, { error: 'invalid_input', field: 'body', expected: 'a JSON object', message: 'body: expected a JSON object such as {"module":"Leads","recordId":"4150868000001148212"}' });
    }
    return parsed as Record<string, unknown>;
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    const fields: Record<string, unknown> = {};
    for (const key of new Set(form.keys())) {
      const values = form.getAll(key);
      if (new Set(values).size > 1) {
        throw new RequestProblem(400, { error: 'invalid_input', field: key, expected: 'one value', message: `${key}: expected one value, got ${values.length} different ones` });
      }
      fields[key] = values[0];
    }
    return fields;
  }
  throw new RequestProblem(415, {
    error: 'unsupported_media_type',
    message: `expected Content-Type application/x-www-form-urlencoded or application/json, got ${type ? JSON.stringify(type) : 'none'}`,
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares a presented secret with the configured one in constant time: both are hashed first, so
 * the buffers compared are always 32 bytes and neither the content nor the length leaks by timing.
 */
export function secretMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) {
    // Still spend the same work, so "no secret" and "wrong secret" take alike.
    timingSafeEqual(digest(''), digest(expected));
    return false;
  }
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The secret from the X-Webhook-Secret header, else from a `secret` body field. */
export function presentedSecret(req: IncomingMessage, fields: Record<string, unknown>): unknown {
  const header = req.headers[SECRET_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  return fields.secret;
}

export interface RevokeRequest {
  module: string;
  recordId: string;
}

/**
 * The module and record id of a delivery, checked with the client's validators (record ids: a
 * string of 1-19 digits, never a number). `recordId` may also be sent as `record_id`.
 * Throws InvalidInputError naming the field.
 */
export function revokeRequestOf(fields: Record<string, unknown>): RevokeRequest {
  const module = validateRevocableModule(fields.module, 'module');
  const hasCamel = fields.recordId !== undefined;
  const hasSnake = fields.record_id !== undefined;
  if (hasCamel && hasSnake && fields.recordId !== fields.record_id) {
    throw new InvalidInputError('recordId', 'one record id (recordId and record_id differ)', fields.recordId);
  }
  const recordId = validateRecordId(hasCamel ? fields.recordId : fields.record_id, 'recordId');
  return { module, recordId };
}
