import { describe, expect, it } from 'vitest';
import { call, GROUP, ID, manualClock, ROLE, share, specExample, testSeed, useSandbox, USER } from './helpers.ts';

const { start } = useSandbox();
const UNSHARED = '4150868000001148221'; // every 10th demo Contacts record has no shares
const entry = (type: 'users' | 'roles' | 'groups', id: string, permission = 'read_only') => ({ shared_with: { type, id }, permission, type: 'private' });

describe('revoke shared records', () => {
  it('revokes every share and answers SUCCESS with the id as a string; again: nothing to revoke', async () => {
    const s = await start();
    expect(s.record('Contacts', ID)!.shares).toBe(1);
    const r = await call(s, 'DELETE', share('Contacts', ID));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } });
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 0, entries: [], revokeCalls: 1, revokeSuccesses: 1 });
    const again = await call(s, 'DELETE', share('Contacts', ID));
    expect([again.status, again.body]).toEqual([400, specExample('revokeSharedRecord', 'BAD_REQUEST').value]);
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 0, revokeCalls: 2, revokeSuccesses: 1 });
  });

  it('works on every version from v2', async () => {
    const s = await start();
    expect((await call(s, 'DELETE', share('Contacts', '4150868000001148213', 'v2'))).status).toBe(200);
    expect((await call(s, 'DELETE', share('Contacts', '4150868000001148214', 'v2.1'))).status).toBe(200);
  });

  it('custom modules use the custom scope', async () => {
    const s = await start({ seed: { ...testSeed(), tokens: [{ accessToken: 'custom', scopes: ['ZohoCRM.share.custom.DELETE'] }] } });
    expect((await call(s, 'DELETE', share('Projects_X', '4150868000003000001'), 'custom')).status).toBe(200);
    expect((await call(s, 'DELETE', share('Contacts', ID), 'custom')).body.code).toBe('OAUTH_SCOPE_MISMATCH');
  });

  it('a user without the share permission: 403 NO_PERMISSION; a read-only user: 400 AUTHORIZATION_FAILED; neither revokes', async () => {
    const s = await start();
    const denied = await call(s, 'DELETE', share('Contacts', ID), 'no-share-permission');
    expect([denied.status, denied.body.details.permissions]).toEqual([403, ['Crm_Implied_Share']]);
    const ro = await call(s, 'DELETE', share('Contacts', ID), 'read-only');
    expect([ro.status, ro.body.code]).toEqual([400, 'AUTHORIZATION_FAILED']);
    expect(s.record('Contacts', ID)!.shares).toBe(1);
  });

  it('a record seeded resharedAfterRevoke: the revoke answers SUCCESS, yet the shares stay (a read-back must catch it)', async () => {
    const seed = testSeed();
    seed.records = seed.records!.map((r) => (r.id === ID ? { ...r, resharedAfterRevoke: true } : r));
    const s = await start({ seed });
    const r = await call(s, 'DELETE', share('Contacts', ID));
    expect([r.status, r.body.share.code, r.body.share.details.id]).toEqual([200, 'SUCCESS', ID]);
    expect(s.record('Contacts', ID)).toMatchObject({ shares: 1, revokeSuccesses: 1 });
    const read = await call(s, 'GET', share('Contacts', ID));
    expect([read.status, read.body.share[0].shared_with.id]).toEqual([200, USER(0)]);
  });
});

describe('get the shares of a record', () => {
  it('lists Zoho-shaped entries: recipient, permission, related records, when, by whom, through which record', async () => {
    const clock = manualClock(Date.parse('2026-11-02T03:44:27Z'));
    const s = await start({ now: clock.now });
    const r = await call(s, 'GET', share('Contacts', ID));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      share: [
        {
          shared_with: { type: 'users', id: USER(0), name: 'User 0' },
          permission: 'read_write',
          share_related_records: false,
          shared_time: '2026-11-02T03:44:27+00:00',
          shared_by: { id: '4150868000000225013', name: 'Sandbox Admin', zuid: '76602839' },
          shared_through: { module: { name: 'Contacts', id: '4150868000000002177' }, id: ID },
          type: 'private',
        },
      ],
    });
  });

  it('204 with no body when the record is shared with no one, and after a revoke', async () => {
    const s = await start();
    expect((await call(s, 'GET', share('Contacts', UNSHARED))).status).toBe(204);
    await call(s, 'DELETE', share('Contacts', ID));
    const after = await call(s, 'GET', share('Contacts', ID));
    expect([after.status, after.body]).toEqual([204, undefined]);
  });

  it('needs the READ (or ALL) share scope of the module', async () => {
    const s = await start();
    expect((await call(s, 'GET', share('Contacts', ID), 'contacts-read')).status).toBe(200);
    expect((await call(s, 'GET', share('Contacts', ID), 'contacts-only')).body.code).toBe('OAUTH_SCOPE_MISMATCH'); // DELETE only
    expect((await call(s, 'GET', share('Leads', '4150868000002000000'), 'contacts-read')).body.code).toBe('OAUTH_SCOPE_MISMATCH');
  });
});

