import { responseProblems } from '@zcrm-sharing/openapi/testing/spec';
import { afterAll, afterEach, expect } from 'vitest';
import { allScopes, DEMO_CREDENTIALS, demoSeed, startSandbox, type Sandbox, type SandboxOptions, type SandboxSeed } from '../src/index.ts';

export const TOKEN = DEMO_CREDENTIALS.accessToken;
export const ID = '4150868000001148212';

/** A seed with extra tokens for auth and scope tests. */
export function testSeed(records = 50): SandboxSeed {
  const seed = demoSeed({ records });
  seed.tokens!.push(
    { accessToken: 'contacts-only', scopes: ['ZohoCRM.share.contacts.DELETE'] },
    { accessToken: 'rules-only', scopes: ['ZohoCRM.settings.data_sharing.UPDATE'] },
    { accessToken: 'expired', scopes: allScopes(), expiresAt: '2020-01-01T00:00:00Z' },
    { accessToken: 'no-share-permission', scopes: allScopes(), profile: 'no-share-permission' },
    { accessToken: 'read-only', scopes: allScopes(), profile: 'read-only' },
  );
  return seed;
}

/**
 * Starts a sandbox whose every response is checked against the spec (status documented for the
 * operation, body valid); each test fails if any response of it did not conform.
 */
export function useSandbox(options: SandboxOptions = {}) {
  let problems: string[] = [];
  let checked = 0;
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
        checked++;
        const path = r.path.replace(/^\/crm\/[^/]+/, '');
        problems.push(...responseProblems(r.method, path, r.status, r.body));
      },
    });
    sandboxes.push(sandbox);
    return sandbox;
  };
  return { start, checked: () => checked };
}

export async function call(
  sandbox: Sandbox,
  method: string,
  path: string,
  token: string | null = TOKEN,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: globalThis.Headers; body: any }> {
  const res = await fetch(sandbox.url + path, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Zoho-oauthtoken ${token}` }), ...headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A clock that moves only when told: `startSandbox({ now: clock.now })`. */
export function manualClock(start = Date.parse('2026-12-01T00:00:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}
