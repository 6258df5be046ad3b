// The sandbox without sockets: the route table, the pure handlers over a state, and the API
// pipeline with its clock, fault roll and latency injected.
import { describe, expect, it } from 'vitest';
import { handleApi, type ApiRequest } from '../src/api.ts';
import { CONFIG_DEFAULTS, applyConfig } from '../src/config.ts';
import { revokeSharedRecord, shareRecord } from '../src/handlers/shares.ts';
import { rerunDataSharingRules } from '../src/handlers/rules.ts';
import type { ApiCall, Context } from '../src/handlers/call.ts';
import { Reply } from '../src/reply.ts';
import { resolve } from '../src/routes.ts';
import { byId } from '../src/spec.ts';
import { SandboxState } from '../src/state.ts';
import { ID, specExample, testSeed, TOKEN, USER } from './helpers.ts';

const T0 = Date.parse('2026-12-01T00:00:00Z');

function setup() {
  const state = new SandboxState(testSeed(20), () => T0);
  const caller = { ...state.tokens.get(TOKEN)!, token: TOKEN };
  const ctx = (now = T0, config = CONFIG_DEFAULTS): Context => ({ state, config, now });
  const apiCall = (id: Parameters<typeof byId.get>[0], params: Record<string, string>, more: Partial<ApiCall> = {}): ApiCall => ({
    op: byId.get(id)!,
    version: 'v8',
    params,
    query: new URLSearchParams(),
    body: undefined,
    caller,
    ...more,
  });
  /** Runs a handler; a check that throws its Reply is returned like any other answer. */
  const run = (h: (c: ApiCall, x: Context) => Reply, c: ApiCall, x: Context) => {
    try {
      return h(c, x);
    } catch (e) {
      if (e instanceof Reply) return e;
      throw e;
    }
  };
  return { state, ctx, apiCall, run };
}

describe('route table (from spec.paths)', () => {
  it.each([
    ['POST', 'v8', ['settings', 'data_sharing', 'rules', 'actions', 'run'], 'rerunDataSharingRules'],
    ['GET', 'v8', ['settings', 'data_sharing', 'rules', 'actions', 'summary'], 'getDataSharingRulesSummary'],
    ['GET', 'v2', ['Contacts', ID, 'actions', 'share'], 'getSharedRecordDetails'],
    ['POST', 'v3', ['Contacts', ID, 'actions', 'share'], 'shareRecord'],
    ['PUT', 'v8', ['Contacts', ID, 'actions', 'share'], 'updateRecordShares'],
    ['DELETE', 'v2.1', ['Contacts', ID, 'actions', 'share'], 'revokeSharedRecord'],
  ])('%s %s /%s -> %s', (method, version, segments, id) => {
    const route = resolve(method, version, segments);
    expect(route).not.toBeInstanceOf(Reply);
    expect((route as Exclude<typeof route, Reply>).op.id).toBe(id);
  });

  it('path parameters come percent-decoded; an undecodable one is undefined (not a crash)', () => {
    expect((resolve('GET', 'v8', ['Projects%5FX', '1', 'actions', 'share']) as any).params).toEqual({ module_api_name: 'Projects_X', record_id: '1' });
    expect((resolve('GET', 'v8', ['Contacts', '%E0%A4', 'actions', 'share']) as any).params.record_id).toBeUndefined();
  });

  it('version ranges come from x-zoho-min-version: the rule endpoints are v8 only', () => {
    const r = resolve('POST', 'v7', ['settings', 'data_sharing', 'rules', 'actions', 'run']) as Reply;
    expect([r.status, r.example]).toEqual([404, 'INVALID_URL_PATTERN']);
  });

  it('a method the path lacks is INVALID_REQUEST_METHOD; on a version without the path, INVALID_URL_PATTERN', () => {
    expect((resolve('GET', 'v8', ['settings', 'data_sharing', 'rules', 'actions', 'run']) as Reply).example).toBe('INVALID_REQUEST_METHOD');
    expect((resolve('GET', 'v2', ['settings', 'data_sharing', 'rules', 'actions', 'run']) as Reply).example).toBe('INVALID_URL_PATTERN');
  });
});

