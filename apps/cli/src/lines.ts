/** One line of a byte stream, without its `\n`. `complete` is false for a last line that had none. */
export interface Line {
  bytes: Buffer;
  /** Longer than the bound: `bytes` is empty, the rest of the line was skipped unread into memory. */
  tooLong: boolean;
  complete: boolean;
  /** Byte offset just past this line (and its newline). */
  end: number;
}

/**
 * Splits a stream into lines without ever holding more than `maxBytes` of one (a 1 GB line is
 * skipped, not buffered). `onChunk` sees every byte read, e.g. for a hash.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxBytes: number, onChunk?: (chunk: Buffer) => void): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let offset = 0;
  let any = false; // bytes of a line not yet yielded
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onChunk?.(buf);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      const end = nl === -1 ? buf.length : nl;
      if (end > start) any = true;
      if (!tooLong) {
        if (pendingBytes + end - start > maxBytes) {
          tooLong = true;
          pending = [];
          pendingBytes = 0;
        } else if (end > start) {
          pending.push(buf.subarray(start, end));
          pendingBytes += end - start;
        }
      }
      if (nl === -1) {
        offset += buf.length - start;
        break;
      }
      offset += nl + 1 - start;
      yield { bytes: pending.length === 1 ? pending[0]! : Buffer.concat(pending), tooLong, complete: true, end: offset };
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      any = false;
      start = nl + 1;
    }
  }
  if (any) yield { bytes: Buffer.concat(pending), tooLong, complete: false, end: offset };
}
