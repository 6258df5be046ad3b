// GET .../actions/share's query (Zoho's Share Records page and share_records.yaml): sharedTo keeps one
// user's entries, current_user the caller's, approved filters on the approval state seed shares carry,
// view is checked and both values answer alike; a bad value is the spec's PATTERN_NOT_MATCHED example.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DEMO_ADMIN } from '../src/index.ts';
import { call, ID, ROLE, share, specExample, testSeed, useSandbox, USER } from './helpers.ts';

const { start } = useSandbox();

/** ID shared with User 0 (approved), the Manager role (approved), the admin (pending) and User 1 (pending). */
function seeded() {
  const seed = testSeed();
  seed.records = seed.records!.map((r) =>
    r.id === ID
      ? {
          ...r,
          shares: [
            { type: 'users' as const, id: USER(0), name: 'User 0' },
            { type: 'roles' as const, id: ROLE(0) },
            { type: 'users' as const, id: DEMO_ADMIN.id, approved: false },
            { type: 'users' as const, id: USER(1), name: 'User 1', approved: false },
          ],
        }
      : r,
  );
  return seed;
}
const who = (body: any) => (body?.share ?? []).map((e: any) => `${e.shared_with.type}:${e.shared_with.id}`);
const get = async (s: Awaited<ReturnType<typeof start>>, query: string) => call(s, 'GET', `${share('Contacts', ID)}?${query}`);

describe('GET share filters', () => {
  it('without a query: every entry, pending ones too (approved defaults to both, so a read-back misses nothing)', async () => {
    const s = await start({ seed: seeded() });
    const all = await call(s, 'GET', share('Contacts', ID));
    expect(who(all.body)).toEqual([`users:${USER(0)}`, `roles:${ROLE(0)}`, `users:${DEMO_ADMIN.id}`, `users:${USER(1)}`]);
    expect(all.body).toEqual((await get(s, 'approved=both')).body);
  });

  it('approved=true keeps approved entries, approved=false pending ones', async () => {
    const s = await start({ seed: seeded() });
    expect(who((await get(s, 'approved=true')).body)).toEqual([`users:${USER(0)}`, `roles:${ROLE(0)}`]);
    expect(who((await get(s, 'approved=false')).body)).toEqual([`users:${DEMO_ADMIN.id}`, `users:${USER(1)}`]);
  });

  it("sharedTo keeps that user's entries only; a user with none: 204", async () => {
    const s = await start({ seed: seeded() });
    const one = await get(s, `sharedTo=${USER(1)}`);
    expect([one.status, who(one.body)]).toEqual([200, [`users:${USER(1)}`]]);
    expect((await get(s, `sharedTo=${USER(7)}`)).status).toBe(204);
    // A role's id is not a user: sharedTo names users.
    expect((await get(s, `sharedTo=${ROLE(0)}`)).status).toBe(204);
  });

  it("current_user=true keeps the entries of the token's user; false lists all", async () => {
    const s = await start({ seed: seeded() });
    expect(who((await get(s, 'current_user=true')).body)).toEqual([`users:${DEMO_ADMIN.id}`]);
    expect(who((await get(s, 'current_user=false')).body)).toHaveLength(4);
    expect((await get(s, 'current_user=true&approved=true')).status).toBe(204);
  });

  it('view=summary and view=manage answer alike', async () => {
    const s = await start({ seed: seeded() });
    const summary = await get(s, 'view=summary');
    expect(summary.status).toBe(200);
    expect((await get(s, 'view=manage')).body).toEqual(summary.body);
  });

  it('a revoke clears pending entries too', async () => {
    const s = await start({ seed: seeded() });
    await call(s, 'DELETE', share('Contacts', ID));
    expect((await get(s, 'approved=false')).status).toBe(204);
  });

  const PARAMS = [
    ['view', 'PATTERN_NOT_MATCHED_VIEW', ['summary', 'manage']],
    ['approved', 'PATTERN_NOT_MATCHED_APPROVED', ['true', 'false', 'both']],
    ['current_user', 'PATTERN_NOT_MATCHED_CURRENT_USER', ['true', 'false']],
  ] as const;
  let sandbox: Awaited<ReturnType<typeof start>> | undefined;
  test.prop([fc.constantFrom(...PARAMS), fc.string({ maxLength: 12 })], { numRuns: 150 })(
    'any value outside a parameter\'s enum is 400 PATTERN_NOT_MATCHED naming it, exactly the spec\'s example',
    async ([name, example, valid], value) => {
      sandbox ??= await start({ seed: seeded() });
      const r = await call(sandbox, 'GET', `${share('Contacts', ID)}?${new URLSearchParams({ [name]: value })}`);
      if ((valid as readonly string[]).includes(value)) expect(r.status).toBe(200);
      else expect([r.status, r.body]).toEqual([400, specExample('getSharedRecordDetails', example).value]);
    },
  );

  it('sharedTo that is not an id: 400 PATTERN_NOT_MATCHED naming sharedTo', async () => {
    const s = await start({ seed: seeded() });
    for (const bad of ['me', '', '12345678901234567890', '-1']) {
      const r = await get(s, `sharedTo=${encodeURIComponent(bad)}`);
      expect([r.status, r.body], bad).toEqual([400, specExample('getSharedRecordDetails', 'PATTERN_NOT_MATCHED_SHARED_TO').value]);
    }
  });
});
