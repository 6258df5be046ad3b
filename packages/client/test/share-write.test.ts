// shareRecord and updateRecordShares: one outcome per entry in request order; a 207 resolves with the
// entries applied and those that failed (never thrown away, never complete); nothing but the spec's
// 201 or a well-formed 207 naming every entry sent is read as applied.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createZohoCrmClient, InvalidInputError, isZohoCrmError, UnexpectedResponseError, ZohoApiError, type ShareEntryInput } from '../src/index.ts';
import { responseExamples, validateAnswer } from '@zcrm-sharing/openapi/testing/spec';
import { SHARE_RECORD_PARTIAL, UPDATE_RECORD_SHARES_PARTIAL } from '../src/generated/success.ts';
import { shapeProblem, type Success } from '../src/shape.ts';
import { json, scriptedFetch, specExample } from './helpers.ts';

const ID = '4150868000001148212';
const USER = (i: number) => String(4150868000000224005n + BigInt(i));
const entry = (i: number, permission: ShareEntryInput['permission'] = 'read_only'): ShareEntryInput => ({ shared_with: { type: 'users', id: USER(i) }, permission });
const clientWith = (...steps: Parameters<typeof scriptedFetch>) => {
  const f = scriptedFetch(...steps);
  return { client: createZohoCrmClient({ auth: { accessToken: 'token-1' }, baseUrl: 'https://crm.test/crm/v8', fetch: f.fetch, maxRetries: 0 }), calls: f.calls };
};
const SUCCESS = (specExample('shareRecord', '201', 'SUCCESS') as any).share[0];
const error = (i: number) => ({ code: 'INVALID_DATA', details: { api_name: 'id', json_path: `$.share[${i}].shared_with.id` }, message: 'invalid user Id', status: 'error' });

