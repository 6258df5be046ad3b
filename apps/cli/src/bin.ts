// Entry point. Only the commands' declarations and node: builtins load here, so `--help`, `--version`
// and usage errors stay fast; a command's run function, the client and the sandbox are imported when
// the command runs (in the published bundle they are separate chunks, see scripts/bundle.mjs).
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { CliError, seeHelp, usageError } from './cli-error.js';
import type { Command, OptionSpec, Values } from './commands/command.js';
import { COMMANDS } from './commands/index.js';
import { COMMON, CONNECTION, GLOBAL } from './commands/shared-options.js';
import { closest } from './did-you-mean.js';
import { EXIT } from './exit-codes.js';
import { commandHelp, globalHelp, groupHelp } from './help.js';

type Options = Readonly<Record<string, OptionSpec>>;

/** Every option of every command: the lenient pass reads them all. */
const ALL: Options = Object.assign({}, ...COMMANDS.map((c) => c.options), CONNECTION, COMMON, GLOBAL);

/** What a command accepts. */
const optionsOf = (c: Command): Options => ({ ...c.options, ...(c.connection ? CONNECTION : {}), ...COMMON });

function parseOptions(argv: string[], specs: Options, strict: boolean, command?: Command) {
  const options: ParseArgsOptionsConfig = {};
  for (const [n, o] of Object.entries(specs)) options[n] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict });
    // No option is `multiple`, so no value is an array.
    return { values: values as Values, positionals };
  } catch (e) {
    throw optionError(e as Error & { code?: string }, specs, command);
  }
}

/** parseArgs' refusal in our words (its own text quotes unevenly and suggests `--`), with "did you mean". */
function optionError(e: Error & { code?: string }, specs: Options, command: Command | undefined): Error {
  const name = command?.name ?? '';
  const flag = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = ([n, o]: [string, OptionSpec]) => `--${n}` === flag || `-${o.short}` === flag;
    if (command && Object.entries(ALL).some(known)) return usageError(`${flag} is not an option of ${name}`, name);
    const near = closest(flag.replace(/^-+/, ''), Object.keys(specs));
    return usageError(`unknown option ${flag}${name ? ` for ${name}` : ''}${near ? `; did you mean --${near}?` : ''}`, name);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const spec = specs[flag.replace(/^-+/, '')];
    return usageError(spec?.type === 'boolean' ? `${flag} takes no value` : `${flag} needs a value${spec?.value ? ` (${spec.value})` : ''}`, name);
  }
  return usageError(e.message.replace(/'/g, ''), name);
}

async function main(argv: string[]): Promise<number> {
  // A lenient pass finds the command and --help / --version whatever else is on the line.
  const loose = parseOptions(argv, ALL, false);
  const { positionals } = loose;
  if (loose.values.version) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return EXIT.OK;
  }
  const name = positionals.slice(0, 2).join(' ');
  const command = COMMANDS.find((c) => c.name === name);
  const isGroup = positionals.length === 1 && COMMANDS.some((c) => c.name.startsWith(`${positionals[0]} `));
  if (loose.values.help || positionals.length === 0) {
    process.stdout.write(command ? commandHelp(command) : isGroup ? groupHelp(positionals[0]!) : globalHelp());
    return loose.values.help ? EXIT.OK : EXIT.USAGE;
  }
  if (isGroup) {
    process.stderr.write(`zcrm-sharing: ${positionals[0]} needs a command\n\n${groupHelp(positionals[0]!)}`);
    return EXIT.USAGE;
  }
  if (!command) {
    const names = COMMANDS.map((c) => c.name);
    const typed = positionals.slice(0, 2).join(' ');
    const near = closest(typed, names);
    throw usageError(`unknown command ${JSON.stringify(typed)}; ${near ? `did you mean ${near}? ` : ''}expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
  }

  // The strict pass: a command takes its own options only.
  const parsed = parseOptions(argv, optionsOf(command), true, command);
  if (parsed.positionals.length > 2) throw usageError(`unexpected argument ${JSON.stringify(parsed.positionals[2])}`, command.name);
  const { runCommand } = await import('./run-command.js');
  return runCommand(command, parsed.values, argv);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Before a command runs: a usage error (its own catch reports everything after).
  const helpFor = e instanceof CliError ? e.helpFor : '';
  process.stderr.write(`zcrm-sharing: ${(e as Error).message}\n${seeHelp(helpFor)}\n`);
  process.exitCode = EXIT.USAGE;
}
