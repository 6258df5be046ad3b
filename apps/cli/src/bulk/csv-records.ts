// The records of a CSV (RFC 4180, through csv-parse, streaming): quoted fields holding delimiters,
// quotes and line breaks; a byte order mark; CRLF or LF. Each record comes with the line it starts
// on, counted here from the bytes (csv-parse's own count takes a CRLF inside quotes for two lines).
// A record is bounded: one longer than `maxRecordBytes` (a quote left open swallows the file) ends
// the read with an error naming the line it started on, never buffering more than the bound.
import { parse } from 'csv-parse';

export interface CsvRecord {
  cells: string[];
  /** The line the record starts on (1-based). */
  line: number;
}

/** The file cannot be read as CSV from `line` on. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The chunks fed to the parser that a record has not yet been read past: to count the line breaks in them. */
class LineCounter {
  private chunks: { start: number; buf: Buffer }[] = [];
  private fed = 0;
  /** Bytes and line breaks before `at`. */
  private at = 0;
  private breaks = 0;
  push(buf: Buffer): void {
    this.chunks.push({ start: this.fed, buf });
    this.fed += buf.length;
  }
  /** Line breaks in the bytes before `end` (at or after the last `end` asked for). */
  breaksBefore(end: number): number {
    while (this.at < end && this.chunks.length) {
      const c = this.chunks[0]!;
      const to = Math.min(end, c.start + c.buf.length) - c.start;
      for (let i = c.buf.indexOf(10, this.at - c.start); i !== -1 && i < to; i = c.buf.indexOf(10, i + 1)) this.breaks++;
      this.at = c.start + to;
      if (to === c.buf.length) this.chunks.shift();
    }
    return this.breaks;
  }
  /** The byte just before `end`, if still held. */
  endsWithBreak(end: number): boolean {
    for (const c of this.chunks) if (end - 1 >= c.start && end - 1 < c.start + c.buf.length) return c.buf[end - 1 - c.start] === 10;
    return false;
  }
}

const countBreaks = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

export async function* csvRecords(input: AsyncIterable<Buffer>, o: { delimiter: string; maxRecordBytes: number }): AsyncGenerator<CsvRecord> {
  let lastParsedEnd = 0;
  const ends: number[] = [];
  let next = 0;
  const parser = parse({
    bom: true,
    delimiter: o.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // No comments: RFC 4180 has none, and a row that began with # would vanish unreported.
    max_record_size: o.maxRecordBytes,
    // Where each record ends (its byte offset), noted as it is parsed: csv-parse's `info` option builds
    // two objects a record for it. An error's line starts after the last one noted.
    on_record: (record, context) => {
      ends.push(context.bytes);
      lastParsedEnd = context.bytes;
      return record;
    },
  });
  const lines = new LineCounter();
  // Fed as the parser drains; stops reading the input once the parser is gone (an error, or the reader stopped).
  const drained = () =>
    new Promise<void>((r) => {
      const done = () => (parser.off('drain', done), parser.off('close', done), r());
      parser.on('drain', done).on('close', done);
    });
  const feeding = (async () => {
    try {
      for await (const chunk of input) {
        if (parser.destroyed) break;
        lines.push(chunk);
        if (!parser.write(chunk)) await drained();
      }
      if (!parser.destroyed) parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const end = ends[next++]!;
      if (next === 1024) (ends.splice(0, next), (next = 0));
      const inside = record.reduce((n, cell) => n + (cell.includes('\n') ? countBreaks(cell) : 0), 0) + (lines.endsWithBreak(end) ? 1 : 0);
      const breaks = lines.breaksBefore(end);
      yield { cells: record, line: breaks - inside + 1 };
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!code?.startsWith('CSV_')) throw e;
    // The record that failed starts after the last one parsed (blank lines between are counted in).
    const line = lines.breaksBefore(lastParsedEnd) + 1;
    const reason =
      code === 'CSV_MAX_RECORD_SIZE'
        ? `a record longer than ${o.maxRecordBytes} bytes starts here (a quote left open?); expected a CSV record per line, with line breaks only inside quotes`
        : code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'a quoted field starting here is never closed; expected a closing quote'
          : `not CSV from here: ${(e as Error).message.replace(/ at line \d+.*$/, '')}`;
    throw new CsvError(line, reason);
  } finally {
    if (!parser.destroyed) parser.destroy();
    await feeding;
  }
}
