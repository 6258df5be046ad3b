// The line splitter under the input pass and the journal readers: whatever the chunking, the lines of
// a byte stream, each decoded whole, a line over the bound skipped (never held), byte offsets exact.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { readLines, type Line } from '../src/bulk/lines.ts';

async function* chunked(bytes: Buffer, cuts: number[]) {
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
    if (cut > at) yield bytes.subarray(at, cut);
    at = Math.max(at, cut);
  }
}

/** What the lines of `text` are, by definition. */
function model(text: string, max: number): Line[] {
  const out: Line[] = [];
  const parts = text.split('\n');
  let end = 0;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (last && part === '') return;
    const bytes = Buffer.byteLength(part);
    end += bytes + (last ? 0 : 1);
    const tooLong = bytes > max;
    out.push({ text: tooLong ? '' : part, tooLong, complete: !last, end });
  });
  return out;
}

const texts = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constant(''), fc.string({ minLength: 40, maxLength: 90 })), { maxLength: 40 }).map((ls) => ls.join('\n'));

test.prop([texts, fc.boolean(), fc.array(fc.nat(), { maxLength: 20 }), fc.integer({ min: 1, max: 64 })], { numRuns: 300 })(
  'every chunking gives the lines of the text, multi-byte characters split across chunks included',
  async (text, trailingNewline, cuts, max) => {
    const full = trailingNewline && text ? `${text}\n` : text;
    const lines: Line[] = [];
    for await (const line of readLines(chunked(Buffer.from(full), cuts), max)) lines.push(line);
    expect(lines).toEqual(model(full, max));
  },
);