describe('share a record (POST)', () => {
  it('adds shares: 201 with one SUCCESS per entry, then GET lists them by the sharer, at the time shared', async () => {
    const clock = manualClock();
    const s = await start({ now: clock.now });
    clock.advance(60_000);
    const r = await call(s, 'POST', share('Contacts', UNSHARED), undefined, {
      body: { share: [entry('users', USER(3), 'full_access'), { ...entry('roles', ROLE(0)), share_related_records: true }] },
    });
    expect(r.status).toBe(201);
    const success = (specExample('shareRecord', 'SUCCESS').value as any).share[0];
    expect(r.body).toEqual({ share: [success, success] });
    const listed = (await call(s, 'GET', share('Contacts', UNSHARED))).body.share;
    expect(listed.map((e: any) => [e.shared_with, e.permission, e.share_related_records, e.shared_time])).toEqual([
      [{ type: 'users', id: USER(3), name: 'User 3' }, 'full_access', false, '2026-12-01T00:01:00+00:00'],
      [{ type: 'roles', id: ROLE(0), name: 'Manager' }, 'read_only', true, '2026-12-01T00:01:00+00:00'],
    ]);
  });

  it('POST to a recipient who already has access: that entry fails "already visible" (chosen), the share unchanged; PUT updates it', async () => {
    const s = await start();
    const again = await call(s, 'POST', share('Contacts', ID), undefined, { body: { share: [entry('users', USER(0), 'full_access')] } });
    expect([again.status, again.body]).toEqual([400, specExample('shareRecord', 'INVALID_DATA_ALREADY_VISIBLE').value]);
    expect(s.record('Contacts', ID)!.entries.map((e) => [e.shared_with.id, e.permission])).toEqual([[USER(0), 'read_write']]);
    // Beside an entry that applies: a 207, in request order, as the spec's example.
    const mixed = await call(s, 'POST', share('Contacts', ID), undefined, { body: { share: [entry('users', USER(0)), entry('users', USER(5))] } });
    expect([mixed.status, mixed.body]).toEqual([207, specExample('shareRecord', 'PARTIAL_ALREADY_VISIBLE').value]);
    const put = await call(s, 'PUT', share('Contacts', ID), undefined, { body: { share: [entry('users', USER(0), 'full_access')] } });
    expect(put.status).toBe(201);
    expect(s.record('Contacts', ID)!.entries.map((e) => [e.shared_with.id, e.permission])).toEqual([[USER(0), 'full_access']]);
  });

  it('the same recipient twice in one POST: the first applies, the second already has access (207)', async () => {
    const s = await start();
    const r = await call(s, 'POST', share('Contacts', UNSHARED), undefined, { body: { share: [entry('roles', ROLE(1)), entry('roles', ROLE(1), 'full_access')] } });
    expect(r.status).toBe(207);
    expect(r.body.share.map((x: any) => [x.code, x.details.json_path])).toEqual([['SUCCESS', undefined], ['INVALID_DATA', '$.share[1].shared_with']]);
    expect(s.record('Contacts', UNSHARED)!.entries.map((e) => [e.shared_with.id, e.permission])).toEqual([[ROLE(1), 'read_only']]);
  });

  it.each([
    ['users', USER, 10, 'LIMIT_EXCEEDED_USERS'],
    ['roles', ROLE, 5, 'LIMIT_EXCEEDED_ROLES'],
    ['groups', GROUP, 5, 'LIMIT_EXCEEDED_GROUPS'],
  ] as const)("Zoho's limit of %s per record (%i): one more fails and nothing is applied", async (type, id, limit, name) => {
    const s = await start();
    const at = manualEntries(type, id, limit);
    const ok = await call(s, 'POST', share('Contacts', UNSHARED), undefined, { body: { share: at } });
    expect(ok.status).toBe(201);
    const over = await call(s, 'POST', share('Contacts', UNSHARED), undefined, { body: { share: [entry(type, id(limit))] } });
    expect(over.status).toBe(400);
    expect(over.body.share[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit, json_path: '$.share[0].shared_with.type' } });
    expect(over.body.share[0].message).toBe((specExample('shareRecord', name).value as any).share[0].message);
    expect(s.record('Contacts', UNSHARED)!.shares).toBe(limit);
  });

  it('a mixed request: 207, one result per entry by position, the valid entry applied and the other not', async () => {
    const s = await start();
    const r = await call(s, 'POST', share('Contacts', UNSHARED), undefined, { body: { share: [entry('users', USER(1)), entry('users', '2')] } });
    expect([r.status, r.body]).toEqual([207, specExample('shareRecord', 'PARTIAL').value]);
    expect(s.record('Contacts', UNSHARED)!.entries.map((e) => e.shared_with.id)).toEqual([USER(1)]);
    expect(s.stats().sharing).toEqual({ reads: 0, writes: 1, rejected: 0, partial: 1 });
  });

  it('no entry applies: 400, nothing changes', async () => {
    const s = await start();
    const r = await call(s, 'POST', share('Contacts', UNSHARED), undefined, { body: { share: [entry('users', '999'), entry('roles', '2')] } });
    expect(r.status).toBe(400);
    expect(r.body.share.map((x: any) => [x.message, x.details.json_path])).toEqual([
      ['invalid user Id', '$.share[0].shared_with.id'],
      ['invalid role Id', '$.share[1].shared_with.id'],
    ]);
    expect(s.record('Contacts', UNSHARED)!.shares).toBe(0);
    expect(s.stats().sharing).toEqual({ reads: 0, writes: 1, rejected: 1, partial: 0 });
  });

  it('a token holding only ZohoCRM.share.all reads, shares, updates and revokes; one without any share scope is refused', async () => {
    const seed = testSeed();
    seed.tokens!.push({ accessToken: 'share-all', scopes: ['ZohoCRM.share.all'] }, { accessToken: 'rules-all', scopes: ['ZohoCRM.settings.data_sharing.ALL'] });
    const s = await start({ seed });
    expect((await call(s, 'GET', share('Projects_X', '4150868000003000001'), 'share-all')).status).toBe(200);
    expect((await call(s, 'POST', share('Contacts', UNSHARED), 'share-all', { body: { share: [entry('users', USER(1))] } })).status).toBe(201);
    expect((await call(s, 'PUT', share('Contacts', UNSHARED), 'share-all', { body: { share: [entry('users', USER(2))] } })).status).toBe(201);
    expect((await call(s, 'DELETE', share('Leads', '4150868000002000000'), 'share-all')).status).toBe(200);
    const refused = await call(s, 'GET', share('Contacts', ID), 'rules-all');
    expect([refused.status, refused.body]).toEqual([401, specExample('getSharedRecordDetails', 'OAUTH_SCOPE_MISMATCH').value]);
  });

  it('a user without the share permission (or read-only): 403 NO_PERMISSION, nothing shared', async () => {
    const s = await start();
    for (const token of ['no-share-permission', 'read-only']) {
      const r = await call(s, 'POST', share('Contacts', UNSHARED), token, { body: { share: [entry('users', USER(1))] } });
      expect([r.status, r.body]).toEqual([403, specExample('shareRecord', 'NO_PERMISSION').value]);
    }
    expect(s.record('Contacts', UNSHARED)!.shares).toBe(0);
  });
});

