// The spec's schemas are the authority on what a success looks like. The client's run-time checks
// are generated from them (src/generated/success.ts, by openapi/scripts/generate.mjs), and this file
// holds the two to each other: every named example of every operation the client implements, then
// enumerated changes of each success example (here) and generated ones (success.property.test.ts),
// on which the generated check and ajv running the spec's own schema, with the request's path
// parameters for `x-zoho-echoes`, must agree. Last, the rules no schema states (the entry is the
// module asked for).
import { responseExamples, spec, validateAnswer, type ExampleCase } from '@zcrm-sharing/openapi/testing/spec';
import { describe, expect, it } from 'vitest';
import * as GENERATED from '../src/generated/success.ts';
import { createZohoCrmClient, isZohoCrmError, ZohoApiError, type OperationName } from '../src/index.ts';
import { shapeProblem, type Success } from '../src/shape.ts';
import { json, scriptedFetch } from './helpers.ts';

/** Each operation's generated success check, by operationId (every operation with a 2xx body, called by the client or not). */
const SUCCESS: Record<string, Success> = Object.fromEntries(
  // The operations' successes (`_SUCCESS`); a 207's `_PARTIAL` check is held in share-write.test.ts.
  Object.entries(GENERATED).filter(([name]) => name.endsWith('_SUCCESS')).map(([name, success]) => [name.replace(/_SUCCESS$/, '').toLowerCase().replace(/_(.)/g, (_m, c: string) => c.toUpperCase()), success]),
);
const OPERATIONS: OperationName[] = ['rerunDataSharingRules', 'getDataSharingRulesSummary', 'getSharedRecordDetails', 'revokeSharedRecord'];
/** The path parameters of the requests the examples answer (the record of every record example). */
const SENT = { module_api_name: 'Contacts', record_id: '4150868000001148212' };
const allExamples = responseExamples();
// Operations the spec may describe that this client does not call yet are left to their own tests.
const examples = allExamples.filter((e) => (OPERATIONS as string[]).includes(e.operationId));
const successes = examples.filter((e) => e.status.startsWith('2'));
const failures = examples.filter((e) => !e.status.startsWith('2'));
/** The success example of every operation of the spec (its documented success status only: not a 207). */
const specSuccesses = allExamples.filter((e) => SUCCESS[e.operationId]?.status === Number(e.status));

type Json = any;
/** What the client is asked, so that a success example is the answer to it. */
function callFor(op: OperationName, body: Json) {
  const client = (response: Response) => createZohoCrmClient({ auth: { accessToken: 't' }, fetch: scriptedFetch(response).fetch, maxRetries: 0 });
  if (op === 'revokeSharedRecord') {
    const id = body?.share?.details?.id;
    return (r: Response) => client(r).revokeSharedRecord({ module: 'Contacts', recordId: typeof id === 'string' && /^\d{1,19}$/.test(id) ? id : '4150868000001148212' });
  }
  if (op === 'getSharedRecordDetails') return (r: Response) => client(r).getSharedRecordDetails({ module: 'Contacts', recordId: '4150868000001148212' });
  if (op === 'getDataSharingRulesSummary') {
    const module = body?.sharing_rules_summary?.[0]?.module?.api_name;
    return (r: Response) => client(r).getDataSharingRulesSummary({ module: typeof module === 'string' && /^[A-Za-z]\w*$/.test(module) ? module : 'Leads' });
  }
  return (r: Response) => client(r).rerunDataSharingRules({ module: 'Leads' });
}

describe('the spec has examples for what the client calls', () => {
  it.each(OPERATIONS)('%s: at least one success and one error example', (op) => {
    expect(successes.some((e) => e.operationId === op)).toBe(true);
    expect(failures.some((e) => e.operationId === op)).toBe(true);
  });
});

