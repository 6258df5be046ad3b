// The one pass over the input: validation, header detection by name, duplicates, bounded lines, and
// the hash the journal's header carries. Every message names the file and the line.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, openInput, readSnapshot, SnapshotWriter } from '../src/bulk/input.ts';
import { ID, scan } from './scan.ts';

describe('scanInput', () => {
  it('one id per line; blank lines and # comments skipped; CRLF and a byte order mark tolerated', async () => {
    const r = await scan(`\uFEFF# to revoke\r\n${ID(0)}\r\n\r\n  ${ID(1)}  \n# done\n${ID(2)}`);
    expect(r.ids).toEqual([ID(0), ID(1), ID(2)]);
    expect([r.lines, r.unique, r.invalid, r.duplicates, r.messages]).toEqual([3, 3, 0, 0, []]);
  });

  it('a bad id is reported with file and line, not passed on; leading zeros are refused', async () => {
    const r = await scan(`${ID(0)}\nnot-an-id\n0${ID(1).slice(1)}\n41508680000011482120\n${ID(1)}\n4150868000001148400.0\n`);
    expect(r.ids).toEqual([ID(0), ID(1)]);
    expect(r.messages).toEqual([
      'ids.csv:2: expected a record id of 1-19 digits, got "not-an-id" (not sent)',
      `ids.csv:3: expected a record id without a leading zero (Zoho's ids have none), got "0${ID(1).slice(1)}" (not sent)`,
      'ids.csv:4: expected a record id of 1-19 digits, got "41508680000011482120" (not sent)',
      'ids.csv:6: expected a record id of 1-19 digits, got "4150868000001148400.0" (not sent)',
    ]);
    expect([r.lines, r.unique, r.invalid]).toEqual([6, 2, 4]);
  });

  it('duplicates are passed on once and counted: unique + invalid + duplicates = lines', async () => {
    const r = await scan(`${ID(0)}\n${ID(1)}\n${ID(0)}\nbad\n${ID(1)}\n${ID(0)}\n`);
    expect(r.ids).toEqual([ID(0), ID(1)]);
    expect(r.messages).toEqual([`ids.csv:3: duplicate ${ID(0)}`, 'ids.csv:4: expected a record id of 1-19 digits, got "bad" (not sent)', `ids.csv:5: duplicate ${ID(1)}`, `ids.csv:6: duplicate ${ID(0)}`]);
    expect([r.lines, r.unique, r.invalid, r.duplicates]).toEqual([6, 2, 1, 3]);
  });

  it.each([['Record Id'], ['record id'], ['ID'], ['"Record Id"'], ['record_id']])('a one-column CSV headed %s: the header is not an id', async (head) => {
    const r = await scan(`${head}\n${ID(0)}\n"${ID(1)}"\n`);
    expect(r.ids).toEqual([ID(0), ID(1)]);
    expect([r.lines, r.invalid, r.header?.line]).toEqual([2, 0, 1]);
  });

  it('a CSV: the id column found by name, quoted cells with commas', async () => {
    const r = await scan(`Name,Email,Record Id\n"Ada, L.",ada@example.com,${ID(0)}\nBob,"b@x",${ID(1)}\nNo id,x,\n`);
    expect(r.ids).toEqual([ID(0), ID(1)]);
    expect(r.messages).toEqual(['ids.csv:4: no value in the id column "Record Id" (not sent)']);
    expect(r.header).toEqual({ line: 1, column: 'Record Id' });
  });

  it('--id-column NAME picks the column (any case); a header without it is an error naming file, line and columns', async () => {
    const r = await scan(`contact,owner\n${ID(0)},${ID(9)}\n`, { idColumn: 'Contact' });
    expect(r.ids).toEqual([ID(0)]);
    await expect(scan(`contact,owner\n${ID(0)},${ID(9)}\n`, { idColumn: 'id' })).rejects.toThrow(new InputError('ids.csv:1: --id-column id: the header has no such column (it has "contact", "owner")'));
  });

  it('a CSV header without an id column is an error naming file and line, before any id is passed on', async () => {
    await expect(scan(`\n# export\nname,email\nAda,a@x\n`)).rejects.toThrow(/^ids\.csv:3: a CSV header without an id column \(it has "name", "email"\); expected a column named "record id", "id"/);
  });

  it('a line over 1 KiB is reported with its line and skipped without being held in memory (64 MiB without a newline)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x37); // "7777...": digits, so only its length can make it invalid
    async function* input() {
      yield Buffer.from(`${ID(0)}\n`);
      for (let i = 0; i < 1024; i++) yield chunk;
      yield Buffer.from(`\n${ID(1)}\n${'1'.repeat(1025)}\n${'2'.repeat(1024)}\r\n`);
    }
    const r = await scan(input());
    expect(r.ids).toEqual([ID(0), ID(1)]);
    expect(r.messages).toEqual([
      'ids.csv:2: line is longer than 1024 bytes; expected one record id per line (not sent)',
      'ids.csv:4: line is longer than 1024 bytes; expected one record id per line (not sent)',
      'ids.csv:5: expected a record id of 1-19 digits, got "2222222222222222222222222222222222222222..." (not sent)',
    ]);
    expect(r.size).toBe(64 * 1024 * 1024 + ID(0).length + 1 + 1 + ID(1).length + 1 + 1026 + 1026);
  });

  it('hashes every byte read (SHA-256 and size, for the journal header), in chunks split anywhere', async () => {
    const text = `id\n${ID(0)}\n${ID(1)}\n${ID(2)}`;
    const bytes = Buffer.from(text);
    const split = [bytes.subarray(0, 1), bytes.subarray(1, 9), bytes.subarray(9, 30), bytes.subarray(30)];
    const r = await scan(split);
    expect(r.ids).toEqual([ID(0), ID(1), ID(2)]);
    expect([r.size, r.sha256]).toEqual([bytes.length, createHash('sha256').update(bytes).digest('hex')]);
  });

  it('empty input: no lines at all', async () => {
    expect(await scan('')).toMatchObject({ lines: 0, size: 0 });
    expect(await scan('\n# nothing\n\n')).toMatchObject({ lines: 0, size: 12 });
  });
});

