// One rule for credentials taken from the environment (or anything shaped like it), so that every
// app refuses the same ambiguous settings the same way, naming the variables and never a value.
import type { AuthOptions } from './auth.js';
import { InvalidInputError } from './errors.js';

/** The variables `credentialsFromEnv` reads, by the credential each holds. */
export const CREDENTIAL_VARIABLES = {
  accessToken: 'ZOHO_ACCESS_TOKEN',
  clientId: 'ZOHO_CLIENT_ID',
  clientSecret: 'ZOHO_CLIENT_SECRET',
  refreshToken: 'ZOHO_REFRESH_TOKEN',
} as const;

/** Either credential set `credentialsFromEnv` returns; both are `auth` values for `createZohoCrmClient`. */
export type Credentials = Extract<AuthOptions, { accessToken: string }> | { clientId: string; clientSecret: string; refreshToken: string };

const GRANT = ['clientId', 'clientSecret', 'refreshToken'] as const;
const and = (names: string[]) => names.join(names.length > 2 ? ', ' : ' and ').replace(/, (?=[^,]*$)/, ' and ');

/**
 * The credentials `env` holds: `ZOHO_ACCESS_TOKEN`, or `ZOHO_CLIENT_ID` + `ZOHO_CLIENT_SECRET` +
 * `ZOHO_REFRESH_TOKEN` (the refresh-token grant); undefined when none of them is set. A variable
 * that is empty or only whitespace counts as unset; values are trimmed. Both sets (even partly),
 * or part of the trio, is refused with an `InvalidInputError` naming the variables, never their
 * values. `names` renames the variables (e.g. the keys of a config file) for the same rule.
 */
export function credentialsFromEnv(
  env: Record<string, string | undefined> = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {},
  names: { readonly [K in keyof typeof CREDENTIAL_VARIABLES]: string } = CREDENTIAL_VARIABLES,
): Credentials | undefined {
  const value = (key: keyof typeof CREDENTIAL_VARIABLES) => {
    const v = env[names[key]];
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const accessToken = value('accessToken');
  const set = GRANT.filter((k) => value(k) !== undefined);
  const grantNames = and(GRANT.map((k) => names[k]));
  const either = `either ${names.accessToken} or ${GRANT.map((k) => names[k]).join(' + ')}, not both`;
  if (accessToken !== undefined && set.length) {
    const both = [names.accessToken, ...set.map((k) => names[k])];
    throw new InvalidInputError(names.accessToken, either, undefined, `${and(both)} are set: set ${either} (which token to send must not be a guess)`);
  }
  if (accessToken !== undefined) return { accessToken };
  if (!set.length) return undefined;
  const missing = GRANT.filter((k) => !set.includes(k)).map((k) => names[k]);
  if (missing.length) {
    throw new InvalidInputError(
      missing[0]!,
      `set too: the refresh-token grant needs ${grantNames}`,
      undefined,
      `${and(missing)} ${missing.length > 1 ? 'are' : 'is'} not set: the refresh-token grant needs ${grantNames} (or set ${names.accessToken} alone)`,
    );
  }
  return { clientId: value('clientId')!, clientSecret: value('clientSecret')!, refreshToken: value('refreshToken')! };
}