describe('shareRecord and updateRecordShares', () => {
  it("201, the spec's example: every entry applied, in order; the request is Zoho's body", async () => {
    const { client, calls } = clientWith(json(201, specExample('shareRecord', '201', 'SUCCESS')));
    const r = await client.shareRecord({ module: 'Contacts', recordId: ID, share: [entry(0, 'full_access'), { ...entry(1), type: 'private', share_related_records: true }], notifySharedMembers: false });
    expect([r.complete, r.applied.map((x) => x.index), r.failed]).toEqual([true, [0, 1], []]);
    expect([calls[0]!.method, calls[0]!.url, calls[0]!.headers.get('content-type')]).toEqual(['POST', `https://crm.test/crm/v8/Contacts/${ID}/actions/share`, 'application/json']);
    expect(JSON.parse(calls[0]!.body!)).toEqual({
      share: [
        { shared_with: { type: 'users', id: USER(0) }, permission: 'full_access', type: 'private' },
        { shared_with: { type: 'users', id: USER(1) }, permission: 'read_only', type: 'private', share_related_records: true },
      ],
      notify_shared_members: false,
    });
  });

  it.each([
    ['shareRecord', 'POST', 'PARTIAL', [0], [1]],
    ['updateRecordShares', 'PUT', 'PARTIAL', [0], [1]],
    ['shareRecord', 'POST', 'PARTIAL_ALREADY_VISIBLE', [1], [0]],
  ] as const)("%s 207 (%s, the spec's %s): resolves, not complete, applied and failed by position with Zoho's error", async (op, method, name, applied, failed) => {
    const body = specExample(op, '207', name) as any;
    const { client, calls } = clientWith(json(207, body));
    const r = await client[op]({ module: 'Contacts', recordId: ID, share: [entry(0), entry(1)] });
    expect(calls[0]!.method).toBe(method);
    expect(r.complete).toBe(false);
    expect(r.applied.map((x) => x.index)).toEqual(applied);
    expect(r.failed.map((x) => [x.index, x.entry.shared_with.id, x.error])).toEqual(failed.map((i) => [i, USER(i), body.share[i]]));
    expect(r.entries.map((x) => x.applied)).toEqual([0, 1].map((i) => (applied as readonly number[]).includes(i)));
  });

  it('400, no entry applied: thrown as the API error, with its code', async () => {
    const { client } = clientWith(json(400, specExample('shareRecord', '400', 'INVALID_DATA_USER_ID')));
    const err = await client.shareRecord({ module: 'Contacts', recordId: ID, share: [entry(0)] }).catch((e) => e);
    expect(err).toBeInstanceOf(ZohoApiError);
    expect([err.status, err.code]).toEqual([400, 'INVALID_DATA']);
  });

  it.each([
    ['a 207 with fewer results than entries', 207, { share: [SUCCESS] }],
    ['a 207 with more results than entries', 207, { share: [SUCCESS, error(1), error(2)] }],
    ['a 207 where every entry applied', 207, { share: [SUCCESS, SUCCESS] }],
    ['a 207 where none applied', 207, { share: [error(0), error(1)] }],
    ['a 207 item saying success with another code', 207, { share: [{ ...SUCCESS, code: 'NO_PERMISSION' }, error(1)] }],
    ['a 207 item with code SUCCESS and status error', 207, { share: [{ ...SUCCESS, status: 'error' }, error(1)] }],
    ['a 207 SUCCESS item with details', 207, { share: [{ ...SUCCESS, details: { id: '1' } }, error(1)] }],
    ['a 201 with one result for two entries', 201, { share: [SUCCESS] }],
    ['a 201 with an error item', 201, { share: [SUCCESS, error(1)] }],
  ])('%s: not proof of what applied, so the call fails (an unexpected answer, or the error it carries)', async (_l, status, body) => {
    const { client } = clientWith(json(status, body));
    const err = await client.shareRecord({ module: 'Contacts', recordId: ID, share: [entry(0), entry(1)] }).then(
      (r) => r,
      (e) => e,
    );
    expect(isZohoCrmError(err) && (err instanceof UnexpectedResponseError || err instanceof ZohoApiError), String(err)).toBe(true);
  });

  it.each([
    [{ share: [] }, 'share'],
    [{ share: Array.from({ length: 21 }, (_, i) => entry(i % 10)) }, 'share'],
    [{ share: [entry(0), { ...entry(1), permission: 'owner' }] }, 'share[1].permission'],
    [{ share: [{ shared_with: { type: 'teams', id: USER(0) }, permission: 'read_only' }] }, 'share[0].shared_with.type'],
    [{ share: [{ shared_with: { type: 'users', id: 4150868000000224005 }, permission: 'read_only' }] }, 'share[0].shared_with.id'],
    [{ share: [{ ...entry(0), type: 'everyone' }] }, 'share[0].type'],
    [{ share: [{ ...entry(0), share_related_records: 'yes' }] }, 'share[0].share_related_records'],
    [{ share: [entry(0)], notifySharedMembers: 'yes' }, 'notifySharedMembers'],
  ])('bad input is refused before any request, naming the field (%#: %s)', async (more, field) => {
    const { client, calls } = clientWith(json(201, { share: [SUCCESS] }));
    const err = await client.shareRecord({ module: 'Contacts', recordId: ID, ...(more as any) }).catch((e) => e);
    expect([err.constructor, err.field]).toEqual([InvalidInputError, field]);
    expect(calls).toHaveLength(0);
  });

  test.prop([fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }), fc.constantFrom('shareRecord' as const, 'updateRecordShares' as const)], { numRuns: 1000 })(
    'for any mix of outcomes: resolves iff some entry applied, each outcome at its entry, complete iff all',
    async (outcomes, op) => {
      const status = outcomes.every(Boolean) ? 201 : outcomes.some(Boolean) ? 207 : 400;
      const body = { share: outcomes.map((ok, i) => (ok ? SUCCESS : error(i))) };
      const { client } = clientWith(json(status, body));
      const share = outcomes.map((_, i) => entry(i % 10));
      const r = await client[op]({ module: 'Contacts', recordId: ID, share }).catch((e) => e);
      if (status === 400) {
        expect(r).toBeInstanceOf(ZohoApiError);
        return;
      }
      expect(r.complete).toBe(status === 201);
      expect(r.entries.map((x: any) => [x.index, x.applied, x.entry])).toEqual(outcomes.map((ok, i) => [i, ok, { ...share[i], type: 'private' }]));
      expect(r.failed.map((x: any) => x.error.details.json_path)).toEqual(outcomes.flatMap((ok, i) => (ok ? [] : [`$.share[${i}].shared_with.id`])));
    },
  );

  test.prop([fc.array(fc.boolean(), { minLength: 2, maxLength: 20 }).filter((o) => o.some(Boolean) && !o.every(Boolean)), fc.nat(), fc.constantFrom('drop', 'duplicate', 'success-code', 'retype')], { numRuns: 1000 })(
    'a changed 207 (an item dropped or added, an error item claiming success, an item retyped) is never read',
    async (outcomes, at, change) => {
      const items: unknown[] = outcomes.map((ok, i) => (ok ? SUCCESS : error(i)));
      const i = at % items.length;
      if (change === 'drop') items.splice(i, 1);
      if (change === 'duplicate') items.splice(i, 0, items[i]);
      if (change === 'success-code') items[outcomes.indexOf(false)] = { ...error(0), status: 'success' };
      if (change === 'retype') items[i] = JSON.stringify(items[i]);
      const { client } = clientWith(json(207, { share: items }));
      const r = await client.shareRecord({ module: 'Contacts', recordId: ID, share: outcomes.map((_, k) => entry(k % 10)) }).catch((e) => e);
      expect(r instanceof UnexpectedResponseError || r instanceof ZohoApiError, String(r)).toBe(true);
    },
  );
});

