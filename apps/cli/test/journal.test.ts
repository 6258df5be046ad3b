// The journal: a header that identifies the job, entries where the last one for an id decides, a torn
// last line discarded (and truncated away, so nothing is glued onto it), a damaged one refused.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerDifferences, Journal, JournalError, journalPathProblem, type JobHeader, type JournalEntry } from '../src/bulk/journal.ts';

const HEADER: JobHeader = {
  module: 'Contacts',
  api: { origin: 'https://www.zohoapis.eu', version: 'v8' },
  input: { path: '/data/ids.txt', size: 2000, sha256: 'a'.repeat(64) },
};
let n = 0;
const dir = mkdtempSync(join(tmpdir(), 'zcrm-journal-test-'));
async function journalOf(entries: JournalEntry[]): Promise<string> {
  const path = join(dir, `j${n++}.journal`);
  const j = Journal.create(path, HEADER);
  for (const e of entries) j.record(e);
  await j.close();
  return path;
}
const ID = (i: number) => String(4150868000001148212n + BigInt(i));

describe('Journal', () => {
  it('create writes the header whole (through a temporary file renamed into place); read gives it back', async () => {
    const path = await journalOf([]);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const first = JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!);
    expect(first).toMatchObject({ journal: 'zcrm-sharing share revoke', version: 2, ...HEADER });
    const read = await Journal.read(path);
    expect(read.header).toMatchObject(HEADER);
    expect([read.entries, read.done.size, read.tornLine]).toEqual([0, 0, false]);
  });

  it('revoked and not_shared are done, failed is not, and the last entry for an id decides', async () => {
    const path = await journalOf([
      { id: ID(0), outcome: 'revoked' },
      { id: ID(1), outcome: 'not_shared' },
      { id: ID(2), outcome: 'failed', code: 'INTERNAL_ERROR' },
      { id: ID(3), outcome: 'revoked' },
      { id: ID(3), outcome: 'failed', code: 'INTERNAL_ERROR' },
      { id: ID(4), outcome: 'failed', code: 'INTERNAL_ERROR' },
      { id: ID(4), outcome: 'revoked' },
      { id: ID(0), outcome: 'not_shared' },
    ]);
    const { done, entries } = await Journal.read(path);
    expect([0, 1, 2, 3, 4].map((i) => done.has(ID(i)))).toEqual([true, true, false, false, true]);
    expect([done.size, entries]).toEqual([3, 8]);
  });

  it('a torn last line is discarded and truncated away: the next entry starts on a line of its own', async () => {
    const path = await journalOf([{ id: ID(0), outcome: 'revoked' }]);
    appendFileSync(path, `{"id":"${ID(1)}","outc`);
    const read = await Journal.read(path);
    expect([read.tornLine, read.done.has(ID(0)), read.done.has(ID(1))]).toEqual([true, true, false]);
    const j = Journal.append(path, read.bytes);
    j.record({ id: ID(1), outcome: 'not_shared' });
    await j.close();
    const again = await Journal.read(path);
    expect([again.tornLine, again.entries, again.done.has(ID(1))]).toEqual([false, 2, true]);
    expect(readFileSync(path, 'utf8').trim().split('\n').slice(1)).toEqual([`{"id":"${ID(0)}","outcome":"revoked"}`, `{"id":"${ID(1)}","outcome":"not_shared"}`]);
  });

  it('read-only (a dry run) discards a torn line without touching the file', async () => {
    const path = await journalOf([{ id: ID(0), outcome: 'revoked' }]);
    appendFileSync(path, '{"id":"41');
    const before = readFileSync(path, 'utf8');
    expect((await Journal.read(path, { readOnly: true })).tornLine).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('read only, then continued: append cuts the torn line before the next entry (what --resume does)', async () => {
    const path = await journalOf([{ id: ID(0), outcome: 'revoked' }]);
    appendFileSync(path, `{"id":"${ID(1)}","outc`);
    const read = await Journal.read(path, { readOnly: true });
    const j = Journal.append(path, read.bytes);
    j.record({ id: ID(1), outcome: 'not_shared' });
    await j.close();
    const again = await Journal.read(path, { readOnly: true });
    expect([again.tornLine, again.entries, again.done.has(ID(1))]).toEqual([false, 2, true]);
    expect(readFileSync(path, 'utf8').trim().split('\n').slice(1)).toEqual([`{"id":"${ID(0)}","outcome":"revoked"}`, `{"id":"${ID(1)}","outcome":"not_shared"}`]);
  });

  it('a damaged line (not the last) is refused naming file and line; so is a file that is not a journal', async () => {
    const path = await journalOf([{ id: ID(0), outcome: 'revoked' }]);
    appendFileSync(path, `{"id":12345,"outcome":"revoked"}\n{"id":"${ID(1)}","outcome":"revoked"}\n`);
    await expect(Journal.read(path)).rejects.toThrow(new JournalError(`${path}:3: not a journal entry; the journal is damaged (nothing was sent; fix or remove that line)`));
    const leadingZero = await journalOf([]);
    appendFileSync(leadingZero, '{"id":"0123","outcome":"revoked"}\n');
    await expect(Journal.read(leadingZero)).rejects.toThrow(/:2: not a journal entry/);
    const other = join(dir, 'old.journal');
    writeFileSync(other, `{"id":"${ID(0)}","outcome":"revoked"}\n`);
    await expect(Journal.read(other)).rejects.toThrow(`${other}:1: not a journal of zcrm-sharing share revoke (version 1 or 2)`);
  });

  it('an api_domain line completes the header', async () => {
    const path = await journalOf([]);
    const j = Journal.append(path, readFileSync(path).length);
    j.recordApiDomain('https://www.zohoapis.eu');
    j.record({ id: ID(0), outcome: 'revoked' });
    await j.close();
    const read = await Journal.read(path);
    expect([read.header.apiDomain, read.entries]).toEqual(['https://www.zohoapis.eu', 1]);
  });

  it('journals hold ids, outcomes and codes only', async () => {
    const text = readFileSync(await journalOf([{ id: ID(0), outcome: 'failed', code: 'INTERNAL_ERROR' }]), 'utf8');
    expect(Object.keys(JSON.parse(text.split('\n')[1]!))).toEqual(['id', 'outcome', 'code']);
  });
});

describe('headerDifferences', () => {
  it('names each difference: module, API origin and version, api_domain, input content', () => {
    expect(headerDifferences(HEADER, HEADER)).toEqual([]);
    const other: JobHeader = {
      module: 'Leads',
      api: { origin: 'http://127.0.0.1:4011', version: 'v7' },
      apiDomain: 'https://www.zohoapis.com',
      input: { path: '/data/other.txt', size: 10, sha256: 'b'.repeat(64) },
    };
    expect(headerDifferences({ ...HEADER, apiDomain: 'https://www.zohoapis.eu' }, other)).toEqual([
      '--module: "Contacts" in the journal, "Leads" now',
      'API origin (--base-url, --dc, --environment): "https://www.zohoapis.eu" in the journal, "http://127.0.0.1:4011" now',
      'API version: "v8" in the journal, "v7" now',
      `the token's api_domain (another org's data centre): "https://www.zohoapis.eu" in the journal, "https://www.zohoapis.com" now`,
      `the input: /data/ids.txt (2000 bytes, SHA-256 aaaaaaaaaaaa...) in the journal, /data/other.txt (10 bytes, SHA-256 bbbbbbbbbbbb...) now`,
    ]);
  });

  it('the same bytes under another name are the same job; an api_domain known on one side only is no difference', () => {
    expect(headerDifferences(HEADER, { ...HEADER, apiDomain: 'https://www.zohoapis.eu', input: { ...HEADER.input, path: '/moved/ids.txt' } })).toEqual([]);
  });
});

describe('journalPathProblem', () => {
  it('a directory or a device is never a journal', () => {
    expect(journalPathProblem(dir)).toMatch(/a directory/);
    expect(journalPathProblem('/dev/full')).toMatch(/\/dev\/full: not a regular file/);
    expect(journalPathProblem(join(dir, 'new.journal'))).toBeUndefined();
  });
});
