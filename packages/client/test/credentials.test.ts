// One rule for credentials from the environment: an access token, or the refresh-token trio; both
// (even partly) or part of the trio refused, naming the variables and never a value.
import { describe, expect, it } from 'vitest';
import { credentialsFromEnv, CREDENTIAL_VARIABLES, createZohoCrmClient, InvalidInputError } from '../src/index.ts';
import { renderings } from './helpers.ts';

const TOKEN = '1000.access-token-value-do-not-print';
const GRANT = { ZOHO_CLIENT_ID: '1000.client-id-value', ZOHO_CLIENT_SECRET: 'client-secret-value-do-not-print', ZOHO_REFRESH_TOKEN: '1000.refresh-token-value-do-not-print' };
const VALUES = [TOKEN, ...Object.values(GRANT)];

function refusal(env: Record<string, string | undefined>): InvalidInputError {
  try {
    credentialsFromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    // Never a value, in any rendering of the error.
    for (const text of renderings(err)) for (const v of VALUES) expect(text).not.toContain(v);
    return err as InvalidInputError;
  }
  throw new Error('credentialsFromEnv accepted it');
}

describe('credentialsFromEnv', () => {
  it('nothing set: undefined (the caller picks its fallback: a config file, the sandbox)', () => {
    expect(credentialsFromEnv({})).toBeUndefined();
    expect(credentialsFromEnv({ ZOHO_ACCESS_TOKEN: '', ZOHO_CLIENT_ID: '  ' })).toBeUndefined();
  });

  it('the access token alone', () => {
    expect(credentialsFromEnv({ ZOHO_ACCESS_TOKEN: TOKEN, OTHER: 'x' })).toEqual({ accessToken: TOKEN });
  });

  it('the trio alone, values trimmed (a trailing newline from a file)', () => {
    expect(credentialsFromEnv({ ...GRANT, ZOHO_REFRESH_TOKEN: `${GRANT.ZOHO_REFRESH_TOKEN}\n` })).toEqual({
      clientId: GRANT.ZOHO_CLIENT_ID,
      clientSecret: GRANT.ZOHO_CLIENT_SECRET,
      refreshToken: GRANT.ZOHO_REFRESH_TOKEN,
    });
  });

  it.each([
    ['all four', { ZOHO_ACCESS_TOKEN: TOKEN, ...GRANT }, 'ZOHO_ACCESS_TOKEN, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN are set'],
    ['the token and part of the trio', { ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_CLIENT_SECRET: GRANT.ZOHO_CLIENT_SECRET }, 'ZOHO_ACCESS_TOKEN and ZOHO_CLIENT_SECRET are set'],
  ])('both sets (%s): refused, naming what is set', (_l, env, named) => {
    const err = refusal(env);
    expect(err.field).toBe('ZOHO_ACCESS_TOKEN');
    expect(err.message).toContain(named);
    expect(err.message).toContain('set either ZOHO_ACCESS_TOKEN or ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN, not both');
  });

  it.each([
    ['one missing', { ZOHO_CLIENT_ID: GRANT.ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET: GRANT.ZOHO_CLIENT_SECRET }, 'ZOHO_REFRESH_TOKEN', 'ZOHO_REFRESH_TOKEN is not set'],
    ['two missing', { ZOHO_CLIENT_SECRET: GRANT.ZOHO_CLIENT_SECRET }, 'ZOHO_CLIENT_ID', 'ZOHO_CLIENT_ID and ZOHO_REFRESH_TOKEN are not set'],
    ['one set but empty', { ...GRANT, ZOHO_CLIENT_ID: ' ' }, 'ZOHO_CLIENT_ID', 'ZOHO_CLIENT_ID is not set'],
  ])('a partial trio (%s): refused, naming the missing ones', (_l, env, field, named) => {
    const err = refusal(env);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(new RegExp(`^${named}: the refresh-token grant needs ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN \\(or set ZOHO_ACCESS_TOKEN alone\\)$`));
  });

  it('the same rule over other names (e.g. the keys of a config file)', () => {
    const names = { accessToken: 'accessToken', clientId: 'clientId', clientSecret: 'clientSecret', refreshToken: 'refreshToken' };
    expect(() => credentialsFromEnv({ accessToken: TOKEN, refreshToken: 'r-token' }, names)).toThrow(/^accessToken and refreshToken are set: set either accessToken or clientId \+ clientSecret \+ refreshToken/);
    expect(credentialsFromEnv({ clientId: 'c', clientSecret: 's', refreshToken: 'r' }, names)).toEqual({ clientId: 'c', clientSecret: 's', refreshToken: 'r' });
  });

  it('reads process.env when given nothing', () => {
    const saved = { ...process.env };
    try {
      for (const v of Object.values(CREDENTIAL_VARIABLES)) delete process.env[v];
      process.env.ZOHO_ACCESS_TOKEN = TOKEN;
      expect(credentialsFromEnv()).toEqual({ accessToken: TOKEN });
    } finally {
      process.env = saved;
    }
  });

  it('what it returns is an auth value for createZohoCrmClient', () => {
    for (const env of [{ ZOHO_ACCESS_TOKEN: TOKEN }, GRANT]) expect(() => createZohoCrmClient({ auth: credentialsFromEnv(env)! })).not.toThrow();
  });
});
