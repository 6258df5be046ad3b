// What a caller's headers become on the wire, for any headers (generated): a header HTTP can carry as
// given reaches the server once, under its name in lower case, with its value, the per-call one over
// the client's; the client's own (`Authorization`, `Accept`) always win, whatever case the caller
// wrote them in. A header the client cannot send as given (a name that is not an HTTP token, a value
// with CR, LF, NUL, another control character or one past Latin-1, or one the transport owns: Host,
// Content-Length, Connection...) is refused with
// InvalidInputError naming it, before anything is sent. Over the global fetch and
// @zcrm-sharing/client/node, against a local server that records the header lines it received.
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createZohoCrmClient, InvalidInputError } from '../src/index.ts';
import { createNodeFetch } from '../src/node.ts';
import { localServers } from './helpers.ts';

const ID = '4150868000001148212';
const REVOKED = JSON.stringify({ share: { code: 'SUCCESS', details: { id: ID }, message: 'Sharing Revoked', status: 'success' } });
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = { numRuns: 300, ...(seed !== undefined && { seed }) };

const { listen, closeAll } = localServers();
let url = '';
let received: string[][] = [];
const nodeFetch = createNodeFetch();
beforeAll(async () => {
  url = await listen((req, res) => {
    received.push(req.rawHeaders);
    res.writeHead(200, { 'content-type': 'application/json' }).end(REVOKED);
  });
});
afterAll(() => {
  nodeFetch.close();
  closeAll();
});

/** A name in any case: the client's own, an ordinary one, or one of the transport's. */
const anyCase = (name: string) => fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((up) => [...name].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));
const TOKEN_CHARS = "abcxyzABCXYZ0189!#$%&'*+-.^_`|~".split('');
const goodName = fc.oneof(
  fc.constantFrom('authorization', 'accept', 'prefer', 'x-trace', 'x-request-id', 'user-agent').chain(anyCase),
  fc.array(fc.constantFrom(...TOKEN_CHARS), { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')),
).filter((n) => !/^(host|content-length|transfer-encoding|connection|keep-alive|upgrade|te|trailer|expect|proxy-.*)$/i.test(n));
// Values a header line can carry: visible ASCII, Latin-1, and inner spaces and tabs (HTTP trims the ends).
const goodValue = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '\t', '"', ';', '=', ',', '/', '~', 'é', '\xff'), maxLength: 20 }).map((v) => v.trim());
const goodHeaders = fc.dictionary(goodName, goodValue, { maxKeys: 5 });

const transports = [
  ['the global fetch', undefined],
  ['@zcrm-sharing/client/node', nodeFetch],
] as const;

describe.each(transports)('over %s', (_, fetch) => {
  test.prop([goodHeaders, goodHeaders], params)('headers it can send arrive once each, lower-cased, the per-call ones over the client\'s, its own always winning', async (clientHeaders, callHeaders) => {
    received = [];
    const client = createZohoCrmClient({ auth: { accessToken: 'mine-1234' }, baseUrl: `${url}/crm/v8`, maxRetries: 0, headers: clientHeaders, ...(fetch && { fetch }) });
    await client.revokeSharedRecord({ module: 'Contacts', recordId: ID }, { headers: callHeaders });
    expect(received).toHaveLength(1);
    const got = new Map<string, string[]>();
    const raw = received[0]!;
    for (let i = 0; i < raw.length; i += 2) got.set(raw[i]!.toLowerCase(), [...(got.get(raw[i]!.toLowerCase()) ?? []), raw[i + 1]!]);
    // What the rule says was sent: the client's, then the call's, by lower-case name; the client's own last.
    const expected = new Map<string, string>();
    for (const h of [clientHeaders, callHeaders]) for (const [name, value] of Object.entries(h)) expected.set(name.toLowerCase(), value);
    expected.set('authorization', 'Zoho-oauthtoken mine-1234');
    expected.set('accept', 'application/json');
    for (const [name, value] of expected) expect(got.get(name), name).toEqual([value]);
  });

  const badHeader = fc.oneof(
    fc.record({ name: fc.constantFrom('Host', 'content-length', 'Transfer-Encoding', 'CONNECTION', 'keep-alive', 'Upgrade', 'TE', 'trailer', 'Expect', 'Proxy-Authorization'), value: goodValue }),
    fc.record({ name: fc.tuple(goodName, fc.constantFrom(' ', ':', '(', '"', '\r', '\n', 'é', '\0', '@')).map(([n, c]) => n + c), value: goodValue }),
    fc.record({ name: goodName, value: fc.tuple(goodValue, fc.constantFrom('\r', '\n', '\r\n', '\0', '\x1b', '\x7f', '\u0100', '😀'), goodValue).map(([a, c, b]) => a + c + b) }),
  );
  test.prop([badHeader, fc.boolean()], params)('a header it cannot send as given is refused, naming it, before anything is sent', async ({ name, value }, perCall) => {
    received = [];
    const bad = { 'x-fine': 'yes', [name]: value };
    const make = () => createZohoCrmClient({ auth: { accessToken: 'mine-1234' }, baseUrl: `${url}/crm/v8`, maxRetries: 0, ...(perCall ? {} : { headers: bad }), ...(fetch && { fetch }) });
    const err = await (async () => make().revokeSharedRecord({ module: 'Contacts', recordId: ID }, perCall ? { headers: bad } : {}))().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).field).toBe(`headers[${JSON.stringify(name)}]`);
    expect(received).toEqual([]);
  });
});
