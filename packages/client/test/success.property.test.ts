// The rule the success checks exist for, held with generated inputs (fast-check, 10,000 runs per
// property; a failure prints its seed and path, to replay with `{ seed, path }`): for each operation
// of the spec with a success body, the documented body is always read as success, however it is
// laid out, and a changed one (a member removed, added, retyped or repeated; `code`, `status` or
// the id changed) is read as success only where the spec's own schema accepts it, which for the
// proofs of an action (revoke, rerun, share) is never. A body in a coding the transport does not
// decode is never a success either (a real server, both transports).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fc, test } from '@fast-check/vitest';
import { responseExamples, validateAnswer, type ExampleCase } from '@zcrm-sharing/openapi/testing/spec';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import * as GENERATED from '../src/generated/success.ts';
import { createZohoCrmClient, type ZohoCrmClient } from '../src/index.ts';
import { factsOf } from '../src/internal/response.ts';
import { createNodeFetch } from '../src/node.ts';
import { documented, type Success } from '../src/shape.ts';

const RUNS = { numRuns: 10_000 };
// 10,000 runs take seconds on a quiet machine and minutes on a loaded one: the bound is on runs, not time.
const PROPERTY_TIMEOUT_MS = 600_000;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const SUCCESS: Record<string, Success> = Object.fromEntries(
  Object.entries(GENERATED).map(([name, s]) => [name.replace(/_SUCCESS$/, '').toLowerCase().replace(/_(.)/g, (_m, c: string) => c.toUpperCase()), s]),
);
/** The operations whose success proves an action was done: no change of their body is a success. */
const PROOFS = new Set(['revokeSharedRecord', 'rerunDataSharingRules', 'shareRecord', 'updateRecordShares']);
const RECORD = '4150868000001148212';
const SENT = { module_api_name: 'Contacts', record_id: RECORD };
// One success example per operation (its documented success status; the first, for the summary's three).
const EXAMPLES = new Map<string, ExampleCase>();
for (const e of responseExamples()) if (SUCCESS[e.operationId]?.status === Number(e.status) && !EXAMPLES.has(e.operationId)) EXAMPLES.set(e.operationId, e);

/** Reads `text` as the operation's answer: true when it resolves (a success), false when it rejects. */
function reader(operationId: string): (text: string, headers?: Record<string, string>) => Promise<boolean> {
  const status = SUCCESS[operationId]!.status;
  let answer = { text: '', headers: {} as Record<string, string> };
  const fetch = (async () => new Response(answer.text, { status, headers: { 'content-type': 'application/json', ...answer.headers } })) as unknown as typeof globalThis.fetch;
  const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
  const calls: Record<string, (c: ZohoCrmClient) => Promise<unknown>> = {
    revokeSharedRecord: (c) => c.revokeSharedRecord({ module: 'Contacts', recordId: RECORD }),
    rerunDataSharingRules: (c) => c.rerunDataSharingRules({ module: 'Leads' }),
    getDataSharingRulesSummary: (c) => c.getDataSharingRulesSummary(),
    getSharedRecordDetails: (c) => c.getSharedRecordDetails({ module: 'Contacts', recordId: RECORD }),
  };
  const call = calls[operationId];
  if (call) {
    return (text, headers = {}) => {
      answer = { text, headers };
      return call(client).then(
        () => true,
        () => false,
      );
    };
  }
  // An operation the client has no function for yet (shareRecord, updateRecordShares): its generated
  // check, over the same reading of the answer the client's calls use.
  return async (text, headers = {}) => {
    const h = new Headers({ 'content-type': 'application/json', ...headers });
    const facts = factsOf({ status, header: (n) => h.get(n), text: text.replace(/^\uFEFF/, ''), tooLarge: false, redirect: false, encoded: false }, (t) => t);
    return !facts.unreadable && documented(facts, SUCCESS[operationId]!, SENT).ok;
  };
}

// --- Changes of a JSON value ----------------------------------------------------------------

