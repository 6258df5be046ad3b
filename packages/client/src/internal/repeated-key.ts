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
    const c = json[i];
    if (c === '"') {
      const start = i;
      while (json[++i] !== '"') if (json[i] === '\\') i++;
      if (key) {
        const name = JSON.parse(json.slice(start, i + 1)) as string;
        const keys = open.at(-1)!;
        if (keys.has(name)) return name;
        keys.add(name);
        key = false;
      }
    } else if (c === '{' || c === '[') open.push((key = c === '{') ? new Set() : undefined);
    else if (c === '}' || c === ']') open.pop();
    else if (c === ',') key = !!open.at(-1);
  }
  return undefined;
}
