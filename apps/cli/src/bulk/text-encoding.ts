// The encodings an admin's file of ids arrives in. Zoho's export is UTF-8 (with or without a byte order
// mark); Excel's "Unicode Text" and some editors save UTF-16 with its byte order mark (tab-separated,
// which the header's delimiter detection reads); a workbook (.xlsx, a ZIP archive) or a legacy .xls is
// not text at all, and saying so beats reporting its first bytes as an invalid id.

/** What the first bytes of an input say it is. */
export type InputKind = 'utf-8' | 'utf-16le' | 'utf-16be' | 'zip' | 'xls';

export function sniff(head: Buffer): InputKind {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'xls';
  return 'utf-8';
}

/** Why an input that is not text cannot be read, and what to do instead. */
export const NOT_TEXT: Record<'zip' | 'xls', string> = {
  zip: "a ZIP archive (an .xlsx workbook, or a zipped export), not text: save the sheet as CSV (UTF-8), or unzip the export and pass its .csv",
  xls: 'an Excel 97-2003 workbook (.xls), not text: save the sheet as CSV (UTF-8)',
};

/**
 * The input as UTF-8 bytes: UTF-8 passes through as it is (a BOM and all), UTF-16 is decoded (its BOM
 * dropped) chunk by chunk, so line breaks, and with them line numbers, are the file's own. A ZIP or an
 * .xls throws `refuse(NOT_TEXT[kind])`. Reads ahead at most the first 4 bytes.
 */
export async function* asUtf8(input: AsyncIterator<Buffer>, refuse: (why: string) => Error): AsyncGenerator<Buffer> {
  let head: Buffer = Buffer.alloc(0);
  let ended = false;
  while (head.length < 4 && !ended) {
    const next = await input.next();
    if (next.done) ended = true;
    else head = head.length ? Buffer.concat([head, next.value]) : next.value;
  }
  const kind = sniff(head);
  if (kind === 'zip' || kind === 'xls') throw refuse(NOT_TEXT[kind]);
  // UTF-8 passes as it came; UTF-16 is decoded as it comes (a character split between chunks waits for its end).
  const decoder = kind === 'utf-8' ? undefined : new TextDecoder(kind);
  const utf8 = (bytes: Buffer) => (decoder ? Buffer.from(decoder.decode(bytes, { stream: true }), 'utf8') : bytes);
  if (head.length) yield utf8(head);
  for (let n = ended ? undefined : await input.next(); n && !n.done; n = await input.next()) yield utf8(n.value);
  const rest = decoder?.decode();
  if (rest) yield Buffer.from(rest, 'utf8');
}
