// CALL_DEADLINE_SECONDS is a bound on a webhook job's call, not a hope: a Zoho that never answers is
// left when the call's budget (the deadline less its margin) is spent, long before the client's own
// timeout, so the call ends before its slot's lease (held for the deadline) could go to another.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExampleServer } from '../src/index.ts';
import { callBudgetMs } from '../src/server.ts';
import { SECRET, deliver, tempDataDir } from './helpers.ts';
import { until } from './processes.ts';

describe('the call deadline', () => {
  it('a budget under the deadline by a tenth, at most 5 s, never under 1 ms', () => {
    expect(callBudgetMs(120_000)).toBe(115_000);
    expect(callBudgetMs(10_000)).toBe(9_000);
    expect(callBudgetMs(1)).toBe(1);
    for (let ms = 1; ms < 200_000; ms += 997) {
      expect(callBudgetMs(ms)).toBeLessThan(ms + 1);
      expect(callBudgetMs(ms)).toBeGreaterThanOrEqual(Math.max(1, ms - 5_000));
    }
  });

  it('a Zoho that never answers: the call is stopped at its budget (the client would wait 10 minutes), the job waits to be tried again', async () => {
    const hung: ServerResponse[] = [];
    let closedByClient = 0;
    const zoho = createServer((req, res) => {
      hung.push(res);
      req.socket.on('close', () => closedByClient++);
    });
    await new Promise<void>((resolve) => zoho.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(zoho.address() as AddressInfo).port}/crm/v8`;
    const dataDir = tempDataDir();
    const server = await createExampleServer({
      dataDir,
      zoho: { auth: { accessToken: 'deadline-test-token' }, baseUrl: base, timeoutMs: 600_000, maxRetries: 0 },
      webhookSecret: SECRET,
      log: () => {},
      callDeadlineMs: 1_000,
      retry: { windowMs: 3_600_000 },
      shutdownGraceMs: 100,
    });
    try {
      expect((await deliver(server.url, { module: 'Contacts', recordId: '4150868000001148212' })).status).toBe(202);
      await until('the call to be stopped and the job to wait for its next attempt', async () => {
        const [job] = await server.jobs();
        return job?.status === 'queued' && job.attempts === 1 && job.error !== undefined;
      });
      const [job] = await server.jobs();
      expect(job!.nextAttemptAt).toBeDefined();
      expect(hung.length).toBeGreaterThanOrEqual(1);
      await until('the stopped request to leave Zoho', () => closedByClient >= 1);
    } finally {
      await server.close();
      for (const res of hung) res.destroy();
      await new Promise<void>((resolve) => zoho.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
