// Many calls sharing one AbortSignal (the CLI's bulk run shares one across every call): one 'abort'
// listener on it however many calls are in flight, released when they end, and an abort still ends
// every one of them. (The package test, .ci/packages, runs the same on Node 20 to 26 from the
// tarballs and fails on any process warning.)
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, createZohoCrmClient } from '../src/index.ts';
import { onAbort } from '../src/internal/deadline.ts';
import { createNodeFetch } from '../src/node.ts';
import { json, localServers } from './helpers.ts';

const ID = '4150868000001148212';
const REVOKED = { share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } };
const CALLS = 50;
const servers = localServers();
afterEach(() => servers.closeAll());

/** A server that holds every request until `CALLS` of them are in, then answers them all. */
async function gatedServer() {
  const held: (() => void)[] = [];
  let arrived!: () => void;
  const allIn = new Promise<void>((r) => (arrived = r));
  const url = await servers.listen((req, res) => {
    held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(REVOKED)));
    if (held.length === CALLS) arrived();
    req.on('close', () => res.destroy());
  });
  return { url: `${url}/crm/v8`, allIn, release: () => held.splice(0).forEach((answer) => answer()) };
}

const transports = { fetch: () => globalThis.fetch, node: () => createNodeFetch({ maxSockets: CALLS }) };

describe.each(Object.keys(transports) as (keyof typeof transports)[])('%d calls sharing one signal over %s'.replace('%d', String(CALLS)), (name) => {
  it('add one abort listener to it in all, none once they end, and no process warning', async () => {
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
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
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
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      (fetch as { close?: () => void }).close?.();
    }
  });
});

describe('onAbort (the fan-out)', () => {
  it('runs each registration once on abort, skips released ones, and leaves no listener', () => {
    const controller = new AbortController();
    const ran: number[] = [];
    const f = () => ran.push(1);
    const a = onAbort(controller.signal, f);
    onAbort(controller.signal, f); // the same function twice: two registrations
    onAbort(controller.signal, () => ran.push(3));
    a();
    a(); // a second release changes nothing
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(ran.sort()).toEqual([1, 3]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('removes its listener when the last registration is released, and adds one again for the next', () => {
    const controller = new AbortController();
    const releases = Array.from({ length: 20 }, () => onAbort(controller.signal, () => {}));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    releases.forEach((r) => r());
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    let ran = false;
    onAbort(controller.signal, () => (ran = true));
    controller.abort();
    expect(ran).toBe(true);
  });
});
