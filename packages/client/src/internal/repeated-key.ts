// JSON.parse keeps the last of two equal keys, so `{"status":"error","status":"success"}` would read
// as a success. An answer that says two things is no proof of either: this finds the first key that
// appears twice in one object, at any depth, in text that JSON.parse has already accepted (so every
// string ends and every bracket matches). Most answers repeat nothing: the keys in the text are
// counted first and compared with the keys JSON.parse kept, one per key of each object (a repeat makes
// the text's count larger, since parsing keeps one of each); only when they differ is the text scanned
// again, a Set per object, to name the key.

/**
 * The first key repeated within one object of `json` (escapes decoded: `"a"` and `"\u0061"` are
 * equal), or undefined. `parsed` is `JSON.parse(json)`, unchanged (given when the caller has it).
 */
export function repeatedKey(json: string, parsed: unknown = JSON.parse(json)): string | undefined {
  // Fail safe: should the counts ever differ with no key found, the answer is still ambiguous.
  return keysInText(json) === keysIn(parsed) ? undefined : (firstRepeated(json) ?? '');
}

/** How many keys the objects of `v` have, at any depth. */
function keysIn(v: unknown): number {
  let n = 0;
  if (Array.isArray(v)) for (const item of v) n += keysIn(item);
  else if (typeof v === 'object' && v !== null) for (const key in v) if (Object.hasOwn(v, key)) n += 1 + keysIn((v as Record<string, unknown>)[key]);
  return n;
}

/** How many keys the text of a JSON value holds, at any depth (repeats included). */
function keysInText(json: string): number {
  const open: boolean[] = []; // each open bracket: an object?
  let key = false; // the next string is a key
  let n = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 34 /* " */) {
      while (json.charCodeAt(++i) !== 34) if (json.charCodeAt(i) === 92 /* \ */) i++;
      if (key) n++;
      key = false;
    } else if (c === 123 /* { */ || c === 91 /* [ */) open.push((key = c === 123));
    else if (c === 125 /* } */ || c === 93 /* ] */) open.pop();
    else if (c === 44 /* , */) key = open[open.length - 1]!;
  }
  return n;
}

function firstRepeated(json: string): string | undefined {
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
