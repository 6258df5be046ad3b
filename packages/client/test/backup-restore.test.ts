// Backup before revoke and restore from a backup: the rules (equality, what is missing, how entries
// split into calls within Zoho's limits) held over generated inputs, and the calls each function makes
// against scripted answers (a 204 read sends no DELETE; nothing is "restored" without Zoho's proof).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  backupAndRevoke,
  backupOf,
  createZohoCrmClient,
  MAX_SHARE_ENTRIES_PER_CALL,
  missingShares,
  planShareCalls,
  restoreRecordShares,
  sameShare,
  sameShares,
  shareKey,
  type BackedUpShare,
  type RecordBackup,
  type SharedRecordDetail,
} from '../src/index.ts';
import { SHARE_LIMITS_PER_RECORD } from '../src/generated/zoho.ts';
import { json, scriptedFetch, specExample } from './helpers.ts';

const ID = '4150868000001148212';
const MODULE_ID = '4150868000000002177';
const clientWith = (...steps: Parameters<typeof scriptedFetch>) => {
  const f = scriptedFetch(...steps);
  return { client: createZohoCrmClient({ auth: { accessToken: 'token-1' }, baseUrl: 'https://crm.test/crm/v8', fetch: f.fetch, maxRetries: 0 }), calls: f.calls };
};
const SUCCESS_ITEM = (specExample('shareRecord', '201', 'SUCCESS') as any).share[0];
const created = (n: number) => json(201, { share: Array.from({ length: n }, () => SUCCESS_ITEM) });

const recipientType = fc.constantFrom('users' as const, 'roles' as const, 'groups' as const);
const share: fc.Arbitrary<BackedUpShare> = fc.record({
  shared_with: fc.record({ type: recipientType, id: fc.integer({ min: 0, max: 30 }).map((i) => String(4150868000000224005n + BigInt(i))) }),
  permission: fc.constantFrom('read_only' as const, 'read_write' as const, 'full_access' as const),
  share_related_records: fc.boolean(),
  type: fc.constantFrom('private' as const, 'public' as const),
});
const recipient = (s: BackedUpShare) => `${s.shared_with.type}:${s.shared_with.id}`;

describe('equality: what restore compares', () => {
  test.prop([share, share])('two shares are equal exactly when recipient type and id, permission, related records and visibility are', (a, b) => {
    const fieldwise =
      a.shared_with.type === b.shared_with.type && a.shared_with.id === b.shared_with.id && a.permission === b.permission && a.share_related_records === b.share_related_records && a.type === b.type;
    expect(sameShare(a, b)).toBe(fieldwise);
    expect(sameShare({ ...a, shared_with: { ...a.shared_with, name: 'Someone' } }, a)).toBe(true);
  });

  test.prop([fc.array(share, { maxLength: 30 }), fc.array(share, { maxLength: 30 })])('missingShares: the backed-up shares not found, each once, none found', (backup, found) => {
    const missing = missingShares(backup, found);
    const keys = missing.map(shareKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of missing) expect(found.some((f) => sameShare(f, m))).toBe(false);
    // Nothing lost: every backed-up share is either found or missing.
    for (const b of backup) expect(found.some((f) => sameShare(f, b)) || missing.some((m) => sameShare(m, b))).toBe(true);
    expect(sameShares([...found, ...missing].filter((s) => backup.some((b) => sameShare(b, s))), backup)).toBe(true);
  });
});

