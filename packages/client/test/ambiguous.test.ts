// Answers that say two things, and layouts that do not: repeatedKey's reading of JSON text, and a
// UTF-8 BOM before a success, which both transports accept (fetch's text() drops it; so does the
// Node transport).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZohoCrmClient } from '../src/index.ts';
import { repeatedKey, repeatsAKey } from '../src/internal/repeated-key.ts';
import { createNodeFetch } from '../src/node.ts';

describe('repeatedKey', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"share":{"status":"error","status":"success"}}', 'status'],
    ['{"x":[{"id":"1"},{"id":"2","id":"3"}]}', 'id'],
    ['{"a":1,"\\u0061":2}', 'a'], // the same key, one escaped
    ['{"k\\"":1,"k\\u0022":2}', 'k"'],
    ['{"a":{"b":1},"c":[],"a":0}', 'a'],
    ['[[{"z":1,"z":1}]]', 'z'],
    [' { "s" : "x" , "s" : "y" } ', 's'],
  ])('%s repeats %s', (text, key) => {
    JSON.parse(text); // the scanner reads only what JSON.parse accepted
    expect(repeatedKey(text)).toBe(key);
  });

  it.each([
    ['{"a":1,"b":{"a":1}}'], // the same key in different objects
    ['[{"id":"1"},{"id":"1"}]'], // siblings
    ['{"a":"{\\"a\\":1,\\"a\\":2}"}'], // a repeated key inside a string is text
    ['{"a":"[","b":"{","c":"\\\\","d":","}'],
    ['{"A":1,"a":2}'], // keys are case-sensitive
    ['"a"'],
    ['[]'],
    ['{}'],
  ])('%s repeats none', (text) => {
    JSON.parse(text);
    expect(repeatedKey(text)).toBeUndefined();
  });
});

// repeatedKey counts keys first and scans for the name only when the counts differ: generated JSON
// holds it to both halves, none found where there is none, the one written twice named where there is.
describe('repeatedKey over generated JSON (10,000 runs each)', () => {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  const params = { numRuns: 10_000, ...(seed !== undefined && { seed }) };
  test.prop([fc.jsonValue()], params)('what JSON.stringify writes repeats none', (v) => {
    expect(repeatedKey(JSON.stringify(v))).toBeUndefined();
  });
  test.prop([fc.array(fc.tuple(fc.string(), fc.jsonValue()), { minLength: 1, maxLength: 6 }), fc.jsonValue(), fc.nat(), fc.nat(), fc.boolean()], params)(
    'a key written twice in one object, at any depth, is named',
    (entries, value, pick, depth, escape) => {
      // An object of distinct keys, one of them written again (escaped or not) with another value.
      const object = Object.fromEntries(entries);
      const keys = Object.keys(object);
      const key = keys[pick % keys.length]!;
      const again = escape ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(key);
      let text = `${JSON.stringify(object).slice(0, -1)},${again}:${JSON.stringify(value)}}`;
      for (let i = 0; i < depth % 4; i++) text = i % 2 ? `[1,${text}]` : `{"a":[],"b":${text}}`;
      JSON.parse(text);
      expect(repeatedKey(text)).toBe(key);
    },
  );
});

// The count every answer pays for (repeatsAKey) decides whether the scan that names the key runs: it
// must say "repeats" exactly when the scan finds a key, whatever the layout (spaces, newlines, escapes).
describe('repeatsAKey agrees with repeatedKey (10,000 runs each)', () => {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  const params = { numRuns: 10_000, ...(seed !== undefined && { seed }) };
  const agree = (text: string) => expect(repeatsAKey(text, JSON.parse(text))).toBe(repeatedKey(text) !== undefined);
  test.prop([fc.jsonValue(), fc.constantFrom(undefined, 1, '\t')], params)('over JSON without a repeated key, in any layout', (v, indent) => {
    agree(JSON.stringify(v, null, indent));
  });
  test.prop([fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1, maxKeys: 5 }), fc.jsonValue(), fc.nat(), fc.nat(), fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\r') })], params)(
    'over JSON with a key written twice, at any depth and spacing',
    (object, value, pick, depth, space) => {
      const keys = Object.keys(object);
      let text = `${JSON.stringify(object).slice(0, -1)},${space}${JSON.stringify(keys[pick % keys.length])}${space}:${space}${JSON.stringify(value)}}`;
      for (let i = 0; i < depth % 4; i++) text = i % 2 ? `[1,${text}]` : `{"a":[],"b":${text}}`;
      agree(text);
      expect(repeatsAKey(text, JSON.parse(text))).toBe(true);
    },
  );
  it.each([['{"a":"x:y","b":"\\":"}'], ['{"k\\":":1}'], ['{"__proto__":{"a":1},"a":2}'], ['{"__proto__":1,"__proto__":2}']])('%s', (text) => agree(text));
});

describe('a UTF-8 BOM before the JSON of a success is fine, over either transport', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      const body = `\uFEFF${JSON.stringify({ share: { code: 'SUCCESS', details: { id: '4150868000001148212' }, message: 'Sharing Revoked', status: 'success' } })}`;
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm/v8`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([['fetch'], ['node']])('over %s', async (transport) => {
    const fetch = transport === 'node' ? createNodeFetch() : globalThis.fetch;
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: base, fetch, maxRetries: 0 });
    const r = await client.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' });
    (fetch as { close?: () => void }).close?.();
    expect(r).toMatchObject({ code: 'SUCCESS', status: 'success', details: { id: '4150868000001148212' } });
  });
});