describe('replace the shares of a record (PUT)', () => {
  it('the shares become exactly the entries: those not listed are revoked, listed ones updated', async () => {
    const s = await start();
    await call(s, 'POST', share('Contacts', UNSHARED), undefined, { body: { share: [entry('users', USER(1)), entry('users', USER(2)), entry('groups', GROUP(0))] } });
    const r = await call(s, 'PUT', share('Contacts', UNSHARED), undefined, { body: { share: [entry('users', USER(2), 'read_write')] } });
    expect(r.status).toBe(201);
    const left = (await call(s, 'GET', share('Contacts', UNSHARED))).body.share;
    expect(left.map((e: any) => [e.shared_with.type, e.shared_with.id, e.permission])).toEqual([['users', USER(2), 'read_write']]);
  });

  it('the limits count the new set only: 10 new users replace 10 old ones', async () => {
    const s = await start();
    await call(s, 'PUT', share('Contacts', UNSHARED), undefined, { body: { share: manualEntries('users', USER, 10) } });
    const next = Array.from({ length: 10 }, (_, i) => entry('users', USER((i + 2) % 12)));
    expect((await call(s, 'PUT', share('Contacts', UNSHARED), undefined, { body: { share: next } })).status).toBe(201);
  });

  it('a mixed PUT: 207; the unlisted shares revoked, the failed entry\'s existing share kept as it was', async () => {
    const s = await start();
    await call(s, 'POST', share('Contacts', UNSHARED), undefined, { body: { share: [entry('users', USER(1)), entry('users', USER(2)), entry('groups', GROUP(0))] } });
    const r = await call(s, 'PUT', share('Contacts', UNSHARED), undefined, {
      body: { share: [entry('users', USER(3), 'full_access'), { ...entry('users', USER(1)), permission: 'owner' }] },
    });
    expect(r.status).toBe(207);
    expect(r.body.share.map((x: any) => x.code)).toEqual(['SUCCESS', 'INVALID_DATA']);
    expect(s.record('Contacts', UNSHARED)!.entries.map((e) => [e.shared_with.id, e.permission])).toEqual([
      [USER(3), 'full_access'],
      [USER(1), 'read_only'],
    ]);
  });

  it('an entry in error leaves every share as it was (nothing revoked)', async () => {
    const s = await start();
    const r = await call(s, 'PUT', share('Contacts', ID), undefined, { body: { share: [entry('roles', '1')] } });
    expect([r.status, r.body.share[0].message]).toEqual([400, 'invalid role Id']);
    expect(s.record('Contacts', ID)!.entries.map((e) => e.shared_with.id)).toEqual([USER(0)]);
  });

  it('needs the UPDATE (or ALL) scope: a CREATE-only token is refused', async () => {
    const s = await start({ seed: { ...testSeed(), tokens: [{ accessToken: 'create', scopes: ['ZohoCRM.share.contacts.CREATE'] }] } });
    expect((await call(s, 'POST', share('Contacts', ID), 'create', { body: { share: [entry('users', USER(1))] } })).status).toBe(201);
    expect((await call(s, 'PUT', share('Contacts', ID), 'create', { body: { share: [entry('users', USER(1))] } })).body.code).toBe('OAUTH_SCOPE_MISMATCH');
  });
});

