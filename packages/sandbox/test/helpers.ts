import { responseExamples, responseProblems } from '@zcrm-sharing/openapi/testing/spec';
import { afterAll, afterEach, expect } from 'vitest';
import { allScopes, DEMO_CREDENTIALS, demoSeed, startSandbox, type Sandbox, type SandboxOptions, type SandboxSeed } from '../src/index.ts';

export const TOKEN = DEMO_CREDENTIALS.accessToken;
export const ID = '4150868000001148212';
export const RUN = '/crm/v8/settings/data_sharing/rules/actions/run';
export const SUMMARY = '/crm/v8/settings/data_sharing/rules/actions/summary';
export const share = (module: string, id: string, v = 'v8') => `/crm/${v}/${module}/${id}/actions/share`;
/** Demo directory ids: users User 0 ... User 11, roles, groups. */
export const USER = (i: number) => String(4150868000000224005n + BigInt(i));
export const ROLE = (i: number) => String(4150868000000231001n + BigInt(i));
export const GROUP = (i: number) => String(4150868000000232001n + BigInt(i));

/** A seed with extra tokens for auth, scope, permission and org tests. */
export function testSeed(records = 50): SandboxSeed {
  const seed = demoSeed({ records });
  seed.tokens!.push(
    { accessToken: 'contacts-only', scopes: ['ZohoCRM.share.contacts.DELETE'] },
    { accessToken: 'contacts-read', scopes: ['ZohoCRM.share.contacts.READ'] },
    { accessToken: 'rules-only', scopes: ['ZohoCRM.settings.data_sharing.UPDATE'] },
    { accessToken: 'expired', scopes: allScopes(), expiresAt: '2020-01-01T00:00:00Z' },
    { accessToken: 'no-share-permission', scopes: allScopes(), profile: 'no-share-permission' },
    { accessToken: 'read-only', scopes: allScopes(), profile: 'read-only' },
    { accessToken: 'no-data-sharing-permission', scopes: allScopes(), profile: 'no-data-sharing-permission' },
    { accessToken: 'same-org', scopes: allScopes() },
    { accessToken: 'other-org', scopes: allScopes(), org: 'other' },
  );
  return seed;
}

/** The spec's named examples of an operation under a status, by name. */
export function specExample(operationId: string, name: string): { status: number; value: unknown } {
  const e = responseExamples().find((x) => x.operationId === operationId && x.name === name);
  if (!e) throw new Error(`the spec has no example ${name} for ${operationId}`);
  return { status: Number(e.status), value: e.value };
}

/** `details.json_path`/`api_name` point at the field at fault; everything else is the example's. */
function withoutField(body: any): any {
  const strip = (s: any) => {
    const { api_name: _a, json_path: _j, ambiguity_due_to: _d, ...details } = s.details ?? {};
    return { ...s, details };
  };
  if (Array.isArray(body?.share)) return { share: body.share.map(strip) };
  return body && typeof body === 'object' && 'code' in body ? strip(body) : body;
}

/**
 * Problems with an error answer of Zoho's API: it must be one of the spec's named examples of the
 * operation, exactly (for per-entry and per-field errors: up to the field they point at).
 */
export function exampleProblems(method: string, path: string, status: number, body: unknown, example: string | undefined): string[] {
  if ((status < 400 && status !== 207) || !path.startsWith('/crm/')) return [];
  if (!example) return [`${method} ${path} ${status}: not a named spec example: ${JSON.stringify(body)}`];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  // A 207's items are the entries' outcomes: the 201's SUCCESS item or a per-entry error of the 400.
  const named = (name: string) =>
    responseExamples()
      .filter((e) => e.name === name && (Number(e.status) === status || (status === 207 && ['201', '400'].includes(e.status))))
      .map((e) => e.value as any);
  const names = example.split(',');
  const ok =
    names.length === 1 && status !== 207
      ? named(names[0]!).some((v) => same(v, body) || (JSON.stringify(v).includes('json_path') && same(withoutField(v), withoutField(body))))
      : // Per-entry errors: item i is the item of the i-th named example, pointing at its own field.
        Array.isArray((body as any)?.share) &&
        (body as any).share.length === names.length &&
        names.every((n, i) => named(n).some((v) => same(withoutField({ share: [v.share[0]] }), withoutField({ share: [(body as any).share[i]] }))));
  return ok ? [] : [`${method} ${path} ${status}: body differs from the spec's ${example}: ${JSON.stringify(body)}`];
}

/**
 * Starts sandboxes whose every response is checked against the spec (status documented for the
 * operation, body valid) and whose every error is a named spec example; each test fails if any
 * response of it did not conform.
 */
export function useSandbox(options: SandboxOptions = {}) {
  let problems: string[] = [];
  const sandboxes: Sandbox[] = [];
  afterEach(() => {
    expect(problems).toEqual([]);
    problems = [];
  });
  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.close()));
  });
  const start = async (more: SandboxOptions = {}) => {
    const sandbox = await startSandbox({
      seed: testSeed(),
      rerunDurationMs: 200,
      ...options,
      ...more,
      onResponse: (r) => {
        if (r.path.startsWith('/__sandbox') || r.path.startsWith('/oauth')) return;
        const path = r.path.replace(/^\/crm\/[^/]+/, '');
        problems.push(...responseProblems(r.method, path, r.status, r.body));
        problems.push(...exampleProblems(r.method, r.path, r.status, r.body, r.example));
      },
    });
    sandboxes.push(sandbox);
    return sandbox;
  };
  return { start };
}

export async function call(
  sandbox: Sandbox,
  method: string,
  path: string,
  token: string | null = TOKEN,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: globalThis.Headers; body: any }> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const res = await fetch(sandbox.url + path, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Zoho-oauthtoken ${token}` }), ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A clock that moves only when told: `startSandbox({ now: clock.now })`. */
export function manualClock(start = Date.parse('2026-12-01T00:00:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/**
 * A `delay` that holds every call with latency until `open()`: concurrency tests decide when calls
 * end instead of racing a timer. `held` counts the calls waiting.
 */
export function gate() {
  let waiting: (() => void)[] = [];
  let arrivals: (() => void)[] = [];
  return {
    delay: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        for (const a of arrivals) a();
        arrivals = [];
      }),
    get held() {
      return waiting.length;
    },
    /** Resolves once `n` calls are held. */
    until: async (n: number) => {
      while (waiting.length < n) await new Promise<void>((r) => arrivals.push(r));
    },
    open: () => {
      for (const w of waiting) w();
      waiting = [];
    },
  };
}
