// What a command is: its name, its options (each with its default), the exit codes it can return, and
// its run function, imported only when the command runs. Each file beside this one declares one
// command; index.ts lists them; bin.ts and help.ts read nothing else. Light on purpose: bin.ts loads
// every declaration to parse a command line or print help, so nothing here imports the client.
import type { ExitName } from '../exit-codes.js';
import type { Interrupt } from '../interrupt.js';
import type { Output } from '../output.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder for the value in help. */
  value?: string;
  /** The help line; `{default}` is replaced by the default, so the number is written once. */
  help: string;
  /** The value when the option is not given (numbers: what int() returns). */
  default?: number;
  /** The range a whole-number option accepts. */
  min?: number;
  max?: number;
  /** Only with a bulk run (`--ids-file`): refused with `--id` rather than ignored. */
  bulkOnly?: boolean;
}

export type Values = Record<string, string | boolean | undefined>;

/** What a command's run function gets. */
export interface RunContext {
  values: Values;
  /** The arguments as typed (after the program): messages write the next command from them. */
  argv: readonly string[];
  out: Output;
  interrupt: Interrupt;
  /** Replaces the generic note printed on the first Ctrl-C (a command that says itself where it stopped). */
  onInterrupt(fn: (graceMs: number) => void): void;
}

export interface Command {
  /** `group action`, as typed. */
  name: string;
  summary: string;
  usage: string[];
  notes?: string;
  options: Record<string, OptionSpec>;
  /** Whether the connection options (--dc, --sandbox, ...) and the credentials apply. */
  connection: boolean;
  /** The exit codes this command can return (its help lists these, from the one table). */
  exits: readonly ExitName[];
  run(ctx: RunContext): Promise<number>;
}

export const defineCommand = <C extends Command>(c: C): C => c;

/** The help line of an option, its default written in. */
export const helpOf = (o: OptionSpec) => o.help.replace('{default}', String(o.default));
