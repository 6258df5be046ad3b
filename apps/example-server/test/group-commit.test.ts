// Group commit at intake (src/queue/sql.ts): transactions asked for together share one COMMIT, and
// each resolves only once that COMMIT is on disk (another connection sees its row); when the COMMIT
// fails, every member rejects and none of their rows exists. One member throwing rolls back alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fc, test } from '@fast-check/vitest';
import { afterEach, expect } from 'vitest';
import { sqliteSql } from '../src/queue/sql.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-group-'));
  dirs.push(dir);
  const file = join(dir, 'db.sqlite');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const commits: number[] = [];
  let failCommit = false;
  // Counts the COMMITs, and can make the next one fail as a full disk would.
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    if (sql === 'COMMIT') {
      commits.push(1);
      if (failCommit) throw Object.assign(new Error('database or disk is full'), { code: 'ERR_SQLITE_ERROR' });
    }
    return exec(sql);
  };
  const reader = new DatabaseSync(file, { readOnly: true });
  const visible = (v: string) => reader.prepare('SELECT count(*) AS n FROM t WHERE v = ?').get(v)!.n === 1;
  return { sql: sqliteSql(db), commits, visible, failNext: () => (failCommit = true), close: () => (reader.close(), db.close()) };
}

test.prop([fc.integer({ min: 2, max: 40 }), fc.array(fc.nat(39), { maxLength: 5 })])(
  'n transactions asked together: fewer COMMITs than n, each resolved only when its row is visible to another connection; a throwing one rolls back alone',
  async (n, throwing) => {
    const s = store();
    try {
      const bad = new Set(throwing.filter((i) => i < n));
      const seenAtResolve: boolean[] = [];
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) =>
          s.sql
            .transaction(async (tx) => {
              await tx.query('INSERT INTO t (v) VALUES ($1)', [`row-${i}`]);
              if (bad.has(i)) throw new Error(`member ${i} refuses`);
              return i;
            })
            .then((v) => {
              seenAtResolve[i] = s.visible(`row-${i}`);
              return v;
            }),
        ),
      );
      expect(s.commits.length).toBeLessThan(n);
      results.forEach((r, i) => {
        expect(r.status).toBe(bad.has(i) ? 'rejected' : 'fulfilled');
        if (!bad.has(i)) expect(seenAtResolve[i]).toBe(true);
        expect(s.visible(`row-${i}`)).toBe(!bad.has(i));
      });
    } finally {
      s.close();
    }
  },
);

test('a COMMIT that fails (a full disk): every member of its group rejects, none of their rows exists', async () => {
  const s = store();
  try {
    s.failNext();
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => s.sql.transaction((tx) => tx.query('INSERT INTO t (v) VALUES ($1)', [`row-${i}`]))));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    for (let i = 0; i < 5; i++) expect(s.visible(`row-${i}`)).toBe(false);
  } finally {
    s.close();
  }
});
