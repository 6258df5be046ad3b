// Ctrl-C, in process, with the grace period on an injected timer (nothing here waits on a clock):
// the first interrupt starts no new call and ends every wait; calls in flight may finish within the
// grace period and are journalled; then the rest are cancelled and not journalled.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortError, RateLimitError, type RevokeResult, type ZohoCrmClient } from '@zcrm-sharing/client';
import { describe, expect, it, vi } from 'vitest';
import { bulkRevoke } from '../src/bulk/job.ts';
import { createInterrupt, GRACE_MS, type Schedule } from '../src/interrupt.ts';
import { createOutput } from '../src/output.ts';

const ID = (i: number) => String(4150868000001148212n + BigInt(i));
const API = { origin: 'https://www.zohoapis.com', version: 'v8' };

/** A schedule that runs nothing by itself: the test fires the grace timer when it chooses. */
function manualSchedule() {
  const pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const schedule: Schedule = (fn, ms) => {
    const entry = { fn, ms, cancelled: false };
    pending.push(entry);
    return () => (entry.cancelled = true);
  };
  return { schedule, pending, fire: () => pending.filter((p) => !p.cancelled).forEach((p) => p.fn()) };
}

describe('createInterrupt', () => {
  it('first: stop now and cancel after the grace period; a second: cancel at once', () => {
    const timer = manualSchedule();
    const onFirst = vi.fn();
    const i = createInterrupt({ schedule: timer.schedule, onFirst });
    i.interrupt();
    expect([i.stop.aborted, i.cancel.aborted]).toEqual([true, false]);
    expect(timer.pending.map((p) => p.ms)).toEqual([GRACE_MS]);
    expect(onFirst).toHaveBeenCalledWith(GRACE_MS);
    timer.fire();
    expect(i.cancel.aborted).toBe(true);

    const j = createInterrupt({ schedule: manualSchedule().schedule });
    j.interrupt();
    j.interrupt();
    expect(j.cancel.aborted).toBe(true);
  });

  it('dispose() drops the grace timer', () => {
    const timer = manualSchedule();
    const i = createInterrupt({ schedule: timer.schedule });
    i.interrupt();
    i.dispose();
    timer.fire();
    expect(i.cancel.aborted).toBe(false);
  });
});

describe('bulk revoke on Ctrl-C', () => {
  function setup(ids: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-interrupt-'));
    const idsPath = join(dir, 'ids.txt');
    writeFileSync(idsPath, `${ids.join('\n')}\n`);
    return { idsPath, journalPath: join(dir, 'ids.txt.journal') };
  }
  const journalled = (path: string) =>
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .slice(1) // the header
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; outcome: string });

  it('in-flight calls finishing within the grace period are journalled; the others are cancelled, not journalled; no new call starts', async () => {
    const ids = [ID(0), ID(1), ID(2), ID(3)];
    const started: string[] = [];
    const release = new Map<string, () => void>();
    const client = {
      revokeSharedRecord: ({ recordId }: { recordId: string }, { signal }: { signal: AbortSignal }) =>
        new Promise<RevokeResult>((resolve, reject) => {
          started.push(recordId);
          release.set(recordId, () => resolve({ code: 'SUCCESS', details: { id: recordId }, message: 'Sharing Revoked', status: 'success' }));
          signal.addEventListener('abort', () => reject(new AbortError('revokeSharedRecord aborted')));
        }),
    } as unknown as ZohoCrmClient;
    const timer = manualSchedule();
    const interrupt = createInterrupt({ schedule: timer.schedule });
    const { idsPath, journalPath } = setup(ids);
    const run = bulkRevoke(
      { module: 'Contacts', idsPath, journalPath, resume: false, dryRun: false, concurrency: { mode: 'pinned', max: 2 }, api: API },
      { client, out: createOutput({ json: true, stdout: { write: () => true } }), stop: interrupt.stop, cancel: interrupt.cancel },
    );

    await vi.waitFor(() => expect(started).toEqual([ID(0), ID(1)]));
    interrupt.interrupt();
    release.get(ID(0))!(); // finishes within the grace period
    await vi.waitFor(() => expect(journalled(journalPath)).toEqual([{ id: ID(0), outcome: 'revoked' }]));
    timer.fire(); // the grace period ends: ID(1) is cancelled
    const summary = await run;

    expect(started).toEqual([ID(0), ID(1)]); // nothing new after Ctrl-C
    expect(journalled(journalPath)).toEqual([{ id: ID(0), outcome: 'revoked' }]);
    expect(summary).toMatchObject({ interrupted: true, revoked: 1, failed: 0 });
  });

  it('a 429 wait (a Retry-After within the longest wait, 60 s) ends at once on Ctrl-C; its id is not journalled', async () => {
    let called = false;
    const client = {
      revokeSharedRecord: async () => {
        called = true;
        // 50 s: within the longest wait, so the limiter waits (a longer one would mean the credits are spent).
        throw new RateLimitError({ status: 429, code: 'TOO_MANY_REQUESTS', message: 'm', details: {}, body: {} }, 50_000);
      },
    } as unknown as ZohoCrmClient;
    const interrupt = createInterrupt({ schedule: manualSchedule().schedule });
    const { idsPath, journalPath } = setup([ID(0)]);
    const run = bulkRevoke(
      { module: 'Contacts', idsPath, journalPath, resume: false, dryRun: false, concurrency: { mode: 'pinned', max: 1 }, api: API },
      { client, out: createOutput({ json: true, stdout: { write: () => true } }), stop: interrupt.stop, cancel: interrupt.cancel },
    );
    // Once the call has failed with its Retry-After, interrupt: the run ends although no timer fired.
    await vi.waitFor(() => expect(called).toBe(true));
    interrupt.interrupt();
    const summary = await run;
    expect(summary).toMatchObject({ interrupted: true, waitsAborted: 1, revoked: 0, failed: 0 });
    expect(journalled(journalPath)).toEqual([]);
  });
});
