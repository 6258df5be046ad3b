/** What a removed secret is replaced with. */
export const REDACTED = '[redacted]';

/** Replaces a server-supplied Zoho `code` or OAuth `error` that does not have the documented form. */
export const UNRECOGNISED_CODE = '[unrecognised code]';

// Shorter strings are not secrets and replacing them would mangle ordinary text.
const MIN_SECRET_LENGTH = 4;

// The escapes a server may write a secret's characters in, each undone by one pass: JSON's \uXXXX
// (hex in either case), \" \\ \/; JavaScript's \xHH, \u{H...} and \'; URL's %XX for ASCII (either
// case); HTML's &#DDD; and &#xHH; (the semicolon optional, as browsers read them).
const ESCAPE = /\\u([\da-fA-F]{4})|\\u\{([\da-fA-F]{1,6})\}|\\x([\da-fA-F]{2})|\\(["\\/'])|%([0-7][\da-fA-F])|&#[xX]([\da-fA-F]{1,6});?|&#(\d{1,7});?/g;
const ESCAPED = /[\\%&]/;
const undo = (m: string, u4?: string, braced?: string, x2?: string, short?: string, pct?: string, htmlHex?: string, htmlDec?: string): string => {
  if (short) return short;
  const code = htmlDec ? parseInt(htmlDec, 10) : parseInt((u4 ?? braced ?? x2 ?? pct ?? htmlHex)!, 16);
  return code > 0x10ffff ? m : String.fromCodePoint(code);
};
// A space may be written `+` (form encoding) and a `+` may stand for a space, in any mix: secrets
// holding either are also looked for with both read as a space (same length, so same positions).
const SPACES = /\+/g;
const spaced = (s: string) => s.replace(SPACES, ' ');

/**
 * What a secret is looked for as: as sent; a secret beyond ASCII also as encodeURIComponent and
 * URLSearchParams write it.
 */
const formsOf = (secret: string): string[] => [
  secret,
  ...(/[^\x00-\x7f]/.test(secret) ? [encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)] : []),
];

/**
 * `text` with each occurrence of any of `forms` replaced by REDACTED, found in the text as it is and
 * with its escapes undone up to three times (a JSON-escaped %XX...), so that `1000\u002etoken`,
 * `1000%2Etoken` or `1000&#46;token` is found as `1000.token`, and removed from the original.
 * `spacedForms`: the forms holding a space or `+`, with both as a space, looked for in each view read the same way.
 */
function redactForms(text: string, forms: string[], spacedForms: string[]): string {
  // The common answer (no secret in it, no escape to undo) costs one search per form and one test.
  const has = (view: string, list: string[]) => list.some((form) => view.includes(form));
  if (!forms.length || (!has(text, forms) && !ESCAPED.test(text) && !(spacedForms.length && has(spaced(text), spacedForms)))) return text;
  // Spans of the original text to remove, found in each view and mapped back: `from[k]` is where the
  // view's k-th character (k = its length: its end) was in the original; none: the view is the original.
  const spans: number[][] = [];
  let view = text;
  let from: number[] | undefined;
  const origin = (k: number) => (from ? from[k]! : k);
  const find = (seen: string, list: string[]) => {
    for (const form of list) for (let k = seen.indexOf(form); k !== -1; k = seen.indexOf(form, k + 1)) spans.push([origin(k), origin(k + form.length)]);
  };
  for (let i = 0; ; i++) {
    find(view, forms);
    if (spacedForms.length) find(spaced(view), spacedForms);
    if (i === 3 || !ESCAPED.test(view)) break;
    // One pass undoes every escape of this view, each character noting where it came from.
    const next: number[] = [];
    let at = 0;
    const end = view.length;
    view = view.replace(ESCAPE, (m: string, ...groups: unknown[]) => {
      const k = groups[7] as number;
      while (at <= k) next.push(origin(at++));
      at = k + m.length;
      return undo(m, ...(groups.slice(0, 7) as (string | undefined)[]));
    });
    while (at <= end) next.push(origin(at++));
    from = next;
  }
  if (!spans.length) return text;
  let out = '';
  let at = 0;
  // In order; overlapping spans make one.
  for (const [start, end] of spans.sort((a, b) => a[0]! - b[0]!)) {
    if (start! >= at) out += text.slice(at, start) + REDACTED;
    at = Math.max(at, end!);
  }
  return out + text.slice(at);
}

/**
 * Removes every occurrence of each secret from `text`, whatever its form: as sent, URL-encoded (path
 * or form style, hex in either case, a space as `+` or `%20` in any mix), JSON-escaped (any of its
 * characters as `\uXXXX` in either case, `\/`, `\"`...), JavaScript-escaped (`\xHH`, `\u{H}`) or as
 * HTML character references (`&#46;`, `&#x2e;`), escapes nested up to three deep. Secrets shorter
 * than 4 characters are ignored. Use it on anything holding a server's bytes.
 */
export const redactSecrets = (text: string, secrets: Iterable<string | undefined>): string => createSecretSet([...secrets]).redact(text);

/**
 * `value` (parsed JSON) with every string in it, keys included, passed through `redact`; `value` itself
 * when its JSON holds no secret (one search instead of one per string, on every answer).
 */
export const redactValue = (value: unknown, redact: (text: string) => string): unknown => {
  const json = JSON.stringify(value);
  return redact(json) === json ? value : redactEach(value, redact);
};

const redactEach = (value: unknown, redact: (text: string) => string): unknown =>
  typeof value === 'string'
    ? redact(value)
    : typeof value !== 'object' || value === null
      ? value
      : Array.isArray(value)
        ? value.map((v) => redactEach(v, redact))
        : // fromEntries defines each key, "__proto__" included, as JSON.parse did.
          Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactEach(v, redact)]));

