/** What a removed secret is replaced with. */
export const REDACTED = '[redacted]';

/** Replaces a server-supplied Zoho `code` or OAuth `error` that does not have the documented form. */
export const UNRECOGNISED_CODE = '[unrecognised code]';

// Shorter strings are not secrets and replacing them would mangle ordinary text.
const MIN_SECRET_LENGTH = 4;

// Text as it reads once its escapes are undone, with where each of its characters came from: a
// secret is looked for in that, so that `1000\u002etoken` or `1000%2Etoken` is found as `1000.token`.
interface View {
  text: string;
  /** from[k]: the index in the original text where character k begins; from[text.length]: the original's end. None: the original itself. */
  from?: number[];
}
const origin = (view: View, k: number) => (view.from ? view.from[k]! : k);

const JSON_SHORT: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const HEX4 = /^[0-9a-fA-F]{4}$/;
const PERCENT = /^(%[0-9a-fA-F]{2})+$/;

/** Undoes one kind of escape over `view`, keeping each character's origin. `step` reads one escape at `i`: its text and length, or undefined. */
function unescape(view: View, step: (s: string, i: number) => [string, number] | undefined): View {
  const s = view.text;
  let text = '';
  const from: number[] = [];
  for (let i = 0; i < s.length; ) {
    const [chars, length] = step(s, i) ?? [s[i]!, 1];
    text += chars;
    for (let j = 0; j < chars.length; j++) from.push(origin(view, i));
    i += length;
  }
  from.push(origin(view, s.length));
  return { text, from };
}

// JSON: \uXXXX (hex in either case), \" \\ \/ \b \f \n \r \t.
const jsonEscape = (s: string, i: number): [string, number] | undefined => {
  if (s[i] !== '\\') return undefined;
  const next = s[i + 1]!;
  if (next === 'u' && HEX4.test(s.slice(i + 2, i + 6))) return [String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16)), 6];
  return next in JSON_SHORT ? [JSON_SHORT[next]!, 2] : undefined;
};
// URL: one character's UTF-8 bytes as %XX (hex in either case).
const percentEscape = (s: string, i: number): [string, number] | undefined => {
  if (s[i] !== '%') return undefined;
  const lead = parseInt(s.slice(i + 1, i + 3), 16);
  const bytes = lead < 0x80 ? 1 : lead >= 0xc0 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf8 ? 4 : 0;
  const triplets = s.slice(i, i + 3 * bytes);
  if (!bytes || !PERCENT.test(triplets) || triplets.length !== 3 * bytes) return undefined;
  try {
    return [decodeURIComponent(triplets), triplets.length];
  } catch {
    return undefined; // not UTF-8
  }
};

/** The views of `text` a secret is looked for in: as it is, JSON-unescaped, and that URL-decoded. */
function viewsOf(text: string): View[] {
  const views: View[] = [{ text }];
  const json = text.includes('\\') ? unescape(views[0]!, jsonEscape) : views[0]!;
  if (json !== views[0]) views.push(json);
  if (json.text.includes('%')) views.push(unescape(json, percentEscape));
  return views;
}

/** What a secret is looked for as in each view: as sent, and with `+` for a space (form encoding). */
const formsOf = (secret: string) => (secret.includes(' ') ? [secret, secret.replace(/ /g, '+')] : [secret]);

// Past this many forms, they are found through an index of their first characters (one look-up per
// position of the text) rather than one search of the text per form.
const INDEXED_AFTER = 32;
const KEY = 8;

/** Secrets kept for search, and removed from any text given to `redact`. */
class SecretIndex {
  /** Each secret's forms, in the order added. */
  readonly forms = new Map<string, string[]>();
  /** Forms of at least KEY characters by their first KEY. */
  private readonly byKey = new Map<string, Set<string>>();
  private readonly short = new Set<string>();

