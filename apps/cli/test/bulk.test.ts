// The bulk runner in process, with scripted clients, an injected clock and injected waits: the stops
// that depend on time or on a failing disk, where a child process would have to wait on a real clock.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortError, ConnectionError, RateLimitError, type RevokeResult, type ZohoCrmClient } from '@zcrm-sharing/client';
import { describe, expect, it, vi } from 'vitest';
import { bulkRevoke } from '../src/bulk/job.ts';
import type { BulkDeps, BulkOptions } from '../src/bulk/types.ts';
import { DEAD_AFTER, DEAD_WINDOW_MS } from '../src/bulk/health.ts';
import { Journal } from '../src/bulk/journal.ts';
import { BUDGET_AFTER, DEFAULT_MAX_CONCURRENCY } from '../src/bulk/limiter.ts';
import { createOutput } from '../src/output.ts';

// The journal's writes go through this hook, so a test can fail them as a full disk would.
const disk = vi.hoisted(() => ({ failAfterEntries: Infinity, entries: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((fd: number, data: Buffer | string, ...rest: unknown[]) => {
    if (data.includes('"outcome"') && ++disk.entries > disk.failAfterEntries) {
      // Half the line reaches the file (a short write), then the disk is full: the torn half must not stay.
      const buf = Buffer.from(data);
      if (typeof data === 'string' || rest[0] === 0) return (real.writeSync as (...a: unknown[]) => number)(fd, buf, 0, Math.floor(buf.length / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    return (real.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
  }) as typeof real.writeSync;
  return { ...real, writeSync, default: { ...real, writeSync } };
});

const ID = (i: number) => String(4150868000001148212n + BigInt(i));
const ok = (id: string): RevokeResult => ({ code: 'SUCCESS', details: { id }, message: 'Sharing Revoked', status: 'success' });
const tooMany = (retryAfterMs?: number) => new RateLimitError({ status: 429, code: 'TOO_MANY_REQUESTS', message: 'm', details: {}, body: {} }, retryAfterMs);

function job(count: number, overrides: Partial<BulkOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-bulk-test-'));
  const idsPath = join(dir, 'ids.txt');
  writeFileSync(idsPath, `${Array.from({ length: count }, (_, i) => ID(i)).join('\n')}\n`);
  const options: BulkOptions = {
    module: 'Contacts', idsPath, journalPath: `${idsPath}.journal`, resume: false, dryRun: false,
    concurrency: { mode: 'auto', max: DEFAULT_MAX_CONCURRENCY }, api: { origin: 'https://www.zohoapis.com', version: 'v8' }, ...overrides,
  };
  return options;
}
const entries = (path: string) =>
  readFileSync(path, 'utf8').trim().split('\n').slice(1).filter((l) => !l.includes('api_domain')).map((l) => JSON.parse(l) as { id: string; outcome: string });

/** A client whose revoke answers with `answer(n)` for the n-th call (from 0). */
function scripted(answer: (n: number, id: string) => RevokeResult | Error, onCall?: () => void) {
  let calls = 0;
  const client = {
    revokeSharedRecord: async ({ recordId }: { recordId: string }, { signal }: { signal: AbortSignal }) => {
      onCall?.();
      if (signal.aborted) throw new AbortError('revokeSharedRecord aborted');
      const a = answer(calls++, recordId);
      await Promise.resolve();
      if (a instanceof Error) throw a;
      return a;
    },
  } as unknown as ZohoCrmClient;
  return { client, calls: () => calls };
}

function deps(client: ZohoCrmClient, extra: Partial<BulkDeps> = {}): BulkDeps {
  const never = new AbortController().signal;
  const quiet = { write: () => true };
  return { client, out: createOutput({ json: true, stream: quiet as unknown as NodeJS.WriteStream, stdout: quiet }), stop: never, cancel: never, ...extra };
}

describe('spent credits', () => {
  it(`429s that persist at concurrency 1 (${BUDGET_AFTER} in a row, waits 1, 2, 4, 8 s between): stop, exit CREDITS, nothing journalled as failed`, async () => {
    const o = job(200);
    const { client, calls } = scripted((n, id) => (n < 30 ? ok(id) : tooMany()));
    const waits: number[] = [];
    let now = 0;
    const s = await bulkRevoke(o, deps(client, { now: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) }));
    expect(s.stopped).toMatchObject({ exit: 'CREDITS', message: expect.stringMatching(/5 times in a row to a call sent alone.*API credits .* look spent/) });
    expect(s.exit).toBe('CREDITS');
    expect(waits.slice(-4)).toEqual([1000, 2000, 4000, 8000]);
    expect(entries(o.journalPath).every((e) => e.outcome === 'revoked')).toBe(true);
    expect([s.revoked, s.failed, s.left]).toEqual([30, 0, 170]);
    // A bounded number of calls once the budget was gone: the first wave, the halvings, the five alone.
    expect(calls() - 30).toBeLessThanOrEqual(DEFAULT_MAX_CONCURRENCY + BUDGET_AFTER);
  });

  it('a 429 whose Retry-After is beyond the longest wait stops at once, saying when to resume', async () => {
    const o = job(50);
    let now = Date.parse('2026-12-01T10:00:00Z');
    const { client, calls } = scripted(() => tooMany(2 * 3600_000));
    const s = await bulkRevoke(o, deps(client, { now: () => now, sleep: async () => {} }));
    expect(s.stopped).toMatchObject({ exit: 'CREDITS', resumeAfter: '2026-12-01T12:00:00.000Z' });
    expect(calls()).toBeLessThanOrEqual(5); // the first wave at the Free edition's 5
    expect(entries(o.journalPath)).toEqual([]);
    expect(s.left).toBe(50);
  });
});

describe('a dead endpoint', () => {
  it(`no answer at all in the run: stops after ${DEAD_AFTER} calls without one (plus those in flight), exit UNREACHABLE`, async () => {
    const o = job(500);
    const { client, calls } = scripted(() => new ConnectionError('could not reach http://127.0.0.1:1', { refused: true }));
    const s = await bulkRevoke(o, deps(client));
    expect(s.stopped).toMatchObject({ exit: 'UNREACHABLE', message: expect.stringMatching(/the last 10 calls got no answer .*none in this run/) });
    expect(calls()).toBeLessThanOrEqual(DEAD_AFTER + 5);
    expect(entries(o.journalPath)).toEqual([]);
    expect(s.left).toBe(500);
  });

  it(`an outage mid-run: failures are tolerated until they span ${DEAD_WINDOW_MS / 1000} s since the last answer (injected clock)`, async () => {
    const o = job(2000, { concurrency: { mode: 'pinned', max: 2 } });
    let now = 0;
    // 100 answers, then silence; each failed call takes 2 s of the clock (the client's retries).
    const { client, calls } = scripted((n, id) => (n < 100 ? ok(id) : (now += 2000, new ConnectionError('reset'))));
    const s = await bulkRevoke(o, deps(client, { now: () => now }));
    expect(s.stopped?.exit).toBe('UNREACHABLE');
    const failedCalls = calls() - 100;
    expect(failedCalls).toBeGreaterThanOrEqual(DEAD_WINDOW_MS / 2000);
    expect(failedCalls).toBeLessThanOrEqual(DEAD_WINDOW_MS / 2000 + 2);
    expect(s.revoked).toBe(100);
    // Ids that got no answer three times (each retried by the client) are journalled as failed; the rest are left.
    expect(entries(o.journalPath).filter((e) => e.outcome === 'failed').length).toBe(s.failed);
    expect(s.revoked + s.failed + s.left).toBe(2000);
  });
});

describe('a journal that cannot be written', () => {
  it('ENOSPC mid-run: the torn half is truncated away, no call starts after it, exit IO, a summary of what was done', async () => {
    const o = job(300, { concurrency: { mode: 'pinned', max: 4 } });
    disk.entries = 0;
    disk.failAfterEntries = 120;
    let startedAfterFailure = 0;
    const { client, calls } = scripted((_n, id) => ok(id), () => disk.entries > disk.failAfterEntries && startedAfterFailure++);
    const s = await bulkRevoke(o, deps(client));
    disk.failAfterEntries = Infinity;
    expect(s.stopped).toMatchObject({ exit: 'IO', message: expect.stringMatching(/could not write the journal .*ENOSPC no space left on the device/) });
    expect(startedAfterFailure).toBe(0);
    expect(calls()).toBeLessThanOrEqual(121 + 4);
    const read = await Journal.read(o.journalPath, { readOnly: true });
    expect([read.tornLine, read.entries, s.revoked]).toEqual([false, 120, 120]);
    // The calls in flight when it failed finished, unjournalled: --resume sends them again.
    expect(s.unjournalled).toBe(calls() - 120);
    expect(s.revoked + s.left).toBe(300);
  });
});

describe('the api_domain of a refreshed token', () => {
  it("resuming a job of another org (its token's api_domain differs): nothing is sent, exit USAGE naming both", async () => {
    const o = job(20);
    const listeners: ((d: string) => void)[] = [];
    const apiDomains = { listen: (fn: (d: string) => void) => void listeners.push(fn) };
    // The first run learns it at its first refresh, before its first call.
    let announced = false;
    const announce = (d: string) => () => !announced && ((announced = true), listeners.forEach((fn) => fn(d)));
    const a = scripted((_n, id) => (_n < 5 ? ok(id) : new AbortError('stop')), announce('https://www.zohoapis.eu'));
    await bulkRevoke(o, deps(a.client, { apiDomains }));
    expect(readFileSync(o.journalPath, 'utf8').split('\n')[1]).toBe('{"api_domain":"https://www.zohoapis.eu"}');
    listeners.length = 0;
    announced = false;
    const b = scripted((_n, id) => ok(id), announce('https://www.zohoapis.com'));
    const s = await bulkRevoke({ ...o, resume: true }, deps(b.client, { apiDomains }));
    expect(s.stopped).toMatchObject({ exit: 'USAGE', message: expect.stringMatching(/another org: its token reported api_domain https:\/\/www\.zohoapis\.eu, this one https:\/\/www\.zohoapis\.com/) });
    expect(b.calls()).toBe(0); // every call saw the aborted signal before it was sent
    expect(s.revoked).toBe(0);
  });
});
