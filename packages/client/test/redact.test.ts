// One redaction for the client, the CLI and the example server: every known secret, as sent,
// URL-encoded or JSON-escaped; codes that do not look like codes replaced; server text made printable.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createZohoCrmClient, REDACTED, redactSecrets, UNRECOGNISED_CODE } from '../src/index.ts';
import { createSecretSet, MAX_TOKENS, oauthError, printable, redactValue, zohoCode } from '../src/redact.ts';
import { json, scriptedFetch, SECRETS } from './helpers.ts';

describe('redactSecrets', () => {
  const secret = 'a+b/c"d e&f=g';
  it.each([
    ['as sent', secret],
    ['URL-encoded (path style)', encodeURIComponent(secret)],
    ['URL-encoded (form style, + for spaces)', new URLSearchParams({ s: secret }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
  ])('removes a secret %s', (_l, form) => {
    expect(redactSecrets(`before ${form} after ${form}`, [secret])).toBe(`before ${REDACTED} after ${REDACTED}`);
  });

  it.each([
    ['one character as \\u002e', '1000\\u002esecret-access-token.abcdef'],
    ['every character as \\uXXXX, upper-case hex', [...SECRETS.accessToken].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`).join('')],
    ['\\/ and \\u0022 in the client secret', 'client-secret+do\\/not\\u0022print'],
    ['URL-encoded with lower-case hex', '1000%2esecret-access-token%2eabcdef'],
    ['JSON-escaped and URL-encoded', '1000\\u00252Esecret-access-token.abcdef'],
  ])('removes a secret written %s', (_l, form) => {
    const text = `{"message":"x ${form} y"}`;
    expect(redactSecrets(text, [SECRETS.accessToken, SECRETS.clientSecret])).toBe(`{"message":"x ${REDACTED} y"}`);
  });

  it('removes a secret from every string and key of a parsed value, and returns a value without one as it is', () => {
    const redact = (t: string) => redactSecrets(t, [SECRETS.accessToken]);
    const parsed = JSON.parse(`{"a":["1000\\u002esecret-access-token.abcdef",{"1000.secret-access-token.abcdef":1}],"__proto__":"x"}`);
    const clean = redactValue(parsed, redact);
    expect(JSON.stringify(clean)).toBe(`{"a":["${REDACTED}",{"${REDACTED}":1}],"__proto__":"x"}`);
    const untouched = { a: ['b', { c: 1, d: null, e: true }] };
    expect(redactValue(untouched, redact)).toBe(untouched); // nothing to remove: the value itself
    expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
    expect(Object.keys(clean as object)).toEqual(['a', '__proto__']);
  });

  it('leaves strings under 4 characters and missing secrets alone', () => {
    expect(redactSecrets('abc abc', ['abc', undefined, ''])).toBe('abc abc');
  });

  it('a secret set keeps the credentials and the latest access tokens', () => {
    const set = createSecretSet([SECRETS.clientSecret, undefined, 42]);
    set.add('1000.token-one');
    set.add('1000.token-two');
    expect(set.redact(`${SECRETS.clientSecret} 1000.token-one 1000.token-two`)).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('keeps every token obtained up to its cap (10,000); past it the oldest token goes, never a credential', () => {
    expect(MAX_TOKENS).toBe(10_000);
    const set = createSecretSet([SECRETS.clientSecret, SECRETS.refreshToken], 50);
    const tokens = Array.from({ length: 51 }, (_, i) => `1000.token-${String(i).padStart(2, '0')}`);
    tokens.forEach((t) => set.add(t));
    set.add(tokens[50]); // again: nothing changes
    const text = [SECRETS.clientSecret, SECRETS.refreshToken, ...tokens].join(' ');
    expect(set.redact(text)).toBe([REDACTED, REDACTED, tokens[0], ...Array(50).fill(REDACTED)].join(' '));
  });

  it('finds each of 2,000 tokens in any escape form, and leaves other text alone', () => {
    const set = createSecretSet([]);
    const tokens = Array.from({ length: 2000 }, (_, i) => `1000.${i.toString(16).padStart(8, '0')}.abcdef`);
    tokens.forEach((t) => set.add(t));
    const early = tokens[3]!.replace('.', '\\u002E');
    const late = tokens[1999]!.replace('1', '%31');
    expect(set.redact(`a ${early} b ${late} c 1000.ffffffff.abcdef`)).toBe(`a ${REDACTED} b ${REDACTED} c 1000.ffffffff.abcdef`);
  });

  it("the client's redact() knows the tokens it obtained", async () => {
    const { fetch } = scriptedFetch(async (call) =>
      call.url.endsWith('/token')
        ? json(200, { access_token: '1000.minted.token', expires_in: 3600 })
        : json(200, { share: { code: 'SUCCESS', details: { id: '1' }, message: 'Sharing Revoked', status: 'success' } }),
    );
    const client = createZohoCrmClient({ auth: { clientId: 'id', clientSecret: SECRETS.clientSecret, refreshToken: SECRETS.refreshToken }, fetch });
    await client.revokeSharedRecord({ module: 'Contacts', recordId: '1' });
    const text = `${SECRETS.refreshToken} ${encodeURIComponent(SECRETS.clientSecret)} 1000.minted.token`;
    expect(client.redact(text)).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });
});

// The invariant behind the cases above, with generated secrets and generated spellings: each of the
// secret's characters written as itself or in any escape a server might use (JSON, JavaScript, URL,
// HTML; a space as `+` or `%20`; an escape itself escaped once more), between arbitrary text. The
// spelling that went in never comes out, nor the secret; the text around it does, unchanged.
describe('redactSecrets, for any secret and any spelling of it', () => {
  const hex = (n: number, width: number, upper: boolean) => {
    const h = n.toString(16).padStart(width, '0');
    return upper ? h.toUpperCase() : h;
  };
  type Spell = (c: string, upper: boolean) => string;
  const SPELLINGS: Spell[] = [
    (c) => c,
    (c, up) => `\\u${hex(c.charCodeAt(0), 4, up)}`,
    (c, up) => `\\u{${hex(c.charCodeAt(0), 1, up)}}`,
    (c, up) => `\\x${hex(c.charCodeAt(0), 2, up)}`,
    (c, up) => `%${hex(c.charCodeAt(0), 2, up)}`,
    (c) => `&#${c.charCodeAt(0)};`,
    (c, up) => `&#x${hex(c.charCodeAt(0), 1, up)};`,
    (c) => (c === ' ' ? '+' : c),
    // Escaped twice: the escape's backslash, percent or ampersand written as an escape in turn.
    (c, up) => `%5${up ? 'C' : 'c'}u${hex(c.charCodeAt(0), 4, up)}`,
    (c, up) => `\\u0025${hex(c.charCodeAt(0), 2, up)}`,
    (c) => `%26#${c.charCodeAt(0)};`,
  ];
  // Printable ASCII, spaces and `+` more often than their share (Zoho's tokens, client secrets and
  // refresh tokens are ASCII), but not the characters that start an escape (`\\`, `%`, `&`): written
  // as themselves beside an escape they are ambiguous (`%41` is three characters in JSON, `A` in a
  // URL), so a secret holding one is found as written in one scheme (the cases above), not in any mix.
  const char = fc.oneof(fc.constantFrom(' ', '+', '.', '/', '"', '#', ';', 'u', 'x'), fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n))).filter((c) => !'\\%&'.includes(c));
  const secret = fc.array(char, { minLength: 4, maxLength: 24 }).map((cs) => cs.join('')).filter((s) => s.trim().length >= 4);
  const spelled = secret.chain((s) =>
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: SPELLINGS.length - 1 }), fc.boolean()), { minLength: s.length, maxLength: s.length })
      .map((picks) => ({ secret: s, written: [...s].map((c, i) => SPELLINGS[picks[i]![0]]!(c, picks[i]![1])).join('') })),
  );
  // Text around the secret that cannot run into it (letters, digits, spaces, punctuation of JSON).
  const around = fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'Z', '0', '9', ' ', '{', '}', ':', ',', '"', '-') });
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  test.prop([spelled, around, around], { numRuns: 10_000, ...(seed !== undefined && { seed }) })(
    'removes exactly the spelling written, keeping the text around it (10,000 runs)',
    ({ secret, written }, before, after) => {
      const out = redactSecrets(`${before}<${written}>${after}`, [secret]);
      expect(out).toBe(`${before}<${REDACTED}>${after}`);
    },
  );
});

