// The Zoho slots on Postgres are leases in a table, not session locks: a lost connection (Postgres
// restarted) does not free a slot whose call goes on, and the store's transient failures are told
// apart from bugs.
import { fc, test } from '@fast-check/vitest';
import { prerequisite } from '@zcrm-sharing/test-support/prerequisites';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PgSlots } from '../src/concurrency/pg-slots.ts';
import { StoreUnavailableError, isStoreUnavailable } from '../src/queue/unavailable.ts';
import { usePostgres } from './postgres-cluster.ts';
import { killAll, spawnNode, until } from './processes.ts';

const pgBin = prerequisite('postgres');
const HOLDER = fileURLToPath(new URL('./slot-holder.mjs', import.meta.url));

describe.skipIf(!pgBin.available)('PgSlots: leases in a table', () => {
  const { cluster, newDatabase } = usePostgres(pgBin, 'leases');
  afterEach(() => killAll());

  it('a slot held through a Postgres restart stays held (renewed after it) until released; only then does another instance get it', async () => {
    const url = newDatabase();
    const options = { leaseMs: 3_000, marginMs: 500 };
    const a = await PgSlots.open(url, 1, options);
    const b = await PgSlots.open(url, 1, options);
    try {
      const lost = new AbortController();
      const release = await a.acquire('low', undefined, lost);
      const expiry = async () => {
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        try {
          return (await pool.query<{ e: Date }>('SELECT expires_at AS e FROM zcrm_zoho_slot_leases WHERE slot = 0')).rows[0]?.e.getTime();
        } finally {
          await pool.end();
        }
      };
      const before = (await expiry())!;
      await cluster().restart();
      let got = false;
      const waiting = b.acquire('low').then((r) => {
        got = true;
        return r;
      });
      // A renews its lease once Postgres is back: B, asking all along, has not got the slot.
      await until('the lease renewed after the restart', async () => ((await expiry().catch(() => 0)) ?? 0) > before);
      expect(got).toBe(false);
      expect(lost.signal.aborted).toBe(false);
      release();
      (await waiting)();
      expect(got).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  it("a slot released with an unknown outcome (the call stopped before its answer) stays taken for the margin; a known outcome frees it at once", async () => {
    const url = newDatabase();
    const slots = await PgSlots.open(url, 1, { leaseMs: 3_000, marginMs: 500 });
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const leases = async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM zcrm_zoho_slot_leases WHERE expires_at > clock_timestamp()')).rows[0]!.n);
    try {
      (await slots.acquire('low'))('unknown');
      expect(await leases()).toBe(1); // still taken: the stopped request may be in Zoho's hands
      const next = await slots.acquire('low'); // given once the margin has passed
      expect(await leases()).toBe(1);
      next();
      await until('the known outcome freed at once', async () => (await leases()) === 0);
    } finally {
      await pool.end();
      await slots.close();
    }
  }, 60_000);

  // A hold (the call's deadline) longer than the lease: the lease alone would free the slot within
  // LEASE.leaseMs of the last renewal, the hold keeps it until LEASE.holdMs after its take.
  const LEASE = { leaseMs: 1_500, marginMs: 300, holdMs: 6_000 };

  /**
   * With slot 0 left taken by `leave` (a call whose outcome nobody knows), another instance waiting
   * longer than a lease does not get it, and only gets it once the hold from its take has passed. The
   * order is read on the server's clock, the one that decides expiry.
   */
  async function heldForTheHold(leave: (url: string) => Promise<void>): Promise<void> {
    const url = newDatabase();
    const other = await PgSlots.open(url, 1, LEASE);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const now = async () => (await pool.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0]!.t.getTime();
    try {
      const beforeTake = await now();
      await leave(url);
      const left = await now();
      const expiresAt = (await pool.query<{ e: Date }>('SELECT expires_at AS e FROM zcrm_zoho_slot_leases WHERE slot = 0')).rows[0]!.e.getTime();
      // Taken after beforeTake, for the hold: it ends no sooner than that.
      expect(expiresAt).toBeGreaterThanOrEqual(beforeTake + LEASE.holdMs);
      // Asking for twice the lease after it was left: past its last renewal's lease, so the lease alone
      // would have freed it. Refused, and the refusal came before the hold ended.
      await expect(other.acquire('low', AbortSignal.timeout(2 * LEASE.leaseMs))).rejects.toThrow(/timeout|aborted/i);
      const refusedAt = await now();
      expect(refusedAt).toBeGreaterThanOrEqual(left + 2 * LEASE.leaseMs);
      expect(refusedAt).toBeLessThan(expiresAt);
      // Asked again without a limit: given, but only once the hold has passed.
      const release = await other.acquire('low');
      expect(await now()).toBeGreaterThanOrEqual(expiresAt);
      release();
    } finally {
      await pool.end();
      await other.close();
    }
  }

  it('a slot taken by an instance that is then killed (SIGKILL, nothing freed) is not given to another before the hold (the call deadline) has passed, and is after', async () => {
    await heldForTheHold(async (url) => {
      const dead = spawnNode(HOLDER, [], { DATABASE_URL: url, SLOTS: '1', LEASE_MS: String(LEASE.leaseMs), MARGIN_MS: String(LEASE.marginMs), HOLD_MS: String(LEASE.holdMs) });
      await dead.line(/^taken$/);
      dead.child.kill('SIGKILL');
      expect((await dead.exit).signal).toBe('SIGKILL');
    });
  }, 60_000);

  it('a call stopped before its answer (outcome unknown), its instance then closed: its slot runs out with the hold, not the lease; only the local count is freed at once', async () => {
    await heldForTheHold(async (url) => {
      const stopping = await PgSlots.open(url, 1, LEASE);
      const release = await stopping.acquire('low');
      release('unknown');
      expect(stopping.active).toBe(0);
      await stopping.close();
    });
  }, 60_000);

  it('a person asking for a slot while Postgres is down gets StoreUnavailableError at once, not a wait', async () => {
    const url = newDatabase();
    const slots = await PgSlots.open(url, 2);
    try {
      await cluster().stopServer();
      await expect(slots.acquire('high')).rejects.toThrow(StoreUnavailableError);
    } finally {
      await cluster().startServer();
      await slots.close();
    }
  }, 60_000);
});

describe('the store out of reach, told apart from a bug', () => {
  const sqlError = (code: string) => Object.assign(new Error('x'), { code });
  test.prop([fc.constantFrom('08', '53', '57P'), fc.stringMatching(/^[0-9A-Z]{3}$/)])('SQLSTATE classes 08 and 53, and 57P01-57P03, are unavailability', (cls, rest) => {
    const code = (cls + rest).slice(0, 5);
    expect(isStoreUnavailable(sqlError(code))).toBe(cls !== '57P' || /^57P0[123]$/.test(code));
  });
  test.prop([fc.stringMatching(/^[0-9A-Z]{5}$/).filter((c) => !/^(08|53|57P0[123])/.test(c))])('any other SQLSTATE (a constraint, a syntax error, a bug) is not', (code) => {
    expect(isStoreUnavailable(sqlError(code))).toBe(false);
  });
  it("SQLite's full disk, read-only file, I/O error and busy lock are; its constraint and syntax errors are not", () => {
    const sqlite = (errcode: number) => Object.assign(new Error('x'), { code: 'ERR_SQLITE_ERROR', errcode });
    for (const c of [13, 8, 778, 5, 10]) expect(isStoreUnavailable(sqlite(c)), String(c)).toBe(true);
    for (const c of [19, 2067, 1, 20]) expect(isStoreUnavailable(sqlite(c)), String(c)).toBe(false);
  });

  it('refused and reset connections, node-postgres\'s own connection errors, and a refused connect over IPv4 and IPv6 are', () => {
    expect(isStoreUnavailable(sqlError('ECONNREFUSED'))).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(new AggregateError([sqlError('ECONNREFUSED'), sqlError('ECONNREFUSED')]))).toBe(true);
    expect(isStoreUnavailable(new TypeError('Cannot read properties of undefined'))).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
  });
});
