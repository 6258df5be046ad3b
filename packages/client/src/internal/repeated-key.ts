// JSON.parse keeps the last of two equal keys, so `{"status":"error","status":"success"}` would read
// as a success. An answer that says two things is no proof of either: this finds the first key that
// appears twice in one object, at any depth, in text that JSON.parse has already accepted (so every
// string ends and every bracket matches). One linear pass over the strings and brackets.

// A key (a string a colon follows), another string, or a bracket.
const TOKENS = /("(?:[^"\\]|\\.)*")\s*:|"(?:[^"\\]|\\.)*"|[[\]{}]/g;

/** The first key repeated within one object of `json` (escapes decoded: `"a"` and `"\u0061"` are equal), or undefined. */
export function repeatedKey(json: string): string | undefined {
  // The keys of each open object or array (no key reaches an array's).
  const open: Set<string>[] = [];
  for (const [token, quoted] of json.matchAll(TOKENS)) {
    if (quoted) {
      const keys = open.at(-1)!;
      const key = JSON.parse(quoted) as string;
      if (keys.has(key)) return key;
      keys.add(key);
    } else if (token === '{' || token === '[') open.push(new Set());
    else if (token === '}' || token === ']') open.pop();
  }
  return undefined;
}