describe('codes from a server', () => {
  it.each([
    ['INVALID_TOKEN', 'INVALID_TOKEN'],
    ['A', 'A'],
    ['invalid_token', UNRECOGNISED_CODE],
    ['1000.secret-access-token', UNRECOGNISED_CODE],
    ['TOO_LONG_' + 'X'.repeat(60), UNRECOGNISED_CODE],
    ['BAD CODE', UNRECOGNISED_CODE],
    [42, UNRECOGNISED_CODE],
  ])('Zoho code %j -> %j', (raw, code) => expect(zohoCode(raw)).toBe(code));

  it.each([
    ['invalid_code', 'invalid_code'],
    ['INVALID', UNRECOGNISED_CODE],
    ['grant_type=refresh_token&client_secret=x', UNRECOGNISED_CODE],
  ])('OAuth error %j -> %j', (raw, code) => expect(oauthError(raw)).toBe(code));
});

describe('printable', () => {
  it('removes terminal escapes, control characters and bidi overrides, collapses whitespace, bounds the length', () => {
    expect(printable('a\x1b[2J\x1b]0;title\x07b\r\nc\u202Ed\u0000e', 100)).toBe('a [2J ]0;title b c d e');
    expect(printable('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}...`);
  });

  // printable() returns text it would not change as it is (one test instead of two replaces): for any
  // text, what it returns is what the rule gives, written here as the rule (not the code).
  const rule = (text: string, max: number) => {
    const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max)}...` : flat;
  };
  const unit = fc.oneof(fc.constantFrom(' ', '  ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', '\u202e', '\u200f', '\x1b', '\u0085', '\u3000'), fc.string({ minLength: 1, maxLength: 1 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  test.prop([fc.string({ unit, maxLength: 40 }), fc.integer({ min: 1, max: 50 })], { numRuns: 10_000, ...(seed !== undefined && { seed }) })(
    'gives what the rule gives, for any text and bound (10,000 runs)',
    (text, max) => {
      expect(printable(text, max)).toBe(rule(text, max));
    },
  );
});
