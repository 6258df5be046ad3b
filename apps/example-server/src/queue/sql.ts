// One small interface over the two databases the job records live in, so their SQL is written once
// (job-records.ts): SQLite through Node's built-in node:sqlite, Postgres through `pg`. Statements use
// Postgres's `$1` placeholders; the SQLite side rewrites them to `?1`, which binds the same way.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Pool, PoolClient } from 'pg';

export type Row = Record<string, unknown>;
export type Param = string | number | null;

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  query(text: string, params?: Param[]): Promise<Row[]>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

const placeholders = (text: string) => text.replace(/\$(\d+)/g, '?$1');

/**
 * node:sqlite is synchronous, so a statement can never interleave with another; but a transaction
 * spans awaits, so every statement and transaction goes through one queue, and a statement from
 * elsewhere never lands inside someone else's transaction.
 *
 * Group commit: the transactions asked for while the queue is busy (a commit's fsync holds the event
 * loop, and deliveries pile up meanwhile) run together in one BEGIN ... COMMIT, each in a savepoint
 * of its own (one that throws is rolled back alone). Each resolves only after the COMMIT that holds
 * it; if that COMMIT fails (a full disk), every one of them rejects: nothing is claimed that is not
 * on disk.
 */
export function sqliteSql(db: DatabaseSync): Sql {
  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const run = (text: string, params: Param[] = []): Row[] => {
    let st = statements.get(text);
    if (!st) statements.set(text, (st = db.prepare(placeholders(text))));
    return st.all(...(params as SQLInputValue[])) as Row[];
  };
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
  const inner: Sql = {
    dialect: 'sqlite',
    query: async (text, params) => run(text, params),
    transaction: (fn) => fn(inner),
  };

  interface Pending {
    fn: (tx: Sql) => Promise<unknown>;
    resolve: (value: unknown) => void;
    reject: (err: unknown) => void;
  }
  let group: Pending[] | undefined;
  const commitGroup = async (members: Pending[]) => {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const m of members) {
        db.exec('SAVEPOINT member');
        try {
          outcomes.push({ ok: true, value: await m.fn(inner) });
          db.exec('RELEASE member');
        } catch (error) {
          db.exec('ROLLBACK TO member');
          db.exec('RELEASE member');
          outcomes.push({ ok: false, error });
        }
      }
      db.exec('COMMIT');
    } catch (err) {
      if (db.isTransaction) db.exec('ROLLBACK');
      for (const m of members) m.reject(err);
      return;
    }
    members.forEach((m, i) => {
      const o = outcomes[i]!;
      if (o.ok) m.resolve(o.value);
      else m.reject(o.error);
    });
  };

  return {
    dialect: 'sqlite',
    query: (text, params) => serial(() => run(text, params)),
    transaction: <T>(fn: (tx: Sql) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        const member: Pending = { fn, resolve: resolve as (v: unknown) => void, reject };
        if (group) return void group.push(member);
        const members = (group = [member]);
        // setImmediate: the deliveries whose bodies arrived in this turn of the event loop join too.
        void serial(() =>
          new Promise((r) => setImmediate(r)).then(() => {
            group = undefined; // later ones form the next group
            return commitGroup(members);
          }),
        );
      }),
  };
}

export function pgSql(pool: Pool): Sql {
  const on = (client: Pool | PoolClient): Sql => ({
    dialect: 'postgres',
    query: async (text, params) => (await client.query(text, params)).rows as Row[],
    transaction: (fn) => (client === pool ? transaction(fn) : fn(on(client))),
  });
  const transaction = async <T>(fn: (tx: Sql) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    // A checked-out client has no listener of the pool's: without this, a connection lost mid-
    // transaction (Postgres restarted) is an unhandled 'error' event, which ends the process. The
    // statement in flight rejects with the error, and the client is discarded at release.
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(on(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      if (!broken) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken ?? false);
    }
  };
  return on(pool);
}