/** Every path in `v`, the root's ([]) first. */
function paths(v: Json, at: Path = []): Path[] {
  if (Array.isArray(v)) return [at, ...v.flatMap((item, i) => paths(item, [...at, i]))];
  if (v && typeof v === 'object') return [at, ...Object.entries(v).flatMap(([k, item]) => paths(item, [...at, k]))];
  return [at];
}
const get = (v: Json, p: Path): Json => p.reduce<any>((node, k) => node[k], v);
function set(v: Json, p: Path, to: Json | undefined): Json {
  if (!p.length) return to as Json;
  const copy = structuredClone(v);
  const parent = get(copy, p.slice(0, -1)) as any;
  if (to === undefined) delete parent[p.at(-1)!];
  // Defined, not assigned: a `__proto__` key is a member as JSON.parse makes it, not a prototype.
  else Object.defineProperty(parent, p.at(-1)!, { value: to, enumerable: true, writable: true, configurable: true });
  return copy;
}
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** JSON text of `v`, with `extra` written into the object at `extra.at` (before or after its members). */
function render(v: Json, extra?: { at: Path; key: string; value: Json; first: boolean }, at: Path = []): string {
  if (Array.isArray(v)) return `[${v.map((item, i) => render(item, extra, [...at, i])).join(',')}]`;
  if (v && typeof v === 'object') {
    const members = Object.entries(v).map(([k, item]) => `${JSON.stringify(k)}:${render(item, extra, [...at, k])}`);
    if (extra && extra.at.length === at.length && extra.at.every((k, i) => k === at[i])) {
      const added = `${JSON.stringify(extra.key)}:${JSON.stringify(extra.value)}`;
      if (extra.first) members.unshift(added);
      else members.push(added);
    }
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(v);
}

interface Change {
  what: string;
  text: string;
  /** A key written twice: never a success, whatever the schema says of either value. */
  repeated: boolean;
}

/** The changes of `example`: a member removed, retyped, added or repeated, and a constant or the id changed. */
function changes(example: Json): fc.Arbitrary<Change> {
  const all = paths(example);
  const members = all.filter((p) => typeof p.at(-1) === 'string');
  const objects = all.filter((p) => kind(get(example, p)) === 'object');
  const filled = objects.filter((p) => Object.keys(get(example, p) as object).length > 0);
  // What makes the proof: the constants and the echoed id (any other string is another answer).
  const constants = members.filter((p) => ['code', 'status'].includes(p.at(-1) as string) || (p.at(-2) === 'details' && p.at(-1) === 'id'));
  const value = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  const arbs: fc.Arbitrary<Change>[] = [
    fc.constantFrom(...members).map((p) => ({ what: `${p.join('.')} removed`, text: render(set(example, p, undefined)), repeated: false })),
    fc
      .tuple(fc.constantFrom(...all.filter((p) => p.length)), value)
      .filter(([p, v]) => kind(v) !== kind(get(example, p)))
      .map(([p, v]) => ({ what: `${p.join('.')} retyped to ${JSON.stringify(v)}`, text: render(set(example, p, v)), repeated: false })),
    fc
      .tuple(fc.constantFrom(...objects), fc.string({ maxLength: 12 }), value)
      .filter(([p, k]) => !Object.hasOwn(get(example, p) as object, k))
      .map(([p, k, v]) => ({ what: `${JSON.stringify(k)} added at ${p.join('.') || 'the root'}`, text: render(set(example, [...p, k], v)), repeated: false })),
    fc
      .tuple(fc.constantFrom(...filled), fc.nat(), value, fc.boolean())
      .map(([p, i, v, first]) => {
        const keys = Object.keys(get(example, p) as object);
        const key = keys[i % keys.length]!;
        return { what: `${[...p, key].join('.')} repeated (${first ? 'before' : 'after'}) as ${JSON.stringify(v)}`, text: render(example, { at: p, key, value: v, first }), repeated: true };
      }),
  ];
  if (constants.length) {
    arbs.push(
      fc
        .tuple(fc.constantFrom(...constants), fc.oneof(fc.string(), fc.constantFrom('success', 'SUCCESS', 'SCHEDULED', 'error', 'NO_PERMISSION', 'INTERNAL_ERROR', 'INVALID_DATA', 'CANNOT_PROCESS', 'Success', ' success', '4150868000001148213', '')))
        .filter(([p, s]) => s !== get(example, p))
        .map(([p, s]) => ({ what: `${p.join('.')} = ${JSON.stringify(s)}`, text: render(set(example, p, s)), repeated: false })),
    );
  }
  return fc.oneof(...arbs);
}

// --- The properties ----------------------------------------------------------------------------

describe.each([...EXAMPLES.values()].map((e) => [e.operationId, e] as const))('%s', (operationId, example) => {
  const read = reader(operationId);
  const value = example.value as Json;
  const proof = PROOFS.has(operationId);

  test.prop([changes(value)], RUNS)(
    proof ? 'a changed body is never read as success (and the spec refuses it too)' : 'a changed body is read as success only where the spec accepts it, never with a key repeated',
    async (change) => {
      const specAccepts = !change.repeated && validateAnswer(example.schema, JSON.parse(change.text), SENT);
      const clientAccepts = await read(change.text);
      expect({ change: change.what, clientAccepts }).toEqual({ change: change.what, clientAccepts: specAccepts });
      if (proof) expect(clientAccepts).toBe(false);
    },
    PROPERTY_TIMEOUT_MS,
  );

  // Layouts that do not change what the body says: member order, whitespace, a BOM, the charset.
  const layout = fc.record({
    order: fc.nat(),
    indent: fc.constantFrom(0, 1, 2, '\t', ' \n '),
    bom: fc.boolean(),
    contentType: fc.constantFrom('application/json', 'application/json;charset=UTF-8', 'application/json; charset=utf-8', 'APPLICATION/JSON'),
    // Free text stays free: any message is still the success (only `code`, `status` and the id prove it).
    message: fc.string({ unit: 'binary', maxLength: 40 }),
  });
  test.prop([layout], RUNS)('the documented body is always read as success, however it is laid out', async ({ order, indent, bom, contentType, message }) => {
    let seed = order;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const shuffled = (v: Json): Json => {
      if (Array.isArray(v)) return v.map(shuffled);
      if (!v || typeof v !== 'object') return v;
      const entries = Object.entries(v).map(([k, item]) => [k, k === 'message' && typeof item === 'string' ? message : shuffled(item), next()] as const);
      return Object.fromEntries(entries.sort((a, b) => a[2] - b[2]).map(([k, item]) => [k, item]));
    };
    const text = `${bom ? '\uFEFF' : ''}${JSON.stringify(shuffled(value), null, indent)}`;
    expect(await read(text, { 'content-type': contentType })).toBe(true);
  }, PROPERTY_TIMEOUT_MS);
});

describe('a declared Content-Encoding the transport does not decode is never a success (a real server)', () => {
  let server: Server;
  let base = '';
  const body = JSON.stringify({ share: { code: 'SUCCESS', details: { id: RECORD }, message: 'Sharing Revoked', status: 'success' } });
  beforeAll(async () => {
    // Revoke's documented success as plain JSON, labelled with the coding the request asks for.
    server = createServer((req, res) => {
      const coding = String(req.headers['x-test-coding'] ?? '');
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(coding ? { 'content-encoding': coding } : {}) }).end(body);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm/v8`;
  });
  const nodeFetch = createNodeFetch({ maxSockets: 4 });
  afterAll(async () => {
    nodeFetch.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const revoke = (transport: 'node' | 'fetch', coding: string) =>
    createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl: base, fetch: transport === 'node' ? nodeFetch : globalThis.fetch, maxRetries: 0 })
      .revokeSharedRecord({ module: 'Contacts', recordId: RECORD }, { headers: { 'x-test-coding': coding } })
      .then(
        () => true,
        () => false,
      );

  test.each([['node'], ['fetch']] as const)('control, over %s: the same body without a coding, or in identity, is the success', async (transport) => {
    expect(await revoke(transport, '')).toBe(true);
    expect(await revoke(transport, 'identity')).toBe(true);
  });

  const coding = fc.oneof(
    fc.constantFrom('gzip', 'br', 'deflate', 'compress', 'zstd', 'x-gzip', 'GZIP', 'Br', 'gzip, identity', 'identity, br', 'identity, x-custom', 'gzip, gzip'),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((c) => c !== 'identity'),
  );
  test.prop([coding, fc.constantFrom('node' as const, 'fetch' as const)], RUNS)('a plain JSON success labelled with any other coding, over either transport', async (label, transport) => {
    expect(await revoke(transport, label)).toBe(false);
  }, PROPERTY_TIMEOUT_MS);
});