/** The secrets one client knows: its credentials, and every access token it obtained (up to MAX_TOKENS). */
export interface SecretSet {
  add(secret: string | undefined): void;
  redact(text: string): string;
}

/**
 * Tokens kept, at most: about 1.2 MB (some 120 bytes each, a Zoho token and its entry). A refresh-token
 * grant obtains one an hour in a steady run (10,000: more than a year) and at most 10 per 10 minutes
 * (Zoho's limit, which the client keeps: 10,000 is a week of refreshing at that rate without a pause).
 * Past it the oldest token goes first.
 */
export const MAX_TOKENS = 10_000;

export function createSecretSet(credentials: unknown[], maxTokens = MAX_TOKENS): SecretSet {
  // Each secret's forms, worked out once (redact() runs on every answer): the credentials' first, then
  // the tokens' in the order obtained (past the cap the oldest token, the first key after the credentials, goes).
  const forms = new Map<string, string[]>();
  // All of them, as redact() uses them: made again only after a secret is added.
  let all: string[] | undefined;
  let withSpaces: string[] | undefined;
  const add = (secret: unknown) => {
    if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH && !forms.has(secret)) {
      forms.set(secret, formsOf(secret));
      all = undefined;
    }
  };
  credentials.forEach(add);
  const fixed = forms.size;
  return {
    add(secret) {
      add(secret);
      if (forms.size > fixed + maxTokens) {
        const keys = forms.keys();
        for (let i = 0; i < fixed; i++) keys.next();
        forms.delete(keys.next().value!);
      }
    },
    redact: (text) => {
      if (!all) {
        all = [...forms.values()].flat();
        withSpaces = all.filter((form) => /[ +]/.test(form)).map(spaced);
      }
      return redactForms(text, all, withSpaces!);
    },
  };
}

// Control characters (terminal escapes included) and bidi overrides: printable() makes them spaces.
const UNPRINTABLE = '[\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]';
const UNPRINTABLE_RUNS = new RegExp(`${UNPRINTABLE}+`, 'g');
// What printable() would change: one of those, whitespace other than one space, a space at either end or beside another.
const UNFIT = new RegExp(`${UNPRINTABLE}|[^\\S ]|^ | $|  `);
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
  if (text.length <= max && !UNFIT.test(text)) return text;
  const flat = text.replace(UNPRINTABLE_RUNS, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
