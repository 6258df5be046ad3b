// The one pass over a bulk job's input: every byte is hashed (the journal's header names the input by
// size and SHA-256), every line validated, duplicates dropped, and the valid ids written to a snapshot
// that the run then sends from. The input itself is never read again, so a file changed or truncated
// during a run cannot change what is sent.
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstatSync, open as openCallback, openSync, readSync, statSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createExclusive } from '../files.js';
import { CsvError, csvRecords } from './csv-records.js';
import { CANONICAL_ID, IdSet, idHalves } from './id-set.js';
import { detectDelimiter, expectedIdColumns, findIdColumn, splitHeader, stripZcrm } from './id-column.js';
import { readLines } from './lines.js';
import { asUtf8 } from './text-encoding.js';

// An id a spreadsheet rewrote as a number: 4.15087E+18, 4,15087E+18 (a decimal comma), 4.150868E18.
const SPREADSHEET_NUMBER = /^[0-9]+([.,][0-9]+)?E\+?[0-9]+$/i;

/** Longest line of a file of ids; a longer one is reported (file and line) and skipped, never buffered whole. */
export const MAX_LINE_BYTES = 1024;
/** Longest record of a CSV (an export's descriptions and addresses fit); a longer one ends the read. */
export const MAX_RECORD_BYTES = 64 * 1024;

/** The input cannot be used at all (missing, a directory, a header without the id column): a usage error. */
export class InputError extends Error {}

export interface ScanOptions {
  /** How messages name the input: the path as given, or `<stdin>`. */
  label: string;
  /** `--id-column NAME`: the header must have it. */
  idColumn?: string | undefined;
  /** The module: older exports name the id column after it (CONTACTID). */
  module?: string | undefined;
  maxLineBytes?: number;
  maxRecordBytes?: number;
  /** Receives each valid id once, in input order, with the line its record starts on. */
  onId(id: string, line: number): void;
  onInvalid(line: number, message: string): void;
  onDuplicate(line: number, id: string): void;
}

export interface ScanResult {
  /** Records holding an id: lines that are not blank, not a `#` comment, not the header. */
  lines: number;
  unique: number;
  invalid: number;
  duplicates: number;
  size: number;
  sha256: string;
  /** The CSV header's line and the id column's name, when there was one. */
  header?: { line: number; column: string };
}

const openFd = promisify(openCallback);
const UNBLOCK_TRIES = 3000;
const UNBLOCK_EVERY_MS = 10;

/**
 * Opens an input once, or explains (as an InputError) why it cannot be. `-` is stdin. A named pipe is
 * read through a socket handle, so a read waiting on a stalled writer ends when `signal` aborts; its
 * open, which waits for a writer, is completed on abort by opening the pipe's other end.
 */
