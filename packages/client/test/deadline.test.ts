// The per-attempt timer holds the process only where nothing else does. Over the runtime's fetch and
// @zcrm-sharing/client/node the request's socket keeps the process alive until the answer or the
// deadline, so the timer is unref'd (a ref'd timer costs Node a ref-count toggle each way per call);
// over any other fetch (a mock, a wrapper) it is not, so a request that hangs on nothing still ends in
// TimeoutError instead of the process exiting under it. (That the deadline still fires over both
// built-in transports: bounds.test.ts and node.test.ts, a server that never answers.)
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createZohoCrmClient } from '../src/index.ts';
import { attemptDeadline } from '../src/internal/deadline.ts';
import { createNodeFetch } from '../src/node.ts';
import { json, localServers } from './helpers.ts';

const ID = '4150868000001148212';
const REVOKED = { share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } };
const TIMEOUT_MS = 12_345; // tells the attempt's timer from any other
const servers = localServers();
afterEach(async () => {
  vi.restoreAllMocks();
  await servers.closeAll();
});

/** The timers made with `ms` while `run` runs, as Node returned them. */
async function timersOf(ms: number, run: () => Promise<unknown>): Promise<NodeJS.Timeout[]> {
  const spy = vi.spyOn(globalThis, 'setTimeout');
  try {
    await run();
    return spy.mock.calls.flatMap((call, i) => (call[1] === ms ? [spy.mock.results[i]!.value as NodeJS.Timeout] : []));
  } finally {
    spy.mockRestore();
  }
}

describe('attemptDeadline', () => {
  it('holds the process by its timer unless told the work it bounds does', async () => {
    const [held] = await timersOf(TIMEOUT_MS, async () => attemptDeadline(TIMEOUT_MS, undefined, true).dispose());
    const [own] = await timersOf(TIMEOUT_MS, async () => attemptDeadline(TIMEOUT_MS).dispose());
    expect(held!.hasRef()).toBe(false);
    expect(own!.hasRef()).toBe(true);
  });
});

describe("the client's attempts", () => {
  async function server() {
    return `${await servers.listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(REVOKED)))}/crm/v8`;
  }
  const revoke = (baseUrl: string, fetch?: typeof globalThis.fetch) =>
    timersOf(TIMEOUT_MS, () => createZohoCrmClient({ auth: { accessToken: 't' }, baseUrl, timeoutMs: TIMEOUT_MS, ...(fetch && { fetch }) }).revokeSharedRecord({ module: 'Contacts', recordId: ID }));

  it('over the runtime fetch and the node transport: the socket holds the process, not the timer', async () => {
    const url = await server();
    const node = createNodeFetch();
    try {
      for (const timers of [await revoke(url), await revoke(url, node)]) {
        expect(timers).toHaveLength(1);
        expect(timers[0]!.hasRef()).toBe(false);
      }
    } finally {
      node.close();
    }
  });

  it('over any other fetch the timer holds the process (the fetch may hold nothing)', async () => {
    const mock = (async () => json(200, REVOKED)) as typeof globalThis.fetch;
    const wrapper = ((input: string, init: RequestInit) => globalThis.fetch(input, init)) as typeof globalThis.fetch;
    const url = await server();
    for (const timers of [await revoke('http://sandbox.test/crm/v8', mock), await revoke(url, wrapper)]) {
      expect(timers).toHaveLength(1);
      expect(timers[0]!.hasRef()).toBe(true);
    }
  });
});