describe('share bodies Zoho refuses, answered as Zoho answers', () => {
  it.each([
    ['no body', undefined, 'MANDATORY_NOT_FOUND'],
    ['not JSON', '{"share": [', 'MANDATORY_NOT_FOUND'],
    ['a JSON array', '[]', 'MANDATORY_NOT_FOUND'],
    ['no share array', {}, 'MANDATORY_NOT_FOUND'],
    ['an empty share array', { share: [] }, 'MANDATORY_NOT_FOUND'],
    ['21 entries', { share: Array.from({ length: 21 }, () => entry('users', USER(1))) }, 'INVALID_DATA_TOO_MANY_ENTRIES'],
  ])('%s: 400, bare, the named example exactly', async (_l, body, name) => {
    const s = await start();
    const r = await call(s, 'POST', share('Contacts', ID), undefined, { body });
    expect([r.status, r.body]).toEqual([400, specExample('shareRecord', name).value]);
  });

  it('a top-level field of the wrong type: INVALID_DATA naming it', async () => {
    const s = await start();
    const r = await call(s, 'POST', share('Contacts', ID), undefined, { body: { share: [entry('users', USER(1))], notify_on_completion: 'yes' } });
    expect(r.body).toEqual({ code: 'INVALID_DATA', details: { api_name: 'notify_on_completion', json_path: '$.notify_on_completion' }, message: 'invalid data', status: 'error' });
  });

  it('per-entry problems: one error per failed entry, in order, each naming its field', async () => {
    const s = await start();
    const body = { share: [{ shared_with: { type: 'users', id: USER(1) }, type: 'private' }, entry('users', USER(2)), { ...entry('users', USER(3)), permission: 'owner' }, { ...entry('users', USER(4)), shared_with: { type: 'users', id: 42 } }] };
    const r = await call(s, 'POST', share('Contacts', ID), undefined, { body });
    expect(r.status).toBe(207);
    expect(r.body.share.map((e: any) => [e.code, e.details.json_path, e.details.regex])).toEqual([
      ['MANDATORY_NOT_FOUND', '$.share[0].permission', undefined],
      ['SUCCESS', undefined, undefined],
      ['INVALID_DATA', '$.share[2].permission', 'read_only|read_write|full_access'],
      ['INVALID_DATA', '$.share[3].shared_with.id', undefined],
    ]);
    expect(s.record('Contacts', ID)!.entries.map((e) => e.shared_with.id)).toEqual([USER(0), USER(2)]);
  });

  it('a body larger than the sandbox reads (64 KiB) is refused like a missing one, not buffered', async () => {
    const s = await start();
    const r = await call(s, 'POST', share('Contacts', ID), undefined, { body: JSON.stringify({ share: [], pad: 'x'.repeat(70_000) }) });
    expect([r.status, r.body.code]).toEqual([400, 'MANDATORY_NOT_FOUND']);
  });
});

function manualEntries(type: 'users' | 'roles' | 'groups', id: (i: number) => string, n: number) {
  return Array.from({ length: n }, (_, i) => entry(type, id(i)));
}