describe('every success example of the spec is accepted, and resolves with its status object', () => {
  it.each(successes.map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as [string, ExampleCase]))('%s', async (_l, e) => {
    const op = e.operationId as OperationName;
    expect(validateAnswer(e.schema, e.value, SENT)).toBe(true);
    expect(shapeProblem(e.value, SUCCESS[op]!.shape, SENT)).toBeUndefined();
    const result: Json = await callFor(op, e.value)(json(Number(e.status), e.value));
    const v = e.value as Json;
    if (op === 'revokeSharedRecord' || op === 'getSharedRecordDetails') expect(result).toEqual(v.share);
    else if (op === 'rerunDataSharingRules') expect(result).toEqual({ ...v.sharing_rules[0], outcome: 'scheduled' });
    else expect(result).toEqual(v.sharing_rules_summary[0]);
  });

  it.each(successes.filter((e) => e.operationId === 'getDataSharingRulesSummary').map((e) => [e.name, e] as [string, ExampleCase]))(
    'getDataSharingRulesSummary without module, %s: every entry',
    async (_l, e) => {
      const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch: scriptedFetch(json(200, e.value)).fetch, maxRetries: 0 });
      expect(await client.getDataSharingRulesSummary()).toEqual((e.value as Json).sharing_rules_summary);
    },
  );
});

describe('the answers the spec documents without a body', () => {
  const client = () => createZohoCrmClient({ auth: { accessToken: 't' }, fetch: scriptedFetch(json(204, null)).fetch, maxRetries: 0 });
  it.each([
    ['rerun 204: the module has no rules', () => client().rerunDataSharingRules({ module: 'Leads' }), { outcome: 'no_rules' }],
    ['summary of a module, 204: null', () => client().getDataSharingRulesSummary({ module: 'Leads' }), null],
    ['summary of every module, 204: []', () => client().getDataSharingRulesSummary(), []],
    ['shares of a record, 204: shared with no one, []', () => client().getSharedRecordDetails({ module: 'Contacts', recordId: '4150868000001148212' }), []],
  ] as [string, () => Promise<unknown>, unknown][])('%s', async (_l, call, expected) => {
    expect(await call()).toEqual(expected);
  });

  it('revoke 204 is not a success (Zoho documents none)', async () => {
    const err = await client().revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' }).catch((x: unknown) => x);
    expect(isZohoCrmError(err) && err.kind).toBe('unexpected_response');
  });
});

describe('every error example of the spec is rejected with its Zoho code', () => {
  it.each(failures.map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as [string, ExampleCase]))('%s', async (_l, e) => {
    const v = e.value as Json;
    const inner = v.share ?? v.sharing_rules?.[0] ?? v;
    const err = await callFor(e.operationId as OperationName, undefined)(json(Number(e.status), v)).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ZohoApiError);
    expect([(err as ZohoApiError).status, (err as ZohoApiError).code]).toEqual([Number(e.status), inner.code]);
  });
});

/** Every property name the spec's schemas declare: each is also tried where an example lacks it. */
const SPEC_PROPERTIES = new Set<string>();
(function collect(node: Json) {
  if (Array.isArray(node)) node.forEach(collect);
  else if (node && typeof node === 'object') {
    if (node.properties) Object.keys(node.properties).forEach((k) => SPEC_PROPERTIES.add(k));
    Object.values(node).forEach(collect);
  }
})(spec.components.schemas);

/** Each success example with one thing changed: a key removed or added, a value of the wrong type, an empty array... */
function mutations(value: Json): { label: string; body: Json }[] {
  const out: { label: string; body: Json }[] = [];
  const replacements: [string, unknown][] = [
    ['null', null],
    ['a number', 1],
    ['a 19-digit JSON number', 4150868000001148212],
    ['a negative integer', -1],
    ['a fraction', 1.5],
    ['Infinity (1e999)', JSON.parse('1e999')],
    ['a string', 'x'],
    ['an empty string', ''],
    ['20 digits', '41508680000011482120'],
    ['true', true],
    ['an object', {}],
    ['an array', []],
  ];
  const walk = (node: Json, path: (string | number)[]) => {
    const at = path.join('.') || 'the body';
    for (const [what, r] of replacements) out.push({ label: `${at} = ${what}`, body: setAt(value, path, r) });
    if (Array.isArray(node)) {
      out.push({ label: `${at} with an extra bad item`, body: setAt(value, path, [...node, 'bad']) });
      node.forEach((item, i) => walk(item, [...path, i]));
    } else if (node && typeof node === 'object') {
      out.push({ label: `${at} with an extra key`, body: setAt(value, path, { ...node, extra: 1 }) });
      for (const key of SPEC_PROPERTIES) {
        if (key in node) continue;
        for (const [what, r] of replacements) out.push({ label: `${at}.${key} added = ${what}`, body: setAt(value, path, { ...node, [key]: r }) });
      }
      for (const key of Object.keys(node)) {
        const { [key]: _removed, ...rest } = node;
        out.push({ label: `${at} without ${key}`, body: setAt(value, path, rest) });
        walk(node[key], [...path, key]);
      }
    }
  };
  walk(value, []);
  return out;
}
function setAt(root: Json, path: (string | number)[], v: unknown): Json {
  if (!path.length) return v;
  const copy = structuredClone(root);
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path.at(-1)!] = v;
  return copy;
}

