// Contract tier for the share writes and the read's filters: the client against Prism serving the
// spec (Prism checks each request against the spec and answers the example asked for with `Prefer`).
import { startPrism, type PrismMock } from '@zcrm-sharing/openapi/testing/prism';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZohoCrmClient, ZohoApiError } from '../src/index.ts';

let prism: PrismMock;
beforeAll(async () => {
  prism = await startPrism();
});
afterAll(() => prism?.stop());

const client = (prefer?: string) =>
  createZohoCrmClient({ auth: { accessToken: '1000.contract.token' }, baseUrl: prism.url, maxRetries: 0, ...(prefer ? { headers: { Prefer: prefer } } : {}) });
const ID = '4150868000001148212';
const two = [
  { shared_with: { type: 'users' as const, id: '4150868000000224005' }, permission: 'read_write' as const },
  { shared_with: { type: 'roles' as const, id: '4150868000000231001' }, permission: 'read_only' as const, share_related_records: true },
];

describe('share writes against the spec', () => {
  it.each(['shareRecord', 'updateRecordShares'] as const)('%s: the 201 example, both entries applied', async (op) => {
    const r = await client('code=201')[op]({ module: 'Contacts', recordId: ID, share: two });
    expect([r.complete, r.applied.length, r.failed.length]).toEqual([true, 2, 0]);
  });

  it.each(['PARTIAL', 'PARTIAL_INVALID_DATA', 'PARTIAL_ALREADY_VISIBLE'])('shareRecord: the 207 example %s, one applied and one failed, in order', async (name) => {
    const r = await client(`code=207, example=${name}`).shareRecord({ module: 'Contacts', recordId: ID, share: two });
    expect(r.complete).toBe(false);
    expect([r.applied.length, r.failed.length]).toEqual([1, 1]);
    expect(r.failed[0]!.error.status).toBe('error');
  });

  it.each(['AMBIGUITY_DURING_PROCESSING', 'INVALID_DATA_PERMISSION', 'INVALID_DATA_ALREADY_VISIBLE', 'NOT_ALLOWED_MODULE'])('shareRecord: the 400 example %s is thrown with its code', async (name) => {
    const err = await client(`code=400, example=${name}`).shareRecord({ module: 'Contacts', recordId: ID, share: two }).catch((e) => e);
    expect(err).toBeInstanceOf(ZohoApiError);
    expect(err.status).toBe(400);
  });

  it('getSharedRecordDetails with every filter: a request the spec accepts', async () => {
    const r = await client().getSharedRecordDetails({ module: 'Contacts', recordId: ID, sharedTo: '4150868000000224005', view: 'summary', approved: 'both', currentUser: false });
    expect(r.length).toBeGreaterThan(0);
  });
});