describe('planShareCalls: within Zoho limits, nothing lost, nothing twice', () => {
  test.prop([fc.array(share, { maxLength: 80 }), fc.array(share, { maxLength: 25 })])('each call at most 20 entries, a public entry alone, per-record limits held, every entry planned once or over the limit', (entries, existing) => {
    const { calls, overLimit } = planShareCalls(entries, existing);
    for (const c of calls) {
      expect(c.length).toBeGreaterThan(0);
      expect(c.length).toBeLessThanOrEqual(MAX_SHARE_ENTRIES_PER_CALL);
      if (c.some((s) => s.type === 'public')) expect(c).toHaveLength(1);
    }
    const planned = calls.flat();
    const all = [...planned, ...overLimit].map(shareKey);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(entries.map(shareKey)));
    // The record's recipients after the calls, per type, within Zoho's per-record limits (when the existing ones were).
    const recipients = new Set([...existing, ...planned].map(recipient));
    for (const type of ['users', 'roles', 'groups'] as const) {
      const before = new Set(existing.filter((s) => s.shared_with.type === type).map(recipient)).size;
      const after = [...recipients].filter((r) => r.startsWith(`${type}:`)).length;
      expect(after).toBeLessThanOrEqual(Math.max(before, SHARE_LIMITS_PER_RECORD[type]));
    }
    // An entry is left out only when its type is full.
    for (const o of overLimit) expect([...recipients].filter((r) => r.startsWith(`${o.shared_with.type}:`)).length).toBeGreaterThanOrEqual(SHARE_LIMITS_PER_RECORD[o.shared_with.type]);
  });
});

const detail = (s: BackedUpShare, through = ID): SharedRecordDetail => ({
  shared_with: { ...s.shared_with, name: 'Name' },
  permission: s.permission,
  share_related_records: s.share_related_records,
  shared_time: '2026-12-01T10:00:00+00:00',
  shared_by: { id: '4150868000000225013', name: 'Sandbox Admin' },
  shared_through: { module: { name: 'Contacts', id: MODULE_ID }, id: through },
  type: s.type,
});
const U = (i: number, permission: BackedUpShare['permission'] = 'read_only', type: BackedUpShare['type'] = 'private'): BackedUpShare => ({
  shared_with: { type: 'users', id: String(4150868000000224005n + BigInt(i)) },
  permission,
  share_related_records: false,
  type,
});
const REVOKED = json(200, { share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } });

describe('backupAndRevoke', () => {
  it('204 read: the backup is empty, no DELETE is sent (one call), outcome not_shared', async () => {
    const { client, calls } = clientWith(json(204, null));
    const r = await backupAndRevoke(client, { module: 'Contacts', recordId: ID }, { now: () => new Date('2026-12-06T19:00:00Z') });
    expect([r.outcome, r.calls, r.backup.shares, r.backup.readAt]).toEqual(['not_shared', 1, [], '2026-12-06T19:00:00.000Z']);
    expect(calls.map((c) => c.method)).toEqual(['GET']);
  });

  it('the backup is handed over before the DELETE goes out; entries through another record kept apart', async () => {
    const order: string[] = [];
    const { client, calls } = clientWith(json(200, { share: [detail(U(0, 'full_access')), detail(U(1), '4150868000009999999')] }), (call) => (order.push(call.method), REVOKED));
    const r = await backupAndRevoke(client, { module: 'Contacts', recordId: ID }, { onBackup: (b) => void order.push(`backup ${b.shares.length}+${b.sharedThrough.length}`) });
    expect(order).toEqual(['backup 1+1', 'DELETE']);
    expect([r.outcome, r.calls]).toEqual(['revoked', 2]);
    expect(r.backup.shares).toEqual([{ ...U(0, 'full_access'), shared_with: { ...U(0).shared_with, name: 'Name' } }]);
    expect(r.backup.sharedThrough[0]!.shared_through).toEqual({ id: '4150868000009999999', module: 'Contacts' });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'DELETE']);
  });

  it('onBackup throws (the backup could not be stored): no DELETE', async () => {
    const { client, calls } = clientWith(json(200, { share: [detail(U(0))] }), REVOKED);
    await expect(backupAndRevoke(client, { module: 'Contacts', recordId: ID }, { onBackup: () => { throw new Error('disk full'); } })).rejects.toThrow('disk full');
    expect(calls.map((c) => c.method)).toEqual(['GET']);
  });

  it("Zoho's defaults are written out: no share_related_records is false, no type is private", () => {
    const b = backupOf('Contacts', ID, [{ shared_with: { type: 'roles', id: '4150868000000231001' }, permission: 'read_only' }], 'T');
    expect(b.shares).toEqual([{ shared_with: { type: 'roles', id: '4150868000000231001' }, permission: 'read_only', share_related_records: false, type: 'private' }]);
  });
});