describe("the generated check agrees with the spec's schema on changes of every success example", () => {
  const cases = specSuccesses.map((e) => [`${e.operationId} ${e.name}`, e, mutations(e.value)] as [string, ExampleCase, ReturnType<typeof mutations>]);
  it('there are enough of them to mean something, for every operation with a success body', () => {
    expect(cases.reduce((n, [, , m]) => n + m.length, 0)).toBeGreaterThan(5000);
    expect(cases.map(([, e]) => e.operationId).sort()).toEqual(expect.arrayContaining(Object.keys(SUCCESS)));
    expect(Object.keys(SUCCESS)).toEqual(expect.arrayContaining(OPERATIONS));
  });
  // One test per example; each lists every change on which the two disagree (none is the pass).
  it.each(cases)('%s', (_l, e, bodies) => {
    const disagreements = bodies.flatMap(({ label, body }) => {
      const specAccepts = validateAnswer(e.schema, body, SENT);
      const problem = shapeProblem(body, SUCCESS[e.operationId]!.shape, SENT);
      return problem === undefined === specAccepts ? [] : [`${label}: the spec ${specAccepts ? 'accepts' : 'refuses'}, the client ${problem ?? 'accepts'}`];
    });
    expect(disagreements).toEqual([]);
  });

  it.each(specSuccesses.map((e) => [`${e.operationId} ${e.name}`, e] as const))('%s: refused by both as the answer about another record', (_l, e) => {
    const other = { ...SENT, record_id: '4150868000001148213' };
    const echoes = e.operationId === 'revokeSharedRecord';
    expect(validateAnswer(e.schema, e.value, other)).toBe(!echoes);
    expect(shapeProblem(e.value, SUCCESS[e.operationId]!.shape, other) === undefined).toBe(!echoes);
  });
});

describe('answers that pass a looser check are never a success (issue 22)', () => {
  const share = (over: Json) => ({ share: { code: 'SUCCESS', details: { id: '4150868000001148212' }, message: 'Sharing Revoked', status: 'success', ...over } });
  const rules = (over: Json) => ({ sharing_rules: [{ code: 'SCHEDULED', details: {}, message: 'Rerun successfully scheduled', status: 'success', ...over }] });
  it.each([
    ['revoke: code NO_PERMISSION with status success', 'revokeSharedRecord', share({ code: 'NO_PERMISSION', message: 'permission denied' }), 'unexpected_response'],
    ['revoke: code INTERNAL_ERROR with status success', 'revokeSharedRecord', share({ code: 'INTERNAL_ERROR' }), 'unexpected_response'],
    ['revoke: code INVALID_DATA with status success', 'revokeSharedRecord', share({ code: 'INVALID_DATA' }), 'unexpected_response'],
    ['revoke: code "success" in lower case', 'revokeSharedRecord', share({ code: 'success' }), 'unexpected_response'],
    ['revoke: status "Success" (not Zoho\'s "success": read as an error status object)', 'revokeSharedRecord', share({ status: 'Success' }), 'api'],
    ['revoke: another record id', 'revokeSharedRecord', share({ details: { id: '4150868000001148213' } }), 'unexpected_response'],
    ['revoke: no id at all', 'revokeSharedRecord', share({ details: {} }), 'unexpected_response'],
    ['revoke: an extra member in details', 'revokeSharedRecord', share({ details: { id: '4150868000001148212', error: 'x' } }), 'unexpected_response'],
    ['revoke: an error beside the share', 'revokeSharedRecord', { ...share({}), code: 'INTERNAL_ERROR' }, 'unexpected_response'],
    ['revoke: share.status "error" with a code the factory does not know', 'revokeSharedRecord', share({ code: 'SOMETHING', status: 'error' }), 'api'],
    ['rerun: CANNOT_PROCESS with status success', 'rerunDataSharingRules', rules({ code: 'CANNOT_PROCESS', message: 'The scheduler is currently running' }), 'unexpected_response'],
    ['rerun: CANNOT_PROCESS with status error in sharing_rules', 'rerunDataSharingRules', rules({ code: 'CANNOT_PROCESS', status: 'error' }), 'scheduler_busy'],
    ['rerun: two SCHEDULED items', 'rerunDataSharingRules', { sharing_rules: [...rules({}).sharing_rules, ...rules({}).sharing_rules] }, 'unexpected_response'],
    ['rerun: details not empty', 'rerunDataSharingRules', rules({ details: { id: '1' } }), 'unexpected_response'],
  ] as [string, OperationName, Json, string][])('%s: %s', async (_l, op, body, kind) => {
    // The record asked for is always 4150868000001148212, whatever the body says.
    const err = await callFor(op, op === 'revokeSharedRecord' ? share({}) : body)(json(200, body)).then(
      (v) => ({ resolved: v }),
      (x: unknown) => x,
    );
    expect(isZohoCrmError(err) && err.kind).toBe(kind);
  });
});

