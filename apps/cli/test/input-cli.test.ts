// The inputs admins have, through the built bin against the sandbox: Zoho's own export (BOM, CRLF,
// zcrm_ ids, a multi-line Description), the older header named after the module, and a named pipe:
// read once (the old probe opened it twice and hung), and a stalled writer or a writer that never
// comes does not hold the CLI: SIGINT or SIGTERM ends it with the table's code, nothing sent.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { against, BIN, idAt, isShared, run, sandbox, start, summaryOf, tmp, until } from './helpers.ts';

// One DELETE per id (the backup's reads have their own tests).
const revoke = (file: string, ...more: string[]) => ['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', '--no-backup', ...more];

describe("Zoho's export as --ids-file", () => {
  it('the Contacts export (BOM, CRLF, zcrm_ ids, a quoted multi-line Description): every record revoked once, exit OK', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'Contacts_export.csv');
    copyFileSync(new URL('./fixtures/contacts-export.csv', import.meta.url), file);
    const r = await run(revoke(file, ...args), env);
    expect(r.stderr).not.toMatch(/csv:\d+: /); // no line reported
    expect(r.code).toBe(EXIT.OK);
    const ids = Array.from({ length: 20 }, (_, i) => idAt(i));
    expect(summaryOf(r)).toMatchObject({ lines: 20, unique: 20, invalid: 0, revoked: ids.filter(isShared).length, notShared: ids.filter((id) => !isShared(id)).length });
    for (const id of ids) expect(s.record('Contacts', id)!.revokeCalls).toBe(1);
  });

  it('the older export, its id column CONTACTID, semicolons: exit OK', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'old.csv');
    writeFileSync(file, `\uFEFFCONTACTID;Full Name;Description\r\nzcrm_${idAt(0)};"Lovelace; Ada";"line one\r\nline two"\r\nzcrm_${idAt(1)};Bob;x\r\n`);
    const r = await run(revoke(file, ...args), env);
    expect(r.code).toBe(EXIT.OK);
    expect(summaryOf(r)).toMatchObject({ lines: 2, unique: 2, invalid: 0 });
  });

  it('a header without the id column: exit USAGE, the headers found listed, nothing sent', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'x.csv');
    writeFileSync(file, `Name,Email\nAda,a@x\n`);
    const r = await run(revoke(file, ...args), env);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain(`${file}:1: a CSV header without an id column (it has "Name", "Email")`);
    expect(s.stats().revoke.calls).toBe(0);
  });
});

describe("what Excel makes of Zoho's export, as --ids-file", () => {
  it('saved as "Unicode Text" (UTF-16 with its BOM, tab-separated): every record revoked once, exit OK', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'Contacts.txt');
    writeFileSync(file, Buffer.from(`\uFEFFRecord Id\tFull Name\tDescription\r\nzcrm_${idAt(0)}\tAda\t"line one\r\nline two"\r\nzcrm_${idAt(1)}\tBob\tx\r\n`, 'utf16le'));
    const r = await run(revoke(file, ...args), env);
    expect(r.code).toBe(EXIT.OK);
    expect(summaryOf(r)).toMatchObject({ lines: 2, unique: 2, invalid: 0 });
    for (const id of [idAt(0), idAt(1)]) expect(s.record('Contacts', id)!.revokeCalls).toBe(1);
  });

  it('an .xlsx workbook: exit USAGE, saying it is not text and what to save instead, nothing sent', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const file = join(tmp(), 'Contacts.xlsx');
    writeFileSync(file, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]));
    const r = await run(revoke(file, ...args), env);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain(`${file}: a ZIP archive (an .xlsx workbook, or a zipped export), not text: save the sheet as CSV (UTF-8)`);
    expect(s.stats().revoke.calls).toBe(0);
  });
});

describe('a named pipe as --ids-file', () => {
  const fifo = () => {
    const path = join(tmp(), 'ids.fifo');
    execFileSync('mkfifo', [path]);
    return path;
  };

  it('is opened once and read to its end: every id revoked, exit OK', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const path = fifo();
    const cli = start(revoke(path, '--journal', join(tmp(), 'j.journal'), ...args), env);
    const writer = await open(path, 'w'); // completes when the CLI has opened it for reading
    await writer.write(`Record Id,Note\n${idAt(0)},"a\nb"\n${idAt(1)},c\n`);
    await writer.close();
    const r = await cli.done;
    expect(r.code).toBe(EXIT.OK);
    expect(summaryOf(r)).toMatchObject({ lines: 2, unique: 2 });
  });

  it.each([['SIGINT'], ['SIGTERM']] as const)('%s while the writer stalls mid-file: exit INTERRUPTED, nothing sent', async (signal) => {
    const s = await sandbox();
    const { args, env } = against(s);
    const path = fifo();
    const journal = join(tmp(), 'j.journal');
    const cli = start(revoke(path, '--journal', journal, ...args), env);
    const writer = await open(path, 'w');
    await writer.write(`${idAt(0)}\n${idAt(1)}\n`); // and then nothing more, the pipe left open
    await until(() => existsSync(`${journal}.lock`));
    cli.child.kill(signal);
    const r = await cli.done;
    await writer.close();
    expect(r.code).toBe(EXIT.INTERRUPTED);
    expect(r.stderr).toContain(`interrupted while reading ${path}; nothing was sent`);
    expect(s.stats().revoke.calls).toBe(0);
  });

  it('--ids-file - (stdin, a pipe) whose writer stalls: SIGINT ends the read, exit INTERRUPTED, nothing sent', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const journal = join(tmp(), 'stdin.journal');
    const child = spawn(process.execPath, [BIN, ...revoke('-', '--journal', journal, ...args)], { env: { PATH: process.env.PATH!, HOME: tmp(), NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.write(`${idAt(0)}\n${idAt(1)}\n`); // and then nothing more, stdin left open
    await until(() => existsSync(`${journal}.lock`));
    child.kill('SIGINT');
    const closed = once(child, 'close'); // after its stderr is read to the end
    const [code] = await once(child, 'exit');
    child.stdin.destroy(); // only now: an EOF before the signal would end the read normally
    await closed;
    expect(code).toBe(EXIT.INTERRUPTED);
    expect(stderr).toContain('interrupted while reading <stdin>; nothing was sent');
    expect(s.stats().revoke.calls).toBe(0);
  });

  it('SIGTERM while no writer has come (the open itself waits): exit INTERRUPTED', async () => {
    const s = await sandbox();
    const { args, env } = against(s);
    const path = fifo();
    const journal = join(tmp(), 'j.journal');
    const cli = start(revoke(path, '--journal', journal, ...args), env);
    await until(() => existsSync(`${journal}.lock`));
    cli.child.kill('SIGTERM');
    const r = await cli.done;
    expect(r.code).toBe(EXIT.INTERRUPTED);
    expect(s.stats().revoke.calls).toBe(0);
  });
});
