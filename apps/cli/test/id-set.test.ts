// The 64-bit id set behind duplicate detection and the journal's done ids: it agrees with a Set of
// strings over random adds and deletes (deletes shift probe runs back, so this is where it would break).
import { describe, expect, it } from 'vitest';
import { CANONICAL_ID, IdSet } from '../src/bulk/id-set.ts';

describe('IdSet', () => {
  it('agrees with a Set of strings over 200,000 random adds and deletes, through several growths', () => {
    let state = 0x5eed;
    const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    // Ids that collide a lot: a shared prefix, few distinct low digits, and the 64-bit edges.
    const pool = Array.from({ length: 20_000 }, (_, i) => `${4150868000001148212n + BigInt(Math.floor(rand() * 30_000))}`);
    pool.push('1', '9999999999999999999', '18446744073709551', '4294967296', '4294967295');
    const set = new IdSet();
    const model = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      const id = pool[Math.floor(rand() * pool.length)]!;
      if (rand() < 0.7) expect(set.add(id)).toBe(!model.has(id)), model.add(id);
      else expect(set.delete(id)).toBe(model.delete(id));
      if (i % 997 === 0) expect(set.size).toBe(model.size);
    }
    expect(set.size).toBe(model.size);
    for (const id of pool) expect(set.has(id), id).toBe(model.has(id));
  });

  it('keeps 19-digit ids exact (no Number on the way)', () => {
    const set = new IdSet();
    set.add('4150868000001148212');
    expect(set.has('4150868000001148212')).toBe(true);
    expect(set.has('4150868000001148400')).toBe(false); // what Number() would have made of it
  });

  it('canonical ids: 1-19 digits, no leading zero', () => {
    for (const ok of ['1', '4150868000001148212', '9999999999999999999']) expect(CANONICAL_ID.test(ok), ok).toBe(true);
    for (const bad of ['0', '0123', '', '41508680000011482120', '4150868000001148212 ', '-1', '1e5']) expect(CANONICAL_ID.test(bad), bad).toBe(false);
  });
});
