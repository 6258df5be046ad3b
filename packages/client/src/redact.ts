/** What a removed secret is replaced with. */
export const REDACTED = '[redacted]';

/** Replaces a server-supplied Zoho `code` or OAuth `error` that does not have the documented form. */
export const UNRECOGNISED_CODE = '[unrecognised code]';

// Shorter strings are not secrets and replacing them would mangle ordinary text.
const MIN_SECRET_LENGTH = 4;

/** The forms a secret takes when a server echoes it: as sent, URL-encoded (path or form style), JSON-escaped. */
const formsOf = (secret: string) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];

function removeForms(text: string, forms: string[]): string {
  for (const form of forms) if (text.includes(form)) text = text.split(form).join(REDACTED);
  return text;
}

/**
 * Removes every occurrence of each secret from `text`: as sent, URL-encoded (path or form style) and
 * JSON-escaped. Secrets shorter than 4 characters are ignored. Use it on anything holding a server's bytes.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  for (const secret of secrets) if (secret && secret.length >= MIN_SECRET_LENGTH) text = removeForms(text, formsOf(secret));
  return text;
}

/** The secrets one client knows: its credentials, and the last access tokens it obtained. */
export interface SecretSet {
  add(secret: string | undefined): void;
  redact(text: string): string;
}

// Access tokens rotate hourly; the last few are enough to catch an echo of one still in use.
const KEPT = 8;

export function createSecretSet(credentials: unknown[]): SecretSet {
  // Each secret's forms, worked out once (redact() runs on every answer); in the order added, credentials first.
  const forms = new Map<string, string[]>();
  const add = (secret: unknown) => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH && !forms.has(secret) && !!forms.set(secret, formsOf(secret));
  credentials.forEach(add);
  const fixed = forms.size;
  return {
    add(secret) {
      // The credentials stay; of the tokens obtained, the last KEPT do.
      if (add(secret) && forms.size > fixed + KEPT) forms.delete([...forms.keys()][fixed]!);
    },
    redact(text) {
      for (const f of forms.values()) text = removeForms(text, f);
      return text;
    },
  };
}

const ZOHO_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const OAUTH_ERROR = /^[a-z][a-z0-9_]{0,63}$/;

/** A Zoho status object's `code` as the server sent it when it has the documented form, else the placeholder. */
export const zohoCode = (raw: unknown): string => (typeof raw === 'string' && ZOHO_CODE.test(raw) ? raw : UNRECOGNISED_CODE);
/** Zoho Accounts' OAuth `error`, same rule with lower case. */
export const oauthError = (raw: unknown): string => (typeof raw === 'string' && OAUTH_ERROR.test(raw) ? raw : UNRECOGNISED_CODE);

/**
 * Server text made safe to print: control characters (terminal escapes included) and bidi
 * overrides become spaces, runs of whitespace collapse, and it is cut to `max` characters.
 */
export function printable(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
