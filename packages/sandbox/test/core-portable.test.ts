// The core (src/core.ts and everything it imports) runs anywhere: it imports no node: module and no
// package (no ajv: its compile needs `new Function`, which workerd refuses), and it answers calls with
// `Function` and `eval` made to throw, as they do on workerd.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Every module specifier the file and the relative modules it imports (at run time) name. */
function importGraph(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const text = readFileSync(file, 'utf8');
  // `import type` and `export type` vanish at build time: only value imports count.
  const specifiers = [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^'";]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]!);
  seen.set(file, specifiers);
  for (const s of specifiers.filter((x) => x.startsWith('.'))) importGraph(resolve(dirname(file), s.replace(/\.js$/, '.ts')), seen);
  return seen;
}

describe('the core runs anywhere', () => {
  const graph = importGraph(join(src, 'core.ts'));

  it('imports only its own modules: no node: builtin, no package', () => {
    const files = [...graph.keys()].map((f) => f.slice(src.length));
    // The walk reached the handlers, the generated spec and the state, so it is the real graph.
    expect(files).toEqual(expect.arrayContaining(['core.ts', 'api.ts', 'handlers/shares.ts', 'spec.ts', 'generated/spec.ts', 'state.ts', 'oauth.ts']));
    const outside = [...graph].flatMap(([f, specs]) => specs.filter((s) => !s.startsWith('.')).map((s) => `${f.slice(src.length)} imports ${s}`));
    expect(outside).toEqual([]);
  });

  it('the in-process entry (@zcrm-sharing/sandbox/fetch) imports no node: builtin and no package; the MSW entry only msw', () => {
    const outside = (entry: string) => [...importGraph(join(src, entry))].flatMap(([, specs]) => specs.filter((s) => !s.startsWith('.')));
    const fetchGraph = importGraph(join(src, 'fetch.ts'));
    expect([...fetchGraph.keys()].map((f) => f.slice(src.length))).toEqual(expect.arrayContaining(['fetch.ts', 'in-process.ts', 'engine.ts', 'core.ts', 'hosts.ts', 'admin.ts']));
    expect(outside('fetch.ts')).toEqual([]);
    expect(outside('msw.ts')).toEqual(['msw']);
  });

  it('the graph check sees a node: import where there is one (the HTTP layer)', () => {
    const http = importGraph(join(src, 'server.ts'));
    expect([...http.values()].flat()).toEqual(expect.arrayContaining(['node:http', 'node:fs']));
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('answers calls (read, a 207 share, a revoke, a token grant) with Function and eval throwing', async () => {
    const compiled: string[] = [];
    const refuse = (what: string) =>
      function refused() {
        compiled.push(what);
        throw new EvalError(`Code generation from strings disallowed for this context (${what})`);
      };
    vi.resetModules();
    vi.stubGlobal('Function', refuse('Function'));
    vi.stubGlobal('eval', refuse('eval'));
    const { answer } = await import('../src/core.ts');
    const { SandboxState } = await import('../src/state.ts');
    const { CONFIG_DEFAULTS } = await import('../src/config.ts');
    const { demoSeed, DEMO_CREDENTIALS } = await import('../src/seed.ts');
    const state = new SandboxState(demoSeed({ records: 20 }), () => Date.parse('2026-12-01T00:00:00Z'));
    const deps = { state, config: () => CONFIG_DEFAULTS, now: () => Date.parse('2026-12-01T00:00:00Z'), random: () => 1, delay: async () => {}, origin: () => 'http://sandbox' };
    const authorization = `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}`;
    const at = (path: string) => `/crm/v8/Contacts/${path}/actions/share`;
    const entry = (id: string) => ({ shared_with: { type: 'users', id }, permission: 'read_only', type: 'private' });

    const read = await answer({ method: 'GET', url: `${at('4150868000001148212')}?view=summary&approved=both`, authorization, body: undefined }, deps);
    expect(read.status).toBe(200);
    const bad = await answer({ method: 'GET', url: `${at('4150868000001148212')}?view=bogus`, authorization, body: undefined }, deps);
    expect([bad.status, (bad.body as any).code]).toEqual([400, 'PATTERN_NOT_MATCHED']);
    const partial = await answer(
      { method: 'POST', url: at('4150868000001148221'), authorization, body: JSON.stringify({ share: [entry('4150868000000224006'), entry('9')] }) },
      deps,
    );
    expect([partial.status, (partial.body as any).share.map((x: any) => x.code)]).toEqual([207, ['SUCCESS', 'INVALID_DATA']]);
    expect((await answer({ method: 'DELETE', url: at('4150868000001148212'), authorization, body: undefined }, deps)).status).toBe(200);
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: DEMO_CREDENTIALS.clientId, client_secret: DEMO_CREDENTIALS.clientSecret, refresh_token: DEMO_CREDENTIALS.refreshToken });
    const token = await answer({ method: 'POST', url: '/oauth/v2/token', authorization: undefined, body: form.toString() }, deps);
    expect((token.body as any).access_token).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    expect(compiled).toEqual([]);
    // The stub is live: compiling code here does throw.
    expect(() => new Function('return 1')).toThrow(EvalError);
  });
});
