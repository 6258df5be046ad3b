// One redaction for the client, the CLI and the example server: every known secret, as sent,
// URL-encoded or JSON-escaped; codes that do not look like codes replaced; server text made printable.
import { describe, expect, it } from 'vitest';
import { createZohoCrmClient, REDACTED, redactSecrets, UNRECOGNISED_CODE } from '../src/index.ts';
import { createSecretSet, oauthError, printable, zohoCode } from '../src/redact.ts';
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

  it('leaves strings under 4 characters and missing secrets alone', () => {
    expect(redactSecrets('abc abc', ['abc', undefined, ''])).toBe('abc abc');
  });

  it('a secret set keeps the credentials and the latest access tokens', () => {
    const set = createSecretSet([SECRETS.clientSecret, undefined, 42]);
    set.add('1000.token-one');
    set.add('1000.token-two');
    expect(set.redact(`${SECRETS.clientSecret} 1000.token-one 1000.token-two`)).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('of the tokens obtained it keeps the last 8; the credentials always', () => {
    const set = createSecretSet([SECRETS.clientSecret, SECRETS.refreshToken]);
    const tokens = Array.from({ length: 10 }, (_, i) => `1000.token-${i}`);
    tokens.forEach((t) => set.add(t));
    set.add('1000.token-9'); // again: nothing changes
    const text = [SECRETS.clientSecret, SECRETS.refreshToken, ...tokens].join(' ');
    expect(set.redact(text)).toBe([REDACTED, REDACTED, '1000.token-0', '1000.token-1', ...Array(8).fill(REDACTED)].join(' '));
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
});
