// The redaction invariant, with generated inputs: a secret the client knows (the access token it
// obtained, the refresh token, the client secret), written in any JSON escape form (any subset of its
// characters as \uXXXX in upper, lower or mixed case hex, `\/`, `\"`, or as %XX or &#NN; inside the
// string), anywhere in a body (message, code, details, a key, nested, inside `share` or
// `sharing_rules[]`), whatever the status, never appears in any rendering of the error: message,
// String(), stack, JSON.stringify, util.inspect (cause chain included), nor in them rendered as HTML.
// On both transports. The seed is in each test's name (and fast-check's report); FC_SEED=<seed>
// replays one.
import { fc, test } from '@fast-check/vitest';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createZohoCrmClient } from '../src/index.ts';
import { createNodeFetch } from '../src/node.ts';
import { renderings, SECRETS } from './helpers.ts';

const RUNS = 10_000;
// 10,000 runs through the whole client take 15-30 s on a loaded machine: bounded, but not by the default 30 s.
const TIMEOUT_MS = 300_000;
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = { numRuns: RUNS, ...(seed !== undefined && { seed }) };
const ID = '4150868000001148212';
const MARK = '@@SECRET@@';
const ALL = [SECRETS.accessToken, SECRETS.clientSecret, SECRETS.refreshToken];

type Escape = 'literal' | 'lower' | 'upper' | 'mixed' | 'short' | 'url' | 'html';
/**
 * One character as JSON may write it: itself (where JSON allows), \uXXXX in some case, or its short
 * escape; or, inside the JSON string, as a URL's %XX or an HTML character reference (a server that
 * echoes a query or a page).
 */
function escapeChar(c: string, how: Escape): string {
  const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
  if (how === 'url' && c.charCodeAt(0) < 0x80) return `%${hex.slice(2).toUpperCase()}`;
  if (how === 'html') return `&#${c.charCodeAt(0)};`;
  const u = (h: string) => `\\u${h}`;
  if (how === 'lower') return u(hex);
  if (how === 'upper') return u(hex.toUpperCase());
  if (how === 'mixed') return u([...hex].map((h, i) => (i % 2 ? h.toUpperCase() : h)).join(''));
  if (how === 'short' && c === '/') return '\\/';
  return c === '"' || c === '\\' ? `\\${c}` : c; // these two must be escaped in a JSON string
}
const escaped = (secret: string) =>
  fc.array(fc.constantFrom<Escape>('literal', 'lower', 'upper', 'mixed', 'short', 'url', 'html'), { minLength: secret.length, maxLength: secret.length }).map((hows) => [...secret].map((c, i) => escapeChar(c, hows[i]!)).join(''));

/** Where in a body the secret goes (MARK stands for it). */
const PLACES: Record<string, (code: string) => unknown> = {
  message: (code) => ({ code, details: {}, message: MARK, status: 'error' }),
  code: () => ({ code: MARK, details: {}, message: 'invalid', status: 'error' }),
  detail: (code) => ({ code, details: { param_name: MARK }, message: 'invalid', status: 'error' }),
  key: (code) => ({ code, details: { [MARK]: 1 }, message: 'invalid', status: 'error' }),
  nested: (code) => ({ code, details: { a: [{ b: { c: MARK } }] }, message: 'invalid', status: 'error' }),
  share: (code) => ({ share: { code, details: { id: MARK }, message: MARK, status: 'error' } }),
  rules: (code) => ({ sharing_rules: [{ code, details: {}, message: MARK, status: 'error' }] }),
  extra: (code) => ({ code, details: {}, message: 'invalid', status: 'error', echo: { [MARK]: [MARK] } }),
  top: () => [MARK],
};
/** A JSON-string fragment of arbitrary text, as it would sit inside quotes. */
const fragment = fc.string({ maxLength: 12, unit: 'binary' }).map((s) => JSON.stringify(s).slice(1, -1));

const answers = fc
  .record({
    secret: fc.constantFrom(...ALL).chain((s) => escaped(s)),
    place: fc.constantFrom(...Object.keys(PLACES)),
    code: fc.constantFrom('INVALID_DATA', 'INVALID_TOKEN', 'INTERNAL_ERROR', 'NO_PERMISSION', 'CANNOT_PROCESS', 'INVALID_URL_PATTERN'),
    status: fc.constantFrom(200, 400, 401, 403, 404, 429, 500),
    before: fragment,
    after: fragment,
  })
  .map(({ secret, place, code, status, before, after }) => ({ status, body: JSON.stringify(PLACES[place]!(code)).split(MARK).join(before + secret + after) }));

/** Every form an independent reader would recognise a secret in. */
const FORMS = ALL.flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), JSON.stringify(JSON.stringify(s)).slice(1, -1)]);

function expectClean(err: unknown, body: string) {
  // The body was read and judged: an API error or an unexpected answer, not a failed token refresh.
  expect(['api', 'authentication', 'permission_denied', 'rate_limit', 'server', 'scheduler_busy', 'nothing_to_revoke', 'invalid_record_id', 'invalid_module', 'scope_mismatch', 'unexpected_response']).toContain((err as { kind?: string }).kind);
  const texts = [...renderings(err), (err as Error).message];
  for (let c = (err as Error).cause; c; c = (c as Error).cause) texts.push(...renderings(c));
  // A reader of a page or a log viewer that renders HTML sees its character references as characters.
  const rendered = (text: string) => text.replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)));
  for (const text of texts.flatMap((t) => [t, rendered(t)])) for (const form of FORMS) if (text.includes(form)) expect.fail(`a secret (${form}) in ${text}\nfrom the body ${body}`);
}

const token = () => new Response(JSON.stringify({ access_token: SECRETS.accessToken, expires_in: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } });
const clientOver = (fetch: typeof globalThis.fetch, baseUrl: string) =>
  createZohoCrmClient({ auth: { clientId: '1000.id', clientSecret: SECRETS.clientSecret, refreshToken: SECRETS.refreshToken }, baseUrl, tokenUrl: `${baseUrl}/oauth/token`, fetch, maxRetries: 0 });

describe('no secret in any rendering of the error, whatever JSON escape the server used', () => {
  test.prop([answers], params)('over a fetch', async ({ status, body }) => {
    const fetch = (async (url: string) => (String(url).endsWith('/oauth/token') ? token() : new Response(body, { status, headers: { 'content-type': 'application/json' } }))) as typeof globalThis.fetch;
    const err = await clientOver(fetch, 'http://zoho.test/crm/v8')
      .revokeSharedRecord({ module: 'Contacts', recordId: ID })
      .catch((e: unknown) => e);
    expectClean(err, body);
  }, TIMEOUT_MS);

  describe('over @zcrm-sharing/client/node', () => {
    let server: Server;
    let origin: string;
    let next = { status: 200, body: '' };
    const nodeFetch = createNodeFetch({ maxSockets: 4 });
    beforeAll(async () => {
      server = createServer((req, res) => {
        req.resume();
        const { status, body } = req.url!.endsWith('/oauth/token') ? { status: 200, body: JSON.stringify({ access_token: SECRETS.accessToken, expires_in: 3600 }) } : next;
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      nodeFetch.close();
      await new Promise((r) => server.close(r));
    });

    test.prop([answers], params)('the same', async (answer) => {
      next = answer;
      const err = await clientOver(nodeFetch, `${origin}/crm/v8`)
        .revokeSharedRecord({ module: 'Contacts', recordId: ID })
        .catch((e: unknown) => e);
        expectClean(err, answer.body);
    }, TIMEOUT_MS);
  });
});
