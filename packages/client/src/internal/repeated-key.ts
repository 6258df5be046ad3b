// JSON.parse keeps the last of two equal keys, so `{"status":"error","status":"success"}` would read
// as a success. An answer that says two things is no proof of either: this finds the first key that
// appears twice in one object, at any depth, in text that JSON.parse has already accepted (so every
// string ends and every bracket matches). One pass over the characters, a Set per object.

/** The first key repeated within one object of `json` (escapes decoded: `"a"` and `"\u0061"` are equal), or undefined. */
export function repeatedKey(json: string): string | undefined {
  // The keys of each open object; undefined for an open array.
  const open: (Set<string> | undefined)[] = [];
  let key = false; // the next string is a key
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      let escaped = false;
      for (let d; (d = json.charCodeAt(++i)) !== 34; ) {
        if (d === 92 /* \ */) {
          i++;
          escaped = true;
        }
      }
      if (key) {
        // Only a key with an escape needs decoding (the common one is its characters as they are).
        const name = escaped ? (JSON.parse(json.slice(start, i + 1)) as string) : json.slice(start + 1, i);
        const keys = open[open.length - 1]!;
        if (keys.has(name)) return name;
        keys.add(name);
        key = false;
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) open.push((key = c === 123) ? new Set() : undefined);
    else if (c === 125 /* } */ || c === 93 /* ] */) open.pop();
    else if (c === 44 /* , */) key = !!open[open.length - 1];
  }
  return undefined;
}

/**
 * Whether `json` (text JSON.parse accepted) writes more keys than `parsed` (what it parsed to) holds:
 * JSON.parse keeps one of each repeated key, so the counts differ exactly when a key repeats. Counting
 * allocates nothing, so every answer pays for it; `repeatedKey`, which names the key (a Set per
 * object), runs only when they differ.
 */
export function repeatsAKey(json: string, parsed: unknown): boolean {
  // Every colon outside a string ends a key. Strings are skipped whole (a backslash escapes the next character).
  let written = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 34 /* " */) for (let d; (d = json.charCodeAt(++i)) !== 34; ) i += d === 92 /* \ */ ? 1 : 0;
    else if (c === 58 /* : */) written++;
  }
  return written !== keysIn(parsed);
}

/** The own keys of every object in a parsed JSON value. */
function keysIn(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) for (const item of value) n += keysIn(item);
  else for (const key in value) if (Object.hasOwn(value, key)) n += 1 + keysIn((value as Record<string, unknown>)[key]);
  return n;
}