const backup = (shares: BackedUpShare[]): RecordBackup => ({ module: 'Contacts', recordId: ID, readAt: '2026-12-06T19:00:00.000Z', shares, sharedThrough: [] });

describe('restoreRecordShares', () => {
  it('unshared record: GET then one POST with every entry; restored only on the 201', async () => {
    const { client, calls } = clientWith(json(204, null), created(2));
    const r = await restoreRecordShares(client, backup([U(0, 'full_access'), U(1)]));
    expect([r.status, r.calls, r.applied.length]).toEqual(['restored', 2, 2]);
    expect(calls.map((c) => c.method)).toEqual(['GET', 'POST']);
    expect(JSON.parse(calls[1]!.body!).share.map((s: any) => s.shared_with.id)).toEqual([U(0).shared_with.id, U(1).shared_with.id]);
  });

  it('two public entries: each alone in its call (Zoho refuses two in one)', async () => {
    const { client, calls } = clientWith(json(204, null), created(1));
    const r = await restoreRecordShares(client, backup([U(0, 'read_only', 'public'), U(1), U(2, 'read_write', 'public')]));
    expect(r.status).toBe('restored');
    expect(calls.slice(1).map((c) => JSON.parse(c.body!).share.map((s: any) => s.type))).toEqual([['private'], ['public'], ['public']]);
  });

  it('207: the applied entries are restored, the others reported by entry with their error; not "restored"', async () => {
    const body = specExample('shareRecord', '207', 'PARTIAL') as any;
    const { client } = clientWith(json(204, null), json(207, body));
    const r = await restoreRecordShares(client, backup([U(0), U(1)]));
    expect(r.status).toBe('partial');
    expect(r.applied).toEqual([U(0)]);
    expect(r.failed).toEqual([{ share: U(1), error: body.share[1] }]);
  });

  it('400, no entry applied: every entry failed with the error; nothing restored', async () => {
    const { client } = clientWith(json(204, null), json(400, specExample('shareRecord', '400', 'INVALID_DATA_USER_ID')));
    const r = await restoreRecordShares(client, backup([U(0)]));
    expect([r.status, r.applied, r.failed.map((f) => f.error.code)]).toEqual(['failed', [], ['INVALID_DATA']]);
  });

  it('a 201 that does not prove each entry (fewer results than entries) is not a restore: thrown', async () => {
    const { client } = clientWith(json(204, null), created(1));
    await expect(restoreRecordShares(client, backup([U(0), U(1)]))).rejects.toMatchObject({ kind: 'unexpected_response' });
  });

  it('shared again since the backup: reported, left alone (no POST); --merge adds only the missing entries', async () => {
    const read = json(200, { share: [detail(U(5)), detail(U(0))] });
    const left = clientWith(read);
    const r = await restoreRecordShares(left.client, backup([U(0), U(1)]));
    expect([r.status, left.calls.map((c) => c.method)]).toEqual(['reshared', ['GET']]);
    const merged = clientWith(read, created(1));
    const m = await restoreRecordShares(merged.client, backup([U(0), U(1)]), { merge: true });
    expect(m.status).toBe('restored');
    expect(JSON.parse(merged.calls[1]!.body!).share.map((s: any) => s.shared_with.id)).toEqual([U(1).shared_with.id]);
  });

  it('every backed-up share present already: nothing sent (a restore that was applied but not recorded)', async () => {
    const { client, calls } = clientWith(json(200, { share: [detail(U(0)), detail(U(1))] }));
    const r = await restoreRecordShares(client, backup([U(1), U(0)]));
    expect([r.status, calls.length]).toEqual(['already_present', 1]);
  });

  it('same recipient, another permission now: not equal, so the record counts as shared again', async () => {
    const { client } = clientWith(json(200, { share: [detail(U(0, 'full_access'))] }));
    expect((await restoreRecordShares(client, backup([U(0)]))).status).toBe('reshared');
  });

  it('an empty backup: no call at all', async () => {
    const { client, calls } = clientWith(json(204, null));
    expect((await restoreRecordShares(client, backup([]))).status).toBe('nothing_to_restore');
    expect(calls).toHaveLength(0);
  });
});