describe('openInput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-input-test-'));
  it('a missing file and a directory are InputErrors naming the path', async () => {
    const signal = new AbortController().signal;
    await expect(openInput(join(dir, 'nope.txt'), signal)).rejects.toThrow(new InputError(`--ids-file: no such file: ${join(dir, 'nope.txt')}`));
    await expect(openInput(dir, signal)).rejects.toThrow(new InputError(`--ids-file: ${dir} is a directory; expected a file of record ids`));
  });
});

describe('openInput on a named pipe no writer opens', () => {
  const fifo = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'zcrm-fifo-')), 'ids.fifo');
    execFileSync('mkfifo', [path]);
    return path;
  };

  it('a signal aborted before the call: refused at once, nothing opened', async () => {
    const reason = new Error('stopped');
    await expect(openInput(fifo(), AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  // The abort lands while the open is still on its way to the kernel (on a worker thread): there is no
  // reader yet for the unblocking writer to meet, so it must try again rather than leave the open
  // waiting forever (a SIGTERM the CLI then never acts on).
  it.each([0, 1, 5])('aborted %i ms after the call: the open is ended and the abort reported', async (afterMs) => {
    const controller = new AbortController();
    const reason = new Error('stopped');
    const opening = openInput(fifo(), controller.signal);
    if (afterMs === 0) controller.abort(reason);
    else setTimeout(() => controller.abort(reason), afterMs);
    await expect(opening).rejects.toBe(reason);
  });
});

describe('the snapshot', () => {
  it('gives back the ids written, in order, exact to 19 digits', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'zcrm-snap-test-')), 'ids');
    const ids = [...Array.from({ length: 20_000 }, (_, i) => ID(i * 7)), '1', '9999999999999999999'];
    const w = new SnapshotWriter(path);
    for (const id of ids) w.write(id);
    w.close();
    expect([...readSnapshot(path)]).toEqual(ids);
    writeFileSync(path, Buffer.alloc(12));
    expect(() => [...readSnapshot(path)]).toThrow(/ends inside an id/);
  });
});