describe("getSharedRecordDetails takes the read's filters", () => {
  it('sends them as Zoho names them', async () => {
    const { client, calls } = clientWith(json(204, undefined));
    expect(await client.getSharedRecordDetails({ module: 'Contacts', recordId: ID, sharedTo: 4150868000000224005n, view: 'manage', approved: 'false', currentUser: true })).toEqual([]);
    expect(calls[0]!.url).toBe(`https://crm.test/crm/v8/Contacts/${ID}/actions/share?sharedTo=4150868000000224005&view=manage&approved=false&current_user=true`);
  });

  it.each([
    [{ view: 'bogus' }, 'view'],
    [{ approved: true }, 'approved'],
    [{ currentUser: 'yes' }, 'currentUser'],
    [{ sharedTo: 4150868000000224005 }, 'sharedTo'],
  ])('a bad filter is refused before any request (%o)', async (filter, field) => {
    const { client, calls } = clientWith(json(204, undefined));
    const err = await client.getSharedRecordDetails({ module: 'Contacts', recordId: ID, ...(filter as any) }).catch((e) => e);
    expect([err.constructor, err.field]).toEqual([InvalidInputError, field]);
    expect(calls).toHaveLength(0);
  });
});

describe("the generated 207 check agrees with the spec's schema", () => {
  const partials = responseExamples().filter((e) => e.status === '207');
  const CHECK = { shareRecord: SHARE_RECORD_PARTIAL, updateRecordShares: UPDATE_RECORD_SHARES_PARTIAL } as Record<string, Success>;
  const SENT = { module_api_name: 'Contacts', record_id: ID };
  /** Every path to a value in a JSON document. */
  const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
    v && typeof v === 'object' ? [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))] : [at];
  const replaced = (doc: unknown, path: (string | number)[], value: unknown, remove: boolean) => {
    const copy = structuredClone(doc) as any;
    if (path.length === 0) return value;
    const parent = path.slice(0, -1).reduce((o, k) => o[k], copy);
    if (remove) Array.isArray(parent) ? parent.splice(Number(path.at(-1)), 1) : delete parent[path.at(-1)!];
    else parent[path.at(-1)!] = value;
    return copy;
  };

  it('every 207 example is accepted by both', () => {
    expect(partials.map((e) => e.operationId).sort()).toEqual(['shareRecord', 'shareRecord', 'shareRecord', 'updateRecordShares', 'updateRecordShares', 'updateRecordShares']);
    for (const e of partials) expect([validateAnswer(e.schema, e.value, SENT), shapeProblem(e.value, CHECK[e.operationId]!.shape, SENT)]).toEqual([true, undefined]);
  });

  test.prop([fc.constantFrom(...responseExamples().filter((e) => e.status === '207')), fc.nat(), fc.jsonValue(), fc.boolean()], { numRuns: 10_000 })(
    'a value anywhere replaced by any JSON (or removed): the client accepts exactly what the spec accepts',
    (e, at, value, remove) => {
      const all = paths(e.value);
      const body = replaced(e.value, all[at % all.length]!, value, remove);
      expect(shapeProblem(body, CHECK[e.operationId]!.shape, SENT) === undefined).toBe(validateAnswer(e.schema, body, SENT));
    },
  );
});
