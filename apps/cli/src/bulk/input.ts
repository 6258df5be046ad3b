// The one pass over a bulk job's input: every byte is hashed (the journal's header names the input by
// size and SHA-256), every line validated, duplicates dropped, and the valid ids written to a snapshot
// that the run then sends from. The input itself is never read again, so a file changed or truncated
// during a run cannot change what is sent.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { CANONICAL_ID, IdSet, idHalves } from './id-set.js';
import { readLines } from './lines.js';

/** Longest line read; a longer one is reported (file and line) and skipped, never buffered whole. */
export const MAX_LINE_BYTES = 1024;
/** Header names taken as the id column, compared without case (Zoho's exports say "Record Id"). */
export const ID_COLUMNS = ['id', 'record id', 'record_id', 'recordid'];

/** The input cannot be used at all (missing, a directory, a header without the id column): a usage error. */
export class InputError extends Error {}

export interface ScanOptions {
  /** How messages name the input: the path as given, or `<stdin>`. */
  label: string;
  /** `--id-column NAME`: the header must have it. */
  idColumn?: string | undefined;
  maxLineBytes?: number;
  /** Receives each valid id once, in input order. */
  onId(id: string): void;
  onInvalid(line: number, message: string): void;
  onDuplicate(line: number, id: string): void;
}

export interface ScanResult {
  /** Lines holding a record: not blank, not a `#` comment, not the CSV header. */
  lines: number;
  unique: number;
  invalid: number;
  duplicates: number;
  size: number;
  sha256: string;
  /** The CSV header's line and the id column's name, when there was one. */
  header?: { line: number; column: string };
}

/** Opens an input file for reading, or explains (as an InputError) why it cannot be. `-` is stdin. */
export function openInput(path: string, flag = '--ids-file'): Readable {
  if (path === '-') return process.stdin;
  let stats;
  try {
    stats = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${flag}: no such file: ${path}` : `${flag}: cannot read ${path} (${code})`);
  }
  if (stats.isDirectory()) throw new InputError(`${flag}: ${path} is a directory; expected a file of record ids`);
  try {
    closeSync(openSync(path, 'r'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${flag}: cannot read ${path} (${code === 'EACCES' ? 'permission denied' : code})`);
  }
  return createReadStream(path, { highWaterMark: 64 * 1024 });
}

export async function scanInput(input: AsyncIterable<Buffer | string>, o: ScanOptions): Promise<ScanResult> {
  const max = o.maxLineBytes ?? MAX_LINE_BYTES;
  const hash = createHash('sha256');
  const seen = new IdSet();
  const r: ScanResult = { lines: 0, unique: 0, invalid: 0, duplicates: 0, size: 0, sha256: '' };
  let n = 0;
  let column = -1; // the id column, once a header was seen
  let first = true; // the first content line decides whether there is a header

  const line = (raw: string, tooLong: boolean) => {
    n++;
    if (!tooLong && raw.length > max / 4 && Buffer.byteLength(raw) - (raw.endsWith('\r') ? 1 : 0) > max) tooLong = true;
    if (tooLong) {
      r.lines++;
      r.invalid++;
      o.onInvalid(n, `line is longer than ${max} bytes; expected one record id per line (not sent)`);
      return;
    }
    let text = raw;
    if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte order mark (Excel)
    text = text.trim();
    if (!text || text.startsWith('#')) return;
    const isFirst = first;
    first = false;
    const cells = isFirst || column >= 0 ? splitCsv(text) : undefined;
    if (isFirst) {
      const names = cells!.map((c) => c.toLowerCase());
      const wanted = o.idColumn?.trim().toLowerCase();
      const at = wanted !== undefined ? names.indexOf(wanted) : names.findIndex((c) => ID_COLUMNS.includes(c));
      if (at >= 0) {
        column = at;
        r.header = { line: n, column: cells![at]! };
        return;
      }
      if (o.idColumn !== undefined) {
        throw new InputError(`${o.label}:${n}: --id-column ${o.idColumn}: the header has no such column (it has ${cells!.map((c) => JSON.stringify(c)).join(', ')})`);
      }
      if (cells!.length > 1) {
        throw new InputError(`${o.label}:${n}: a CSV header without an id column; expected a column named ${ID_COLUMNS.map((c) => `"${c}"`).join(', ')} (any case), or --id-column NAME`);
      }
    }
    r.lines++;
    const value = column >= 0 ? cells![column] : unquote(text);
    if (value === undefined || value === '') {
      r.invalid++;
      o.onInvalid(n, `no value in the id column "${r.header!.column}" (not sent)`);
      return;
    }
    if (!CANONICAL_ID.test(value)) {
      r.invalid++;
      const why = /^0[0-9]*$/.test(value) && value.length <= 19
        ? "expected a record id without a leading zero (Zoho's ids have none)"
        : `expected a record id of 1-19 digits${isFirst ? ' (or a header naming the id column: id, record id, or --id-column NAME)' : ''}`;
      o.onInvalid(n, `${why}, got ${JSON.stringify(clip(value))} (not sent)`);
      return;
    }
    if (!seen.add(value)) {
      r.duplicates++;
      o.onDuplicate(n, value);
      return;
    }
    r.unique++;
    o.onId(value);
  };

  const onChunk = (buf: Buffer) => {
    hash.update(buf);
    r.size += buf.length;
  };
  // +1: a \r before the \n does not count against the bound.
  for await (const l of readLines(input, max + 1, onChunk)) line(l.text, l.tooLong);
  r.sha256 = hash.digest('hex');
  return r;
}

/** A CSV line's cells, trimmed and unquoted ("" inside quotes is a quote). */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') (cur += '"'), i++;
      else quoted = !quoted;
    } else if (ch === ',' && !quoted) (out.push(cur.trim()), (cur = ''));
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1').trim();
const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}...` : s);

/**
 * The validated ids of a run, 8 bytes each (their 64-bit form, little-endian), in input order. It
 * lives beside the journal (under the journal's lock) and is what the run sends from.
 */
export class SnapshotWriter {
  private fd: number;
  private buf = Buffer.alloc(64 * 1024);
  private used = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }
  write(id: string): void {
    if (this.used === this.buf.length) this.flush();
    const [lo, hi] = idHalves(id);
    this.buf.writeUInt32LE(lo!, this.used);
    this.buf.writeUInt32LE(hi!, this.used + 4);
    this.used += 8;
  }
  private flush(): void {
    for (let at = 0; at < this.used; ) at += writeSync(this.fd, this.buf, at, this.used - at);
    this.used = 0;
  }
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** The ids of a snapshot, in order. */
export function* readSnapshot(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    let carry = 0; // bytes of an id a short read split
    for (;;) {
      const got = readSync(fd, buf, carry, buf.length - carry, null);
      if (got === 0) {
        if (carry) throw new Error(`snapshot ${path}: ends inside an id`);
        return;
      }
      const end = carry + got;
      const whole = end - (end % 8);
      for (let at = 0; at < whole; at += 8) yield buf.readBigUInt64LE(at).toString();
      carry = end - whole;
      buf.copy(buf, 0, whole, end);
    }
  } finally {
    closeSync(fd);
  }
}
