// The journal's reading side: which ids --resume skips. The last entry for an id decides, a torn line
// is ignored, and ids stay exact strings (19 digits, leading zeros) through the compact 64-bit store.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal, type JournalEntry } from '../src/journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'zcrm-journal-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function journalOf(lines: (JournalEntry | string)[]): string {
  const path = join(dir, `j${n++}.journal`);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

describe('Journal.done', () => {
  it('a missing journal means nothing is done', async () => {
    const done = await Journal.done(join(dir, 'absent.journal'));
    expect(done.size).toBe(0);
    expect(done.has('4150868000001148212')).toBe(false);
  });

  it('revoked and not_shared are done, failed is not, and the last entry for an id wins', async () => {
    const done = await Journal.done(
      journalOf([
        { id: '4150868000001148212', outcome: 'revoked' },
        { id: '4150868000001148213', outcome: 'not_shared' },
        { id: '4150868000001148214', outcome: 'failed', code: 'INTERNAL_ERROR' },
        // done, then failed in a later run without --resume: send it again
        { id: '4150868000001148215', outcome: 'revoked' },
        { id: '4150868000001148215', outcome: 'failed', code: 'INTERNAL_ERROR' },
        // failed, then done on a resume: skip it
        { id: '4150868000001148216', outcome: 'failed', code: 'INTERNAL_ERROR' },
        { id: '4150868000001148216', outcome: 'revoked' },
        // done twice counts once
        { id: '4150868000001148212', outcome: 'not_shared' },
      ]),
    );
    expect(['212', '213', '214', '215', '216'].map((s) => done.has(`4150868000001148${s}`))).toEqual([true, true, false, false, true]);
    expect(done.size).toBe(3);
  });

  it('ignores a torn last line and lines that are not entries', async () => {
    const done = await Journal.done(
      journalOf([
        { id: '4150868000001148212', outcome: 'revoked' },
        '{"id":12345,"outcome":"revoked"}',
        '{"id":"not-an-id","outcome":"revoked"}',
        '{"id":"4150868000001148213","outc',
      ]),
    );
    expect(done.has('4150868000001148212')).toBe(true);
    expect(done.has('4150868000001148213')).toBe(false);
    expect(done.has('12345')).toBe(false);
    expect(done.size).toBe(1);
  });

  it('keeps ids exact at the edges of 64 bits and with leading zeros', async () => {
    const done = await Journal.done(
      journalOf([
        { id: '9999999999999999999', outcome: 'revoked' },
        { id: '0', outcome: 'revoked' },
        { id: '0123', outcome: 'revoked' },
        { id: '18446744073709551615', outcome: 'revoked' }, // 20 digits: not a record id, ignored
      ]),
    );
    expect(done.has('9999999999999999999')).toBe(true);
    expect(done.has('9999999999999999998')).toBe(false);
    expect(done.has('0')).toBe(true);
    expect(done.has('0123')).toBe(true);
    expect(done.has('123')).toBe(false); // a different string, not the same id
    expect(done.has('00')).toBe(false);
    expect(done.size).toBe(3);
  });

  it('agrees with a plain Set model over 50,000 random entries', async () => {
    // A seeded generator so a failure reproduces.
    let state = 0x2f6b1d3;
    const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pool = Array.from({ length: 5_000 }, (_, i) =>
      i % 50 === 0 ? `0${i}` : `${4150868000000000000n + BigInt(Math.floor(rand() * 1e9)) * 1000n + BigInt(i)}`,
    );
    const model = new Set<string>();
    const entries: JournalEntry[] = [];
    for (let i = 0; i < 50_000; i++) {
      const id = pool[Math.floor(rand() * pool.length)]!;
      const r = rand();
      const outcome = r < 0.5 ? 'revoked' : r < 0.8 ? 'not_shared' : 'failed';
      entries.push(outcome === 'failed' ? { id, outcome, code: 'INTERNAL_ERROR' } : { id, outcome });
      if (outcome === 'failed') model.delete(id);
      else model.add(id);
    }
    const done = await Journal.done(journalOf(entries));
    expect(done.size).toBe(model.size);
    for (const id of pool) expect(done.has(id), id).toBe(model.has(id));
    expect(done.has('4150868000001148212')).toBe(model.has('4150868000001148212'));
  });
});
