/** One line of a byte stream, without its `\n`, decoded as UTF-8. */
export interface Line {
  text: string;
  /** Longer than the bound: `text` is empty, the line was skipped without being held in memory. */
  tooLong: boolean;
  /** False for a last line that had no `\n`. */
  complete: boolean;
  /** Byte offset just past this line (and its newline). */
  end: number;
}

/**
 * Splits a stream into lines without ever holding more than `maxBytes` of one (a 1 GB line is
 * skipped, not buffered). `onChunk` sees every byte read, e.g. for a hash. A line within one chunk
 * is decoded in place (no copy): a million lines cost a million strings, nothing more.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxBytes: number, onChunk?: (chunk: Buffer) => void): AsyncGenerator<Line> {
  let pending: Buffer[] = []; // the start of a line that began in an earlier chunk
  let pendingBytes = 0;
  let tooLong = false;
  let offset = 0;
  let open = false; // bytes of a line not yet yielded
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onChunk?.(buf);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      const end = nl === -1 ? buf.length : nl;
      if (end > start) open = true;
      if (!tooLong && pendingBytes + end - start > maxBytes) {
        tooLong = true;
        pending = [];
      }
      if (nl === -1) {
        if (!tooLong && end > start) pending.push(buf.subarray(start, end));
        pendingBytes += end - start;
        offset += end - start;
        break;
      }
      offset += nl + 1 - start;
      let text = '';
      if (!tooLong) text = pending.length ? Buffer.concat([...pending, buf.subarray(start, end)]).toString('utf8') : buf.toString('utf8', start, end);
      yield { text, tooLong, complete: true, end: offset };
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      open = false;
      start = nl + 1;
    }
  }
  if (open) yield { text: tooLong ? '' : Buffer.concat(pending).toString('utf8'), tooLong, complete: false, end: offset };
}