describe('handlers are (call, state) -> reply', () => {
  it('rerun: scheduled until the clock passes the rerun duration', () => {
    const { ctx, apiCall, run, state } = setup();
    const c = apiCall('rerunDataSharingRules', {}, { query: new URLSearchParams('module=Leads') });
    const config = applyConfig(CONFIG_DEFAULTS, { rerunDurationMs: 1000 });
    expect(run(rerunDataSharingRules, c, ctx(T0, config)).status).toBe(200);
    expect(state.reruns.get('Leads')).toBe(T0 + 1000);
    expect(run(rerunDataSharingRules, c, ctx(T0 + 999, config)).example).toBe('CANNOT_PROCESS');
    expect(run(rerunDataSharingRules, c, ctx(T0 + 1000, config)).status).toBe(200);
  });

  it('revoke empties the record\'s shares; a second revoke is BAD_REQUEST', () => {
    const { ctx, apiCall, run, state } = setup();
    const c = apiCall('revokeSharedRecord', { module_api_name: 'Contacts', record_id: ID });
    expect(run(revokeSharedRecord, c, ctx()).body).toEqual({ share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } });
    expect(state.records.get(ID)!.entries).toEqual([]);
    const again = run(revokeSharedRecord, c, ctx());
    expect([again.status, again.body]).toEqual([400, specExample('revokeSharedRecord', 'BAD_REQUEST').value]);
  });

  it('share: entries are stamped with the clock and the caller, over the record as the spec shapes it', () => {
    const { ctx, apiCall, run, state } = setup();
    const c = apiCall('shareRecord', { module_api_name: 'Contacts', record_id: ID }, {
      body: JSON.stringify({ share: [{ shared_with: { type: 'users', id: USER(5) }, permission: 'read_only', type: 'public' }] }),
    });
    expect(run(shareRecord, c, ctx(T0 + 5000)).status).toBe(201);
    expect(state.record('Contacts', ID)!.entries[1]).toEqual({
      shared_with: { type: 'users', id: USER(5), name: 'User 5' },
      permission: 'read_only',
      share_related_records: false,
      shared_time: '2026-12-01T00:00:05+00:00',
      shared_by: { id: '4150868000000225013', name: 'Sandbox Admin', zuid: '76602839' },
      shared_through: { module: { name: 'Contacts', id: '4150868000000002177' }, id: ID },
      type: 'public',
    });
  });
});

describe('the API pipeline without HTTP', () => {
  const req = (segments: string[], method = 'DELETE'): ApiRequest => ({
    method,
    version: 'v8',
    segments,
    query: new URLSearchParams(),
    authorization: `Zoho-oauthtoken ${TOKEN}`,
    body: undefined,
  });

  it('a fault is decided after the limits and before the handler: the record keeps its shares', async () => {
    const state = new SandboxState(testSeed(20), () => T0);
    const config = applyConfig(CONFIG_DEFAULTS, { errorRate: 0.2 });
    const deps = (roll: number) => ({ context: () => ({ state, config, now: T0 }), delay: async () => {}, random: () => roll });
    const faulted = await handleApi(req(['Contacts', ID, 'actions', 'share']), deps(0.1));
    expect([faulted.status, faulted.example]).toEqual([500, 'INTERNAL_ERROR']);
    expect(state.records.get(ID)!.entries).toHaveLength(1);
    expect(state.stats.creditsUsed).toBe(1);
    expect((await handleApi(req(['Contacts', ID, 'actions', 'share']), deps(0.2))).status).toBe(200);
  });

  it('latency: the call waits in `delay` holding its org slot, then reads the clock again', async () => {
    let now = T0;
    const state = new SandboxState(testSeed(20), () => now);
    const config = applyConfig(CONFIG_DEFAULTS, { latencyMs: 50, concurrencyLimit: 1, rerunDurationMs: 10 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const deps = { context: () => ({ state, config, now }), delay: () => held, random: () => 1 };
    const first = handleApi({ ...req(['settings', 'data_sharing', 'rules', 'actions', 'run'], 'POST'), query: new URLSearchParams('module=Leads') }, deps);
    await new Promise((r) => setImmediate(r));
    expect(state.org('default').inFlight).toBe(1);
    expect((await handleApi(req(['Contacts', ID, 'actions', 'share'], 'GET'), deps)).example).toBe('TOO_MANY_REQUESTS');
    now += 1000;
    release();
    expect((await first).status).toBe(200);
    expect(state.reruns.get('Leads')).toBe(T0 + 1000 + 10); // scheduled at the clock after the wait
    expect(state.org('default').inFlight).toBe(0);
  });
});
