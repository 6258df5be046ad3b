// Entry point. Only the commands' declarations and node: builtins load here, so `--help`, `--version`
// and usage errors stay fast; a command's run function, the client and the sandbox are imported when
// the command runs (in the published bundle they are separate chunks, see scripts/bundle.mjs).
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { CliError, seeHelp, usageError } from './cli-error.js';
import type { Command, OptionSpec, Values } from './commands/command.js';
import { COMMANDS } from './commands/index.js';
import { COMMON, CONNECTION, GLOBAL } from './commands/shared-options.js';
import { EXIT } from './exit-codes.js';
import { commandHelp, globalHelp, groupHelp } from './help.js';

type Options = Readonly<Record<string, OptionSpec>>;

/** Every option of every command: the lenient pass reads them all. */
const ALL: Options = Object.assign({}, ...COMMANDS.map((c) => c.options), CONNECTION, COMMON, GLOBAL);

/** What a command accepts. */
const optionsOf = (c: Command): Options => ({ ...c.options, ...(c.connection ? CONNECTION : {}), ...COMMON });

function parseOptions(argv: string[], specs: Options, strict: boolean) {
  const options: ParseArgsOptionsConfig = {};
  for (const [n, o] of Object.entries(specs)) options[n] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict });
  // No option is `multiple`, so no value is an array.
  return { values: values as Values, positionals };
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
    throw usageError(`unknown command ${JSON.stringify(positionals.join(' '))}; expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
  }

  // The strict pass: a command takes its own options only.
  let parsed;
  try {
    parsed = parseOptions(argv, optionsOf(command), true);
  } catch (e) {
    const unknown = /^Unknown option '(--?[^']+)'/.exec((e as Error).message)?.[1];
    const known = ([n, o]: [string, OptionSpec]) => `--${n}` === unknown || `-${o.short}` === unknown;
    if (unknown && Object.entries(ALL).some(known)) throw usageError(`${unknown} is not an option of ${command.name}`, command.name);
    throw usageError((e as Error).message, command.name);
  }
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
