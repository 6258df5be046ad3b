// "The store cannot commit right now" (Postgres restarting, stopped or out of reach; SQLite's disk
// full or its folder read-only): a state that passes, told apart from a bug, so that requests get 503
// with Retry-After (http/errors.ts) instead of 500, and the sender comes back.

/** A Zoho slot could not be taken because Postgres is out of reach (for a person waiting: answered at once). */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** Socket errors a connection to the database ends with. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs of a server that is going away or cannot take the write: 08 connection exception, 53 insufficient resources (53100 disk full), 57P01-57P03 shutdown / cannot connect now. */
const SQLSTATE = /^(08...|53...|57P0[123])$/;
/** node:sqlite's primary result codes of a store that cannot write now: BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN. */
const SQLITE = new Set([5, 6, 8, 10, 13, 14]);
/** node-postgres's own errors, which carry no code. */
const PG_CLIENT = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed and is not queryable)/;

/** An Error, or the plain `{ message, code }` objects pg-boss emits for some. */
export function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, errcode } = err as { code?: unknown; message?: unknown; errcode?: unknown };
  if (code === 'ERR_SQLITE_ERROR') return typeof errcode === 'number' && SQLITE.has(errcode & 0xff); // extended codes keep the primary in the low byte
  if (typeof code === 'string' && (NETWORK.has(code) || SQLSTATE.test(code))) return true;
  if (typeof message === 'string' && PG_CLIENT.test(message)) return true;
  return err instanceof AggregateError && err.errors.some(isStoreUnavailable); // a refused connect tried on IPv4 and IPv6
}

/**
 * Runs `fn` again while it fails because the store is out of reach: after 100 ms, doubling to 2 s,
 * for at most `maxMs` in all; then (or on any other error, or when `signal` aborts) it throws.
 */
export async function whileUnavailable<T>(fn: () => Promise<T>, maxMs: number, signal?: AbortSignal): Promise<T> {
  const until = performance.now() + maxMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
    try {
      return await fn();
    } catch (err) {
      if (!isStoreUnavailable(err) || signal?.aborted || performance.now() + wait > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
