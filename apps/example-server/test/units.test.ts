import { afterEach, describe, expect, it } from 'vitest';
import { Limiter } from '../src/index.ts';
import { closeAll, contactId, deliver, gate, harness } from './helpers.ts';

afterEach(closeAll);

describe('Limiter', () => {
  it('never runs more than max at once; a released slot goes to high priority before low, FIFO within each', async () => {
    const limiter = new Limiter(2);
    const order: string[] = [];
    let running = 0;
    let peak = 0;
    const gates = new Map<string, () => void>();
    const task = (name: string, priority: 'high' | 'low') =>
      limiter.run(priority, async () => {
        order.push(name);
        peak = Math.max(peak, ++running);
        await new Promise<void>((r) => gates.set(name, r));
        running--;
      });
    const all = [task('low1', 'low'), task('low2', 'low'), task('low3', 'low'), task('high1', 'high'), task('low4', 'low'), task('high2', 'high')];
    await Promise.resolve();
    expect(order).toEqual(['low1', 'low2']);
    expect(limiter.waiting).toBe(4);
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setImmediate(r));
      gates.get(order[i]!)!();
    }
    await Promise.all(all);
    expect(order).toEqual(['low1', 'low2', 'high1', 'high2', 'low3', 'low4']);
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it('a waiter whose signal aborts leaves the queue and does not take a slot', async () => {
    const limiter = new Limiter(1);
    const release = await limiter.acquire('low');
    const controller = new AbortController();
    const waiting = limiter.acquire('low', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(limiter.waiting).toBe(0);
    release();
    release(); // idempotent
    expect(limiter.active).toBe(0);
  });
});

describe('close()', () => {
  it('lets the in-flight job finish and leaves the queued one in the store; a restart on the same DATA_DIR runs it', async () => {
    const g = gate();
    const h = await harness({ zoho: { fetch: g.fetch }, server: { revokeConcurrency: 1 } });
    await deliver(h.url, { module: 'Contacts', recordId: contactId(0) });
    await g.holding(1);
    await deliver(h.url, { module: 'Contacts', recordId: contactId(1) });
    const closing = h.server.close();
    g.open();
    await closing;
    expect(h.sandbox.record('Contacts', contactId(1))!.revokeCalls).toBe(0);
    expect(h.logs.find((l) => l.msg === 'webhook jobs left in the store: they resume at the next start')).toMatchObject({ queued: 1, running: 0 });

    const again = await h.restart();
    await again.idle();
    expect((await again.jobs()).map((j) => [j.recordId, j.status, j.attempts])).toEqual([
      [contactId(1), 'revoked', 1],
      [contactId(0), 'revoked', 1],
    ]);
    expect(h.sandbox.record('Contacts', contactId(1))).toMatchObject({ revokeCalls: 1, revokeSuccesses: 1 });
  });

  it('aborts an in-flight call that outlasts the grace period; the job goes back to the queue and runs at the restart', async () => {
    const g = gate();
    const h = await harness({ zoho: { fetch: g.fetch }, server: { shutdownGraceMs: 50 } });
    await deliver(h.url, { module: 'Contacts', recordId: contactId(0) });
    await g.holding(1);
    await h.server.close(); // the gate never opens
    const again = await h.restart({ zoho: { fetch: fetch } });
    await again.idle();
    expect((await again.jobs())[0]).toMatchObject({ recordId: contactId(0), status: 'revoked', attempts: 2 });
    g.open();
  });

  it('a second server on the same DATA_DIR is refused while the first runs', async () => {
    const h = await harness();
    await expect(h.restart()).rejects.toThrow(/in use by another process: one server per DATA_DIR/);
  });
});
