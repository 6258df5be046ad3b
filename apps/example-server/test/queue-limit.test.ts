// The queue limit on the SQLite store (src/queue/records.ts): the pending count the limit reads is
// kept by triggers, so it must equal the pending rows after any mix of deliveries arriving together
// (one group commit), jobs started, retried, finished, abandoned, pruned, members rolled back and
// restarts; and deliveries are refused exactly when the queue is full, in the order they arrived.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fc, test } from '@fast-check/vitest';
import { afterEach, expect } from 'vitest';
import { JobRecords, TABLE } from '../src/queue/records.ts';
import { sqliteSql } from '../src/queue/sql.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const RECORDS = ['1', '2', '3', '4', '5', '6', '7', '8'];

type Step =
  | { kind: 'deliveries'; records: string[]; rolledBack: string[] }
  | { kind: 'claim' }
  | { kind: 'finish'; outcome: 'revoked' | 'failed' }
  | { kind: 'retry' }
  | { kind: 'abandon' }
  | { kind: 'prune' }
  | { kind: 'restart' };

const record = fc.constantFrom(...RECORDS);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliveries' as const), records: fc.array(record, { minLength: 1, maxLength: 12 }), rolledBack: fc.array(record, { maxLength: 2 }) }) },
  fc.constant({ kind: 'claim' as const }),
  fc.record({ kind: fc.constant('finish' as const), outcome: fc.constantFrom('revoked' as const, 'failed' as const) }),
  fc.constant({ kind: 'retry' as const }),
  fc.constant({ kind: 'abandon' as const }),
  fc.constant({ kind: 'prune' as const }),
  fc.constant({ kind: 'restart' as const }),
);

test.prop([fc.integer({ min: 0, max: 6 }), fc.array(step, { minLength: 1, maxLength: 25 })])(
  'SQLite queue limit: concurrent deliveries refused exactly when the queue is full; the kept pending count equals the pending rows after every step',
  async (queueLimit, steps) => {
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-limit-'));
    dirs.push(dir);
    let clock = 1_000;
    const options = { queueLimit, dedupeWindowMs: 0, logSize: 3, retentionMs: 10_000, now: () => clock++ };
    const open = async () => {
      const db = new DatabaseSync(join(dir, 'db.sqlite'));
      const records = new JobRecords(sqliteSql(db), options);
      await records.migrate();
      return { db, records };
    };
    let { db, records } = await open();
    // The model: which records have a pending job, and which of those is running.
    const pending = new Map<string, { id: string; running: boolean }>();
    const check = async () => {
      const rows = await records.sql.query(`SELECT count(*) AS n FROM ${TABLE} WHERE status IN ('queued', 'running')`);
      expect(Number(rows[0]!.n)).toBe(pending.size);
      expect(await records.pendingCount()).toBe(pending.size);
      expect(pending.size).toBeLessThanOrEqual(Math.max(queueLimit, 0));
    };
    try {
      for (const s of steps) {
        if (s.kind === 'deliveries') {
          // All asked in one turn: one group commit, answered in the order asked.
          const asked = [
            ...s.records.map((r) => records.submit('Contacts', r)),
            // A member that inserts a pending row and then fails: rolled back alone, its row never counted.
            ...s.rolledBack.map((r) =>
              records.sql.transaction(async (tx) => {
                await tx.query(`INSERT INTO ${TABLE} (module, record_id, status, received_at) VALUES ('Leads', $1, 'queued', 0)`, [r]);
                throw new Error('refused after its insert');
              }),
            ),
          ];
          const results = await Promise.allSettled(asked);
          s.records.forEach((r, i) => {
            const result = results[i]!;
            expect(result.status).toBe('fulfilled');
            const outcome = (result as PromiseFulfilledResult<Awaited<ReturnType<JobRecords['submit']>>>).value;
            const expected = pending.has(r) ? 'joined' : pending.size >= queueLimit ? 'full' : 'new';
            expect(outcome.kind).toBe(expected);
            if (outcome.kind === 'new') pending.set(r, { id: outcome.job.id, running: false });
          });
          for (const r of results.slice(s.records.length)) expect(r.status).toBe('rejected');
        } else if (s.kind === 'claim') {
          const job = await records.claimNext(clock + 60_000);
          const queued = [...pending.values()].filter((p) => !p.running);
          expect(job !== undefined).toBe(queued.length > 0);
          if (job) pending.get(job.recordId)!.running = true;
        } else if (s.kind === 'finish' || s.kind === 'retry') {
          const running = [...pending.entries()].find(([, p]) => p.running);
          if (!running) continue;
          const [r, p] = running;
          if (s.kind === 'finish') {
            expect(await records.finish(p.id, s.outcome)).toBeDefined();
            pending.delete(r);
          } else {
            expect(await records.retryLater(p.id, clock, { type: 'network', message: 'again' })).toBeDefined();
            p.running = false;
          }
        } else if (s.kind === 'abandon') {
          const first = [...pending.entries()][0];
          if (!first) continue;
          await records.abandon(first[1].id, { type: 'interrupted', message: 'gave up' });
          pending.delete(first[0]);
        } else if (s.kind === 'prune') {
          clock += 20_000; // past the retention: every finished job goes
          await records.prune();
        } else {
          // A restart: jobs left running go back to the queue; the count is recounted from the rows.
          db.exec(`UPDATE ${TABLE}_pending SET n = n + 100`); // a count out of step is not trusted
          db.close();
          ({ db, records } = await open());
          await records.requeueInterrupted();
          for (const p of pending.values()) p.running = false;
        }
        await check();
      }
    } finally {
      db.close();
    }
  },
);
