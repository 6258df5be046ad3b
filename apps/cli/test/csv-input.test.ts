// Zoho's export files as the input pass reads them (RFC 4180 through csv-parse): the export's shape
// (BOM, CRLF, zcrm_ ids, quoted fields with commas, quotes and line breaks), the older headers named
// after the module, delimiters detected from the header, the record bound, and a property: any
// generated export yields exactly the ids written, in order, with every record's starting line.
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InputError, scanInput } from '../src/bulk/input.ts';
import { ID, scan as scanFile } from './scan.ts';

const scan = (input: Parameters<typeof scanFile>[0], options: { idColumn?: string; module?: string } = {}) => scanFile(input, { label: 'export.csv', module: 'Contacts', ...options });

describe("Zoho's export", () => {
  it('the Contacts export (BOM, CRLF, zcrm_ ids, multi-line quoted Description): 20 ids, nothing invalid', async () => {
    const bytes = readFileSync(new URL('./fixtures/contacts-export.csv', import.meta.url));
    const r = await scan(bytes);
    expect(r.ids).toEqual(Array.from({ length: 20 }, (_, i) => ID(i)));
    expect([r.lines, r.invalid, r.duplicates, r.messages]).toEqual([20, 0, 0, []]);
    expect(r.header).toEqual({ line: 1, column: 'Record Id' });
    expect(r.size).toBe(bytes.length);
  });

  it.each([
    ['Contacts', 'CONTACTID'],
    ['Sales_Orders', 'SALESORDERID'],
    ['Deals', 'POTENTIALID'],
    ['Deals', 'DEALID'],
    ['Leads', 'LEADID'],
  ])('the older export of %s, its id column %s', async (module, column) => {
    const r = await scan(`${column},Name\n${ID(0)},a\nzcrm_${ID(1)},"b\nc"\n`, { module });
    expect(r.ids).toEqual([ID(0), ID(1)]);
    expect(r.header?.column).toBe(column);
  });

  it('the order: --id-column, then Record Id / id / record_id / recordid, then the module in capitals', async () => {
    const text = `CONTACTID,Name,Record Id,Owner\n${ID(0)},a,${ID(1)},${ID(2)}\n`;
    expect((await scan(text)).ids).toEqual([ID(1)]);
    expect((await scan(text, { idColumn: 'owner' })).ids).toEqual([ID(2)]);
    expect((await scan(`contactid,x\n${ID(3)},y\n`)).ids).toEqual([ID(3)]);
  });

  it.each([[';'], ['\t'], [',']])('the delimiter %j is taken from the header', async (d) => {
    const r = await scan(`Record Id${d}Street${d}Note\r\nzcrm_${ID(0)}${d}"1, Main St; 2\tx"${d}n\r\n`);
    expect(r.ids).toEqual([ID(0)]);
    expect(r.messages).toEqual([]);
  });

  it('a header without an id column: an error naming the file, the line and every header found', async () => {
    await expect(scan('\n# export\nName,Email\nAda,a@x\n')).rejects.toThrow(
      new InputError('export.csv:3: a CSV header without an id column (it has "Name", "Email"); expected a column named "record id", "id", "record_id", "recordid", "CONTACTID", "CONTACTSID" (any case), or --id-column NAME'),
    );
  });

  it('messages name the line where the record starts and the column', async () => {
    const r = await scan(`Record Id,Description\r\n${ID(0)},"two\r\nlines"\r\nnot-an-id,x\r\n,"three\r\nline\r\nbreaks"\r\n${ID(0)},x\r\n`);
    expect(r.messages).toEqual([
      'export.csv:4: expected a record id of 1-19 digits, got "not-an-id" in column "Record Id" (not sent)',
      'export.csv:5: no value in the id column "Record Id" (not sent)',
      `export.csv:8: duplicate ${ID(0)}`,
    ]);
  });

  it('a record over the bound (a quote left open) ends the read naming the line it starts on; nothing more is buffered', async () => {
    const open = `Record Id,Note\n${ID(0)},ok\n${ID(1)},"never closed\n${'x'.repeat(1000)}\n`;
    await expect(scan([Buffer.from(open), ...Array.from({ length: 100 }, () => Buffer.alloc(1024, 0x78))])).rejects.toThrow(/^export\.csv:3: a record longer than 65536 bytes starts here/);
    await expect(scan(`Record Id,Note\n${ID(0)},"never closed\n`)).rejects.toThrow(/^export\.csv:2: a quoted field starting here is never closed/);
  });
});

/** `text` in `encoding`; UTF-16 with its byte order mark, as Excel's "Unicode Text" writes it. */
function encoded(text: string, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text);
  const le = Buffer.from(`\uFEFF${text.replace(/^\uFEFF/, '')}`, 'utf16le');
  return encoding === 'utf-16le' ? le : le.swap16();
}

