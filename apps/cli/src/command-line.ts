// The exact command to run next, written from the one the user ran: the same arguments with some
// options changed, added or removed, quoted for a POSIX shell.
import type { OptionSpec } from './commands/command.js';
import shareRevoke from './commands/share-revoke.js';
import { COMMON, CONNECTION } from './commands/shared-options.js';

export type Changes = Record<string, string | true | null>;

const quote = (arg: string) => (/^[\w./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** `argv` (the arguments after the program) with each option of `changes` set to its value, added (`true`: a flag), or removed (`null`). */
export function commandWith(argv: readonly string[], options: Readonly<Record<string, OptionSpec>>, changes: Changes): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([^=]+)(=.*)?$/.exec(arg);
    if (!m || !(m[1]! in changes)) {
      out.push(arg);
      continue;
    }
    if (options[m[1]!]?.type === 'string' && m[2] === undefined) i++; // its value is the next argument
  }
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) continue;
    out.push(`--${name}`);
    if (value !== true) out.push(value);
  }
  return ['zcrm-sharing', ...out].map(quote).join(' ');
}

const REVOKE_OPTIONS: Readonly<Record<string, OptionSpec>> = { ...shareRevoke.options, ...CONNECTION, ...COMMON };

/** `share revoke` as typed (`argv`), changed; without argv (in process), from the job's own options. */
export function revokeCommand(argv: readonly string[] | undefined, job: { module: string; idsPath: string; journalPath: string }, changes: Changes): string {
  const base = argv?.length ? argv : ['share', 'revoke', '--module', job.module, '--ids-file', job.idsPath, '--journal', job.journalPath];
  return commandWith(base, REVOKE_OPTIONS, changes);
}