export async function openInput(path: string, signal: AbortSignal, flag = '--ids-file'): Promise<Readable> {
  if (path === '-') return process.stdin;
  if (signal.aborted) throw signal.reason;
  // On abort, be the writer the open waits for. Until the open has reached the kernel (it runs on a
  // worker thread, late on a loaded machine) there is no reader for a non-blocking writer to meet
  // (ENXIO), so try again until the open returns: at most UNBLOCK_TRIES, UNBLOCK_EVERY_MS apart.
  let opened = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const unblock = (tries: number) => {
    if (opened) return;
    try {
      if (statSync(path).isFIFO()) closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENXIO' && tries < UNBLOCK_TRIES) retry = setTimeout(unblock, UNBLOCK_EVERY_MS, tries + 1);
    }
  };
  const onAbort = () => unblock(1);
  signal.addEventListener('abort', onAbort, { once: true });
  let fd: number;
  try {
    fd = await openFd(path, constants.O_RDONLY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${flag}: no such file: ${path}` : `${flag}: cannot read ${path} (${code === 'EACCES' ? 'permission denied' : code})`);
  } finally {
    opened = true;
    clearTimeout(retry);
    signal.removeEventListener('abort', onAbort);
  }
  const stats = fstatSync(fd);
  if (signal.aborted || stats.isDirectory()) {
    closeSync(fd);
    if (signal.aborted) throw signal.reason;
    throw new InputError(`${flag}: ${path} is a directory; expected a file of record ids`);
  }
  if (stats.isFIFO() || stats.isSocket()) return new Socket({ fd, readable: true, writable: false });
  return createReadStream(path, { fd, highWaterMark: 64 * 1024 });
}

/** The input, each byte counted into the hash and size as it goes by. */
async function* hashed(input: AsyncIterable<Buffer | string>, r: ScanResult, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(buf);
    r.size += buf.length;
    yield buf;
  }
}

/** The first line holding something (not blank, not a comment), read ahead; its number; and the chunks read. */
async function peekFirstLine(input: AsyncIterator<Buffer>, max: number): Promise<{ text: string | undefined; line: number; head: Buffer[] }> {
  const head: Buffer[] = [];
  let bytes = 0;
  for (;;) {
    const all = Buffer.concat(head);
    let start = all[0] === 0xef && all[1] === 0xbb && all[2] === 0xbf ? 3 : 0;
    for (let n = 1; ; n++) {
      const nl = all.indexOf(10, start);
      if (nl === -1) break;
      const text = all.toString('utf8', start, nl).trim();
      if (text && !text.startsWith('#')) return { text, line: n, head };
      start = nl + 1;
    }
    const next = bytes > max ? { done: true as const, value: undefined } : await input.next();
    if (next.done) {
      const rest = all.toString('utf8', start).trim();
      const line = all.subarray(0, start).reduce((n, b) => n + (b === 10 ? 1 : 0), 1);
      return { text: rest && !rest.startsWith('#') && bytes <= max ? rest : undefined, line, head };
    }
    head.push(next.value);
    bytes += next.value.length;
  }
}

async function* chain(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (let n = await rest.next(); !n.done; n = await rest.next()) yield n.value;
}

/**
 * The one pass over the input: a file of ids, one a line (a header naming the id column allowed), or
 * a CSV whose header names it (Zoho's export). Which one is decided by the first line holding
 * something: a header with more than one column is a CSV.
 */
export async function scanInput(input: AsyncIterable<Buffer | string>, o: ScanOptions): Promise<ScanResult> {
  const hash = createHash('sha256');
  const r: ScanResult = { lines: 0, unique: 0, invalid: 0, duplicates: 0, size: 0, sha256: '' };
  // Hashed as the bytes are (the journal names the file), read as UTF-8 text.
  const source = asUtf8(hashed(input, r, hash)[Symbol.asyncIterator](), (why) => new InputError(`${o.label}: ${why}`))[Symbol.asyncIterator]();
  const maxRecord = o.maxRecordBytes ?? MAX_RECORD_BYTES;
  const first = await peekFirstLine(source, maxRecord);
  const delimiter = first.text === undefined ? ',' : detectDelimiter(first.text);
  const headers = first.text === undefined ? [] : splitHeader(first.text, delimiter);
  const column = findIdColumn(headers, o.module, o.idColumn);
  const listed = () => headers.map((c) => JSON.stringify(c)).join(', ');
  if (column >= 0) r.header = { line: first.line, column: headers[column]! };
  else if (o.idColumn !== undefined && first.text !== undefined) {
    throw new InputError(`${o.label}:${first.line}: --id-column ${o.idColumn}: the header has no such column (it has ${listed()})`);
  } else if (headers.length > 1) {
    throw new InputError(`${o.label}:${first.line}: a CSV header without an id column (it has ${listed()}); expected a column named ${expectedIdColumns(o.module)}`);
  }
  const seen = new IdSet();
  const take = (line: number, raw: string | undefined, where: string) => {
    r.lines++;
    const value = raw === undefined ? '' : stripZcrm(raw.trim());
    if (value === '') {
      r.invalid++;
      o.onInvalid(line, `no value in the id column "${r.header!.column}" (not sent)`);
      return;
    }
    if (!CANONICAL_ID.test(value)) {
      r.invalid++;
      const why = /^0[0-9]*$/.test(value) && value.length <= 19
        ? "expected a record id without a leading zero (Zoho's ids have none)"
        : SPREADSHEET_NUMBER.test(value)
          ? 'expected a record id of 1-19 digits: a spreadsheet turned this one into a number and lost its last digits (Excel does so with 19-digit ids); export it again from Zoho and use the file as exported, or keep the zcrm_ prefix Zoho puts on ids in the export'
          : `expected a record id of 1-19 digits${!r.header && line === first.line ? ' (or a header naming the id column: id, record id, or --id-column NAME)' : ''}`;
      o.onInvalid(line, `${why}, got ${JSON.stringify(clip(value))}${where} (not sent)`);
      return;
    }
    if (!seen.add(value)) {
      r.duplicates++;
      o.onDuplicate(line, value);
      return;
    }
    r.unique++;
    o.onId(value, line);
  };

  const rest = chain(first.head, source);
  if (headers.length > 1) {
    // A CSV: RFC 4180 records, the header's delimiter.
    const where = ` in column "${r.header!.column}"`;
    try {
      for await (const rec of csvRecords(rest, { delimiter, maxRecordBytes: maxRecord })) {
        if (rec.line <= first.line) continue; // the header
        if (rec.cells.every((c) => c.trim() === '')) continue; // a line of delimiters only
        take(rec.line, rec.cells[column], where);
      }
    } catch (e) {
      if (e instanceof CsvError) throw new InputError(`${o.label}:${e.line}: ${e.reason}`);
      throw e;
    }
  } else {
    // One id a line, as before CSV: a long line is skipped and reported, not the end of the read.
    const max = o.maxLineBytes ?? MAX_LINE_BYTES;
    let n = 0;
    // +1: a \r before the \n does not count against the bound.
    for await (const l of readLines(rest, max + 1)) {
      n++;
      let tooLong = l.tooLong;
      if (!tooLong && l.text.length > max / 4 && Buffer.byteLength(l.text) - (l.text.endsWith('\r') ? 1 : 0) > max) tooLong = true;
      if (tooLong) {
        r.lines++;
        r.invalid++;
        o.onInvalid(n, `line is longer than ${max} bytes; expected one record id per line (not sent)`);
        continue;
      }
      let text = l.text;
      if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte order mark (Excel)
      text = text.trim();
      if (!text || text.startsWith('#') || n === r.header?.line) continue;
      take(n, unquote(text), '');
    }
  }
  r.sha256 = hash.digest('hex');
  return r;
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
    // Under the journal's lock: a snapshot a crashed run left is ours to replace; a link is refused.
    this.fd = createExclusive(path, { replace: true });
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
