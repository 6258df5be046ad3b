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
  return {
    dialect: 'sqlite',
    query: (text, params) => serial(() => run(text, params)),
    transaction: (fn) =>
      serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(inner);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.isTransaction) db.exec('ROLLBACK');
          throw err;
        }
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
