// The rules of a share call, held for generated requests: one result per entry at the entry's
// position; exactly the entries answered SUCCESS are applied (POST adds them, PUT makes them the
// record's shares, keeping the shares failed entries name); 201 when all apply, 207 when some, 400
// when none (and then nothing changes); an entry the spec's schema or the org's directory refuses is
// never applied.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { call, GROUP, ID, ROLE, share, useSandbox, USER } from './helpers.ts';

const { start } = useSandbox();
const UNSHARED = '4150868000001148221';

type Kind = 'valid' | 'unknown-recipient' | 'bad-permission' | 'bad-type' | 'no-permission' | 'bad-related';
const recipient = fc.oneof(
  fc.integer({ min: 0, max: 11 }).map((i) => ({ type: 'users', id: USER(i) })),
  fc.integer({ min: 0, max: 5 }).map((i) => ({ type: 'roles', id: ROLE(i) })),
  fc.integer({ min: 0, max: 5 }).map((i) => ({ type: 'groups', id: GROUP(i) })),
);
const entry = fc
  .record({
    to: recipient,
    kind: fc.constantFrom<Kind>('valid', 'valid', 'valid', 'unknown-recipient', 'bad-permission', 'bad-type', 'no-permission', 'bad-related'),
    permission: fc.constantFrom('read_only', 'read_write', 'full_access'),
  })
  .map(({ to, kind, permission }) => {
    const e: Record<string, unknown> = { shared_with: kind === 'unknown-recipient' ? { ...to, id: '9' } : to, permission, type: 'private' };
    if (kind === 'bad-permission') e.permission = 'owner';
    if (kind === 'bad-type') e.type = 'everyone';
    if (kind === 'no-permission') delete e.permission;
    if (kind === 'bad-related') e.share_related_records = 'yes';
    return { body: e, kind };
  });
const key = (e: any) => `${e.shared_with.type}:${e.shared_with.id}`;

describe('share calls, for generated mixes of valid and invalid entries', () => {
  let sandbox: Awaited<ReturnType<typeof start>> | undefined;
  test.prop([fc.constantFrom('POST', 'PUT'), fc.constantFrom(ID, UNSHARED), fc.array(entry, { minLength: 1, maxLength: 20 })], { numRuns: 300 })(
    'results line up with entries; exactly the SUCCESS ones are applied; 201/207/400 follow from how many applied',
    async (method, id, entries) => {
      sandbox ??= await start();
      sandbox.reset();
      const before = sandbox.record('Contacts', id)!.entries;
      const r = await call(sandbox, method, share('Contacts', id), undefined, { body: { share: entries.map((e) => e.body) } });
      const results: any[] = r.body.share;
      expect(results).toHaveLength(entries.length);
      const applied = results.flatMap((x, i) => (x.code === 'SUCCESS' ? [i] : []));
      // Each error points into its own entry.
      results.forEach((x, i) => {
        if (x.code !== 'SUCCESS') expect(x.details.json_path.startsWith(`$.share[${i}]`), JSON.stringify(x)).toBe(true);
      });
      // What the schema or the directory refuses never applies.
      for (const i of applied) expect(entries[i]!.kind).toBe('valid');
      expect(r.status).toBe(applied.length === entries.length ? 201 : applied.length === 0 ? 400 : 207);

      const after = sandbox.record('Contacts', id)!.entries;
      if (applied.length === 0) {
        expect(after).toEqual(before);
        return;
      }
      const appliedKeys = applied.map((i) => key(entries[i]!.body));
      const byKey = new Map(after.map((e) => [key(e), e]));
      for (const i of applied) expect(byKey.get(key(entries[i]!.body))!.permission).toBe(entries[i]!.body.permission);
      if (method === 'POST') {
        // POST adds: the shares before, untouched, plus the applied ones (a recipient never twice).
        expect(after.map(key).sort()).toEqual([...before.map(key), ...appliedKeys].sort());
        for (const e of before) expect(byKey.get(key(e))).toEqual(e);
      } else {
        // PUT replaces: the applied ones, plus the earlier shares that a failed entry names.
        const failedNames = new Set(entries.filter((_, i) => !applied.includes(i)).map((e) => key(e.body)));
        const kept = before.filter((e) => failedNames.has(key(e)) && !appliedKeys.includes(key(e)));
        expect(after.map(key).sort()).toEqual([...new Set([...appliedKeys, ...kept.map(key)])].sort());
      }
    },
  );

  test.prop([fc.array(fc.boolean(), { minLength: 2, maxLength: 20 })], { numRuns: 100 })(
    'more than one public entry: 400 AMBIGUITY_DURING_PROCESSING naming each, nothing applied; one is fine',
    async (publics) => {
      sandbox ??= await start();
      sandbox.reset();
      const body = { share: publics.map((p, i) => ({ shared_with: { type: 'users', id: USER(i % 10) }, permission: 'read_only', type: p ? 'public' : 'private' })) };
      const r = await call(sandbox, 'POST', share('Contacts', UNSHARED), undefined, { body });
      const at = publics.flatMap((p, i) => (p ? [i] : []));
      if (at.length > 1) {
        expect([r.status, r.body.code, r.body.details.ambiguity_due_to]).toEqual([400, 'AMBIGUITY_DURING_PROCESSING', at.map((i) => ({ api_name: 'type', json_path: `$.share[${i}].type` }))]);
        expect(sandbox.record('Contacts', UNSHARED)!.shares).toBe(0);
      } else {
        expect(r.status).not.toBe(400);
      }
    },
  );
});
