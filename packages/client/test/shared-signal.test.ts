// Many calls sharing one AbortSignal (the CLI's bulk run shares one across every call): one 'abort'
// listener on it however many calls are in flight or have been, and an abort still ends every call in
// flight. (The package test, .ci/packages, runs the same on Node 20 to 26 from the
// tarballs and fails on any process warning.)
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, createZohoCrmClient } from '../src/index.ts';
import { offAbort, onAbort } from '../src/internal/deadline.ts';
import { createNodeFetch } from '../src/node.ts';
import { json, localServers } from './helpers.ts';

const ID = '4150868000001148212';
const REVOKED = { share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } };
const CALLS = 50;
const servers = localServers();
afterEach(() => servers.closeAll());

/** A server that holds every request until `CALLS` of them are in and `release` is called, then answers them all, and any later one at once. */
async function gatedServer() {
  const held: (() => void)[] = [];
  let open = false;
  let arrived!: () => void;
  const allIn = new Promise<void>((r) => (arrived = r));
  const url = await servers.listen((req, res) => {
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(REVOKED));
    if (open) return answer();
    held.push(answer);
    if (held.length === CALLS) arrived();
    req.on('close', () => res.destroy());
  });
  const release = () => {
    open = true;
    held.splice(0).forEach((answer) => answer());
  };
  return { url: `${url}/crm/v8`, allIn, release };
}

const transports = { fetch: () => globalThis.fetch, node: () => createNodeFetch({ maxSockets: CALLS }) };

describe.each(Object.keys(transports) as (keyof typeof transports)[])('%d calls sharing one signal over %s'.replace('%d', String(CALLS)), (name) => {
  it('add one abort listener to it in all, however many calls in flight or done, and no process warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const fetch = transports[name]();
    try {
      const gate = await gatedServer();
      const client = createZohoCrmClient({ auth: { accessToken: '1000.shared-signal' }, baseUrl: gate.url, fetch });
      const controller = new AbortController();
      const calls = Array.from({ length: CALLS }, () => client.revokeSharedRecord({ module: 'Contacts', recordId: ID }, { signal: controller.signal }));
      await gate.allIn;
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      gate.release();
      expect((await Promise.all(calls)).map((r) => r.details.id)).toEqual(Array(CALLS).fill(ID));
      for (let i = 0; i < 20; i++) await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }, { signal: controller.signal });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      // A warning is emitted on the next tick: give it one.
      await new Promise((r) => setImmediate(r));
      expect(warnings.map(String)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      (fetch as { close?: () => void }).close?.();
    }
  });

  it('an abort of the shared signal ends every call in flight with AbortError', async () => {
    const fetch = transports[name]();
    try {
      const gate = await gatedServer();
      const client = createZohoCrmClient({ auth: { accessToken: '1000.shared-signal' }, baseUrl: gate.url, fetch });
      const controller = new AbortController();
      const calls = Array.from({ length: CALLS }, () => client.revokeSharedRecord({ module: 'Contacts', recordId: ID }, { signal: controller.signal }).catch((e: unknown) => e));
      await gate.allIn;
      controller.abort(new Error('Ctrl-C'));
      const results = await Promise.all(calls);
      expect(results.filter((r) => r instanceof AbortError)).toHaveLength(CALLS);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0); // aborted: its one listener ran, once
    } finally {
      (fetch as { close?: () => void }).close?.();
    }
  });
});

describe('onAbort (the fan-out)', () => {
  it('cancels each registration once on abort with the reason, skips removed ones, and adds one listener in all', () => {
    const controller = new AbortController();
    const ran: unknown[] = [];
    const target = (name: string) => ({ cancel: (reason: unknown) => ran.push([name, reason]) });
    const a = target('a');
    onAbort(controller.signal, a);
    for (let i = 0; i < 20; i++) {
      const b = target('b');
      onAbort(controller.signal, b);
      offAbort(controller.signal, b);
    }
    onAbort(controller.signal, target('c'));
    offAbort(controller.signal, a);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort('why');
    expect(ran).toEqual([['c', 'why']]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