describe('what Excel makes of an export', () => {
  it.each([['4.15087E+18'], ['4,15087E+18'], ['4.150868E18'], ['4.15087e+18']])(
    'an id Excel turned into a number (%s, its digits lost): named at its line, with what happened and what to do instead',
    async (mangled) => {
      // Semicolons, as Excel saves a CSV where the decimal separator is a comma.
      const r = await scan(`Record Id;Last Name\r\n${mangled};M\u00fcller\r\nzcrm_${ID(1)};x\r\n`);
      expect(r.ids).toEqual([ID(1)]);
      expect(r.messages).toEqual([
        `export.csv:2: expected a record id of 1-19 digits: a spreadsheet turned this one into a number and lost its last digits (Excel does so with 19-digit ids); export it again from Zoho and use the file as exported, or keep the zcrm_ prefix Zoho puts on ids in the export, got ${JSON.stringify(mangled)} in column "Record Id" (not sent)`,
      ]);
    },
  );

  const rows = `Record Id\tFirst Name\tDescription\r\nzcrm_${ID(0)}\tAda\t"two\r\nlines, é"\r\nnot-an-id\tBob\tx\r\nzcrm_${ID(1)}\t李\t😀\r\n`;
  it.each([['utf-16le'], ['utf-16be']] as const)('"Unicode Text" (%s with its BOM, tab-separated): its ids, and the invalid one at its line', async (encoding) => {
    const bytes = encoded(rows, encoding);
    // One byte at a time: a character split between chunks is still read whole.
    const r = await scan(Array.from(bytes, (b) => Buffer.from([b])));
    expect(r.ids).toEqual([ID(0), ID(1)]);
    expect(r.messages).toEqual(['export.csv:4: expected a record id of 1-19 digits, got "not-an-id" in column "Record Id" (not sent)']);
    expect([r.size, r.header]).toEqual([bytes.length, { line: 1, column: 'Record Id' }]);
  });

  it.each([
    ['an .xlsx workbook (a ZIP archive)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), /^export\.csv: a ZIP archive \(an \.xlsx workbook, or a zipped export\), not text: save the sheet as CSV \(UTF-8\)/],
    ['an Excel 97-2003 workbook', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /^export\.csv: an Excel 97-2003 workbook \(\.xls\), not text: save the sheet as CSV \(UTF-8\)$/],
  ])('%s is refused as not text, saying what to do, before anything is read as an id', async (_what, bytes, message) => {
    await expect(scan([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).rejects.toThrow(message);
    await expect(scan(bytes)).rejects.toBeInstanceOf(InputError);
  });
});

// Property: whatever the columns, quoting, delimiter, line ends, BOM, multi-line fields and zcrm_
// prefixes, an export yields exactly its ids, in order, each at the line its record starts on.
const DELIMITERS = [',', ';', '\t'];
const cellText = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '\t', '"', '\n', '\r\n', '#', 'é', '0', '9'), maxLength: 12 });
const exportArb = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
    idHeader: fc.constantFrom('Record Id', 'id', 'RECORD_ID', 'recordid', 'CONTACTID'),
    others: fc.integer({ min: 1, max: 5 }),
    idAt: fc.nat(),
    rows: fc.uniqueArray(fc.bigInt({ min: 1n, max: 9_223_372_036_854_775_807n }), { minLength: 1, maxLength: 30 }),
    cells: fc.array(cellText, { minLength: 200, maxLength: 200 }),
    quoteAll: fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
    zcrm: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
    chunk: fc.integer({ min: 1, max: 64 }),
    encoding: fc.constantFrom('utf-8', 'utf-16le', 'utf-16be'),
  })
  .map((e) => {
    const width = e.others + 1;
    const at = e.idAt % width;
    let k = 0;
    const field = (text: string, forceQuote: boolean) => {
      const needs = /[",;\t\r\n]/.test(text) || text !== text.trim() || text === '';
      return needs || forceQuote ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const header = Array.from({ length: width }, (_, i) => (i === at ? e.idHeader : `Col${i}`)).join(e.delimiter);
    const lines: string[] = [header];
    const expected: { id: string; line: number }[] = [];
    let line = 2;
    e.rows.forEach((id, r) => {
      const cells = Array.from({ length: width }, (_, i) => {
        if (i === at) return field(`${e.zcrm[r] ? 'zcrm_' : ''}${id}`, e.quoteAll[k++ % 200]!);
        return field(e.cells[k % 200]!, e.quoteAll[k++ % 200]!);
      });
      const record = cells.join(e.delimiter);
      expected.push({ id: String(id), line });
      line += record.split('\n').length;
      lines.push(record);
    });
    const text = `${e.bom ? '\uFEFF' : ''}${lines.join(e.eol)}${e.finalEol ? e.eol : ''}`;
    return { text, expected, chunk: e.chunk, encoding: e.encoding };
  });

describe('generated exports', () => {
  test.prop([exportArb], { numRuns: 300 })('yield exactly the ids written, in order, each at its starting line, in UTF-8 or UTF-16', async ({ text, expected, chunk, encoding }) => {
    const bytes = encoded(text, encoding);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
    const ids: string[] = [];
    const at: number[] = [];
    const r = await scanInput(
      (async function* () {
        yield* chunks;
      })(),
      { label: 'x', module: 'Contacts', onId: (id, line) => ids.push(id) && at.push(line), onInvalid: (l, m) => ids.push(`invalid at ${l}: ${m}`), onDuplicate: () => ids.push('duplicate') },
    );
    expect(ids).toEqual(expected.map((e) => e.id));
    expect(at).toEqual(expected.map((e) => e.line));
    expect([r.lines, r.unique, r.size]).toEqual([expected.length, expected.length, bytes.length]);
  });
});