  add(secret: unknown): boolean {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || this.forms.has(secret)) return false;
    const forms = formsOf(secret);
    this.forms.set(secret, forms);
    for (const f of forms) {
      if (f.length < KEY) this.short.add(f);
      else {
        const key = f.slice(0, KEY);
        const set = this.byKey.get(key) ?? new Set();
        this.byKey.set(key, set.add(f));
      }
    }
    return true;
  }

  delete(secret: string): void {
    for (const f of this.forms.get(secret) ?? []) {
      this.short.delete(f);
      const set = this.byKey.get(f.slice(0, KEY));
      if (set?.delete(f) && !set.size) this.byKey.delete(f.slice(0, KEY));
    }
    this.forms.delete(secret);
  }

  redact(text: string): string {
    if (!text || !this.forms.size) return text;
    // Spans of the original text to remove, found in each view and mapped back.
    const spans: [number, number][] = [];
    for (const view of viewsOf(text)) {
      const found = (k: number, length: number) => spans.push([origin(view, k), origin(view, k + length)]);
      const t = view.text;
      const each = (form: string) => {
        for (let k = t.indexOf(form); k !== -1; k = t.indexOf(form, k + 1)) found(k, form.length);
      };
      this.short.forEach(each);
      if (this.byKey.size <= INDEXED_AFTER) for (const set of this.byKey.values()) set.forEach(each);
      else {
        for (let k = 0; k + KEY <= t.length; k++) {
          const set = this.byKey.get(t.slice(k, k + KEY));
          if (set) for (const form of set) if (t.startsWith(form, k)) found(k, form.length);
        }
      }
    }
    return spans.length ? cut(text, spans) : text;
  }
}

/** `text` with each span (merged where they overlap) replaced by REDACTED. */
function cut(text: string, spans: [number, number][]): string {
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (let i = 0; i < spans.length; ) {
    let [start, end] = spans[i]!;
    for (i++; i < spans.length && spans[i]![0] < end; i++) end = Math.max(end, spans[i]![1]);
    out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Removes every occurrence of each secret from `text`, whatever its form: as sent, URL-encoded (path
 * or form style, hex in either case) and JSON-escaped (any of its characters as `\uXXXX` in either
 * case, `\/`, `\"`...). Secrets shorter than 4 characters are ignored. Use it on anything holding a
 * server's bytes.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  const index = new SecretIndex();
  for (const secret of secrets) index.add(secret);
  return index.redact(text);
}

/** `value` (parsed JSON) with every string in it, keys included, passed through `redact`; the same value when nothing changed. */
export function redactValue<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) {
    const items = value.map((v) => redactValue(v, redact));
    return (items.some((v, i) => v !== value[i]) ? items : value) as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = redact(key);
    const r = redactValue(v, redact);
    changed ||= k !== key || r !== v;
    // defineProperty: a key such as "__proto__" stays a plain key, as JSON.parse made it.
    Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
  }
  return (changed ? out : value) as T;
}

/** The secrets one client knows: its credentials, and every access token it obtained (up to MAX_TOKENS). */
export interface SecretSet {
  add(secret: string | undefined): void;
  redact(text: string): string;
}

/**
 * Tokens kept, at most. A refresh-token grant obtains at most 10 tokens per 10 minutes (Zoho's limit,
 * which the client keeps), 1,440 a day: 100,000 tokens (about 10 MB at Zoho's 70-odd characters,
 * with their forms) is more than 69 days of refreshing at that rate without a pause. Only a token
 * provider that hands out a new token per call reaches it sooner; past it the oldest tokens go first.
 */
export const MAX_TOKENS = 100_000;

export function createSecretSet(credentials: unknown[], maxTokens = MAX_TOKENS): SecretSet {
  const index = new SecretIndex();
  credentials.forEach((c) => index.add(c));
  const fixed = index.forms.size;
  const redact = (text: string) => index.redact(text);
  return {
    add(secret) {
      if (index.add(secret) && index.forms.size > fixed + maxTokens) index.delete([...index.forms.keys()][fixed]!);
    },
    redact,
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
