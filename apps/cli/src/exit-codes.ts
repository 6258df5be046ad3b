// The CLI's exit codes: this table is the only place they are defined. --help prints it, the README's
// table is checked against it (test/exit-codes.test.ts), and every exit path returns one of its codes.

/** Each exit code, what it means, and what to do about it. */
export const EXIT_TABLE = [
  { name: 'OK', code: 0, meaning: 'all done: every id revoked or already not shared' },
  { name: 'ERROR', code: 1, meaning: "error: an answer that is not Zoho's (a login page, a redirect), or the counts did not add up" },
  { name: 'USAGE', code: 2, meaning: 'usage error: a bad flag, module, id or input file (missing, a directory, empty), or a journal of another job' },
  { name: 'AUTH', code: 3, meaning: 'authentication, scope or permission error (after one token refresh)' },
  { name: 'PARTIAL', code: 4, meaning: 'partial: some ids failed or some lines were invalid; --resume sends the failed ones again' },
  { name: 'BUSY', code: 5, meaning: 'a rerun of the module is already running' },
  { name: 'LOCKED', code: 6, meaning: 'another zcrm-sharing process holds the journal' },
  { name: 'CREDITS', code: 7, meaning: "the org's daily API credits are spent: --resume once they are back" },
  { name: 'UNREACHABLE', code: 8, meaning: 'Zoho unreachable: connections refused or timing out; --resume once it is back' },
  { name: 'IO', code: 9, meaning: 'the journal or its files could not be written (disk full, permissions); --resume once fixed' },
  { name: 'STILL_SHARED', code: 10, meaning: '--verify: a record Zoho said was revoked is still shared, or could not be read back (each listed)' },
  { name: 'WAIT_TIMEOUT', code: 11, meaning: 'rules rerun --wait: the computation had not finished within --wait-timeout-ms (it goes on in Zoho)' },
  { name: 'INTERRUPTED', code: 130, meaning: 'interrupted (Ctrl-C or SIGTERM); --resume to finish' },
] as const;

export type ExitName = (typeof EXIT_TABLE)[number]['name'];

/** `EXIT.USAGE` is 2, and so on. */
export const EXIT = Object.fromEntries(EXIT_TABLE.map((e) => [e.name, e.code])) as { readonly [E in (typeof EXIT_TABLE)[number] as E['name']]: E['code'] };

/** The table as --help prints it: the rows given (a command's), or all of them. */
export function exitCodesHelp(names?: readonly ExitName[]): string {
  const rows = names ? EXIT_TABLE.filter((e) => names.includes(e.name)) : EXIT_TABLE;
  const width = Math.max(...rows.map((e) => String(e.code).length));
  return `Exit codes:\n${rows.map((e) => `  ${String(e.code).padStart(width)}  ${e.meaning}`).join('\n')}`;
}