describe('schema-valid answers that are still not the success asked for', () => {
  const summary = (api_name: string) => ({ sharing_rules_summary: [{ module: { api_name, id: '4150868000000002175' }, rule_computation_status: false, rule_count: 3 }] });
  it.each([
    ['summary: another module only', 'getDataSharingRulesSummary', summary('Deals'), 'unexpected_response'],
    ['summary: an empty list', 'getDataSharingRulesSummary', { sharing_rules_summary: [] }, 'unexpected_response'],
  ] as [string, OperationName, Json, string][])('%s', async (_l, op, body, kind) => {
    const schema = successes.find((e) => e.operationId === op)!.schema;
    expect(validateAnswer(schema, body, SENT)).toBe(true);
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch: scriptedFetch(json(200, body)).fetch, maxRetries: 0 });
    const call = op === 'revokeSharedRecord' ? client.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' }) : client.getDataSharingRulesSummary({ module: 'Leads' });
    const err = await call.catch((x: unknown) => x);
    expect(isZohoCrmError(err) && err.kind).toBe(kind);
  });

  it('a JSON number as the id is refused, and the message shows the digits the server wrote', async () => {
    const text = '{"share":{"code":"SUCCESS","details":{"id":4150868000001148212},"message":"Sharing Revoked","status":"success"}}';
    const { fetch } = scriptedFetch(new Response(text, { status: 200, headers: { 'content-type': 'application/json' } }));
    const client = createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 });
    const err = await client.revokeSharedRecord({ module: 'Contacts', recordId: '4150868000001148212' }).catch((x: unknown) => x);
    expect(isZohoCrmError(err) && err.kind).toBe('unexpected_response');
    // The path and why; the digits as the server wrote them are in the body snippet, never the rounded ones.
    expect((err as Error).message).toMatch(/share\.details\.id is a JSON number, not a string \(ids exceed 2\^53\).*"id":4150868000001148212\b/);
    expect((err as Error).message).not.toContain('4150868000001148400');
  });
});

describe('getSharedRecordDetails: ids are strings, never numbers', () => {
  const text = (id: string) =>
    `{"share":[{"shared_with":{"type":"users","id":${id},"name":"Patricia Boyle"},"permission":"read_write","share_related_records":false,"type":"private"}]}`;
  const read = (body: string) => {
    const { fetch } = scriptedFetch(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
    return createZohoCrmClient({ auth: { accessToken: 't' }, fetch, maxRetries: 0 }).getSharedRecordDetails({ module: 'Contacts', recordId: '4150868000001148212' });
  };

  it('a user id as a JSON number is refused, and the message shows the digits the server wrote', async () => {
    const err = await read(text('4150868000000224005')).catch((x: unknown) => x);
    expect(isZohoCrmError(err) && err.kind).toBe('unexpected_response');
    expect((err as Error).message).toMatch(/share\[0\]\.shared_with\.id is a JSON number, not a string .*"id":4150868000000224005\b/);
    expect((err as Error).message).not.toContain('4150868000000224000');
  });

  it('the same id as a string comes back as the same string', async () => {
    expect((await read(text('"4150868000000224005"')))[0]!.shared_with.id).toBe('4150868000000224005');
  });

  it('a 200 with an empty share list is not the documented answer (nothing shared is a 204)', async () => {
    const err = await read('{"share":[]}').catch((x: unknown) => x);
    expect(isZohoCrmError(err) && err.kind).toBe('unexpected_response');
  });
});
