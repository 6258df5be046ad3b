import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** A Zoho record id: 1-19 digits, kept as a string. */
export const RECORD_ID = /^[0-9]{1,19}$/;
const ID_COLUMNS = ['id', 'record_id', 'recordid', 'record id'];

export type IdLine = { line: number; id: string } | { line: number; error: string; text: string };

/**
 * Streams record ids from a file (or stdin as `-`): one per line, blank lines and `#` comments
 * skipped. A first line with a comma is a CSV header: the column named id / record_id is used.
 * Ids stay strings; a line that is not 1-19 digits is reported with its line number.
 */
export async function* readIds(input: Readable): AsyncGenerator<IdLine> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let column = -1; // CSV column of the id, once a header was seen
  let first = true; // the first content line decides whether the input is CSV
  for await (const raw of lines) {
    n++;
    const text = raw.trim();
    if (!text || text.startsWith('#')) continue;
    let value = text;
    const isFirst = first;
    first = false;
    if (isFirst && text.includes(',')) {
      const header = splitCsv(text).map((h) => h.trim().toLowerCase());
      column = header.findIndex((h) => ID_COLUMNS.includes(h));
      if (column === -1) {
        yield { line: n, error: `CSV header has no id column (expected one named ${ID_COLUMNS.join(', ')})`, text: clip(text) };
        return;
      }
      continue;
    }
    if (column >= 0) value = (splitCsv(text)[column] ?? '').trim();
    value = value.replace(/^"(.*)"$/, '$1');
    if (RECORD_ID.test(value)) yield { line: n, id: value };
    else yield { line: n, error: 'expected a record id of 1-19 digits', text: clip(value) };
  }
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) (out.push(cur), (cur = ''));
    else cur += ch;
  }
  out.push(cur);
  return out;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}...` : s);

export function openIds(path: string): Readable {
  return path === '-' ? process.stdin : createReadStream(path);
}
