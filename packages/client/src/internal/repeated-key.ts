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
