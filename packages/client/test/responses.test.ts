// The spec's schemas are the authority on what a success looks like. The client's run-time checks
// are hand-written (src/responses.ts), so this file holds them to the spec: every named example of
// every operation the client implements, then mutations of each success example, where the
// client's shape check must agree with ajv running the spec's own schema. Last, the rules no schema
// states (the status is success, the id is the one sent, the entry is the module asked for).
import { responseExamples, spec, validatorFor, type ExampleCase } from '@zcrm-sharing/openapi/testing/spec';
import { describe, expect, it } from 'vitest';
import { createZohoCrmClient, isZohoCrmError, ZohoApiError, type OperationName } from '../src/index.ts';
import { SUCCESS_SCHEMAS, schemaProblem } from '../src/responses.ts';
import { json, scriptedFetch } from './helpers.ts';

const OPERATIONS = Object.keys(SUCCESS_SCHEMAS) as OperationName[];
// Operations the spec may describe that this client does not call yet are left to their own tests.
const examples = responseExamples().filter((e) => (OPERATIONS as string[]).includes(e.operationId));
const successes = examples.filter((e) => e.status.startsWith('2'));
const failures = examples.filter((e) => !e.status.startsWith('2'));

type Json = any;
/** What the client is asked, so that a success example is the answer to it. */
function callFor(op: OperationName, body: Json) {
  const client = (response: Response) => createZohoCrmClient({ auth: { accessToken: 't' }, fetch: scriptedFetch(response).fetch, maxRetries: 0 });
  if (op === 'revokeSharedRecord') {
    const id = body?.share?.details?.id;
    return (r: Response) => client(r).revokeSharedRecord({ module: 'Contacts', recordId: typeof id === 'string' && /^\d{1,19}$/.test(id) ? id : '4150868000001148212' });
  }
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
    expect(validatorFor(e.schema)(e.value)).toBe(true);
    expect(schemaProblem(e.value, SUCCESS_SCHEMAS[op])).toBeUndefined();
    const result: Json = await callFor(op, e.value)(json(Number(e.status), e.value));
    const v = e.value as Json;
    if (op === 'revokeSharedRecord') expect(result).toEqual(v.share);
    else if (op === 'rerunDataSharingRules') expect(result).toEqual({ ...v.sharing_rules[0], outcome: 'scheduled' });
    else expect(result).toEqual(v.sharing_rules_summary[0]);
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

describe("the client's shape check agrees with the spec's schema on mutations of every success example", () => {
  const cases = successes.flatMap((e) => mutations(e.value).map((m) => [`${e.operationId} ${e.name}: ${m.label}`, e, m.body] as [string, ExampleCase, Json]));
  it('there are enough of them to mean something', () => expect(cases.length).toBeGreaterThan(1000));
  it.each(cases)('%s', (_l, e, body) => {
    const specAccepts = validatorFor(e.schema)(body) as boolean;
    const problem = schemaProblem(body, SUCCESS_SCHEMAS[e.operationId as OperationName]);
    expect(problem === undefined, problem ?? 'accepted').toBe(specAccepts);
  });
});

describe('schema-valid answers that are still not the success asked for', () => {
  const share = (over: Json) => ({ share: { code: 'SUCCESS', details: { id: '4150868000001148212' }, message: 'Sharing Revoked', status: 'success', ...over } });
  const summary = (api_name: string) => ({ sharing_rules_summary: [{ module: { api_name, id: '4150868000000002175' }, rule_computation_status: false, rule_count: 3 }] });
  it.each([
    ['revoke: share.status "error" with a code the factory does not know', 'revokeSharedRecord', share({ code: 'SOMETHING', status: 'error' }), 'api'],
    ['revoke: another record id', 'revokeSharedRecord', share({ details: { id: '4150868000001148213' } }), 'unexpected_response'],
    ['revoke: no id at all', 'revokeSharedRecord', share({ details: {} }), 'unexpected_response'],
    ['summary: another module only', 'getDataSharingRulesSummary', summary('Deals'), 'unexpected_response'],
    ['summary: an empty list', 'getDataSharingRulesSummary', { sharing_rules_summary: [] }, 'unexpected_response'],
  ] as [string, OperationName, Json, string][])('%s', async (_l, op, body, kind) => {
    const schema = successes.find((e) => e.operationId === op)!.schema;
    expect(validatorFor(schema)(body)).toBe(true);
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
    expect((err as Error).message).toMatch(/share\.details\.id .*the JSON number 4150868000001148212: refused/);
    expect((err as Error).message).not.toContain('4150868000001148400');
  });
});
