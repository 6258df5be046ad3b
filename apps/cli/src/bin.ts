// Entry point. Only node: builtins load here, so `--help`, `--version` and usage errors stay fast; the
// client and the sandbox are imported when a command runs (in the published bundle they are a separate
// chunk, see scripts/bundle.mjs).
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { EXIT, exitCodesHelp } from './exit-codes.js';
import { GRACE_MS } from './interrupt.js';
import { AUTO_START, DEFAULT_MAX_CONCURRENCY } from './limiter.js';

type OptionName = keyof typeof OPTIONS;
interface Option {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder for the value in help. */
  value?: string;
  help: string;
}

/** Every option, described once; each command lists the ones it takes. */
const OPTIONS = {
  module: { type: 'string', value: 'NAME', help: "the module's API name: Leads, Contacts, Price_Books, or a custom module such as Projects_X" },
  wait: { type: 'boolean', help: 'wait until the computation finishes (polls the rule summary with backoff; a spinner on a terminal)' },
  'poll-interval-ms': { type: 'string', value: 'N', help: 'first pause between polls with --wait (default 500; grows 1.5x up to 5000)' },
  'wait-timeout-ms': { type: 'string', value: 'N', help: 'with --wait: stop waiting after N ms (default 1800000, 30 min; each poll costs an API credit), exit 11' },
  id: { type: 'string', value: 'ID', help: 'one record id (1 to 19 digits)' },
  'ids-file': { type: 'string', value: 'FILE', help: 'ids to revoke, one per line (or a CSV with an id / Record Id column); - reads stdin' },
  'id-column': { type: 'string', value: 'NAME', help: "the CSV header's column holding the record ids (default: one named id, record id or record_id, any case)" },
  concurrency: {
    type: 'string',
    value: 'N',
    help: `parallel calls: auto (default) starts at ${AUTO_START} (the Free edition's limit), grows while Zoho accepts, settles under its first 429; N pins it`,
  },
  'max-concurrency': { type: 'string', value: 'N', help: `the most --concurrency auto tries (default ${DEFAULT_MAX_CONCURRENCY}, the Ultimate edition's limit)` },
  journal: { type: 'string', value: 'FILE', help: 'the ledger of the job: its header, then one line per finished id (default: FILE.journal beside the input)' },
  resume: { type: 'boolean', help: 'continue the job of --journal (it must exist and be for the same module, API and input): skip what is done, send the rest' },
  'dry-run': { type: 'boolean', help: 'validate and count, send nothing' },
  verify: {
    type: 'boolean',
    help: 'after the revokes, read back a sample of the revoked records (1%, at least 1, at most 100; with --id, that record): any still shared is listed, exit 10',
  },
  'verify-sample': { type: 'string', value: 'N', help: 'with --ids-file: the sample --verify reads back, a count (N) or a share of the revoked records (N%); implies --verify' },
  dc: { type: 'string', value: 'DC', help: 'data centre: us, eu, in, au, jp, cn, ca or sa (default: the one saved by config set, else us)' },
  environment: { type: 'string', value: 'ENV', help: 'kind of Zoho org: production, sandbox or developer (default production)' },
  'api-version': { type: 'string', value: 'V', help: 'API version (default v8; the rule endpoints exist from v8 only)' },
  'base-url': { type: 'string', value: 'URL', help: 'API base URL including /crm/{version}, instead of --dc and --environment' },
  'token-url': { type: 'string', value: 'URL', help: "OAuth token URL (default: the data centre's)" },
  'timeout-ms': { type: 'string', value: 'N', help: 'time limit of each attempt (default 30000)' },
  'max-retries': { type: 'string', value: 'N', help: 'retries on 429, 5xx and connection errors (default 2)' },
  sandbox: { type: 'boolean', help: 'run against an embedded local sandbox with demo data: no Zoho account, no credentials (not with --base-url or --token-url)' },
  'sandbox-latency-ms': { type: 'string', value: 'N', help: 'with --sandbox: latency added to every call (default 0)' },
  'sandbox-concurrency-limit': { type: 'string', value: 'N', help: 'with --sandbox: calls in flight before it answers 429 (default: no limit)' },
  'client-id': { type: 'string', value: 'ID', help: 'Zoho client id (otherwise the first line of stdin)' },
  json: { type: 'boolean', help: 'one JSON object per result, then a summary, on stdout' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  version: { type: 'boolean', short: 'v', help: 'print the version' },
} as const satisfies Record<string, Option>;

const CONNECTION: OptionName[] = [
  'dc', 'environment', 'api-version', 'base-url', 'token-url', 'timeout-ms', 'max-retries',
  'sandbox', 'sandbox-latency-ms', 'sandbox-concurrency-limit',
];

interface Command {
  summary: string;
  usage: string[];
  notes?: string;
  options: OptionName[];
  /** Options shared with other commands, shown under their own heading. */
  connection: boolean;
}

const COMMANDS: Record<string, Command> = {
  'rules rerun': {
    summary: 'rerun the data sharing rules of a module',
    usage: ['--module Leads [--wait]'],
    notes: 'Schedules a recomputation of every data sharing rule of the module. If one is already running,\nZoho answers CANNOT_PROCESS: reported as "a rerun is already running", exit code 5.',
    options: ['module', 'wait', 'poll-interval-ms', 'wait-timeout-ms'],
    connection: true,
  },
  'rules status': {
    summary: "show whether a module's data sharing rules are being computed",
    usage: ['--module Leads'],
    notes: 'Prints "computing" or "idle" on stdout (with --json, a status object).',
    options: ['module'],
    connection: true,
  },
  'share revoke': {
    summary: 'revoke the sharing of one record, or of millions from a file',
    usage: ['--module Contacts --id 4150868000001148212', '--module Contacts --ids-file ids.txt [--concurrency auto|N] [--resume] [--dry-run]'],
    notes:
      'Bulk (--ids-file FILE, or - for stdin): one id per line; blank lines and # comments are ignored;\n' +
      'a CSV with an id / Record Id column works. The input is read once: bad lines are reported as\n' +
      'FILE:LINE and not sent, duplicates are sent once. "Nothing to revoke" counts as done. The run\n' +
      "stops early on an answer about the job (unknown module, missing scope, a refused token, no\n" +
      `permission, spent API credits, Zoho unreachable). Ctrl-C: no new calls; calls in flight get ${GRACE_MS / 1000} s\n` +
      `to finish and be journalled, then are cancelled; exit ${EXIT.INTERRUPTED}. Run again with --resume to finish.`,
    options: ['module', 'id', 'ids-file', 'id-column', 'concurrency', 'max-concurrency', 'journal', 'resume', 'dry-run', 'verify', 'verify-sample'],
    connection: true,
  },
  'share show': {
    summary: 'show who one record is shared with',
    usage: ['--module Contacts --id 4150868000001148212'],
    notes: 'Prints each share (user, role or group; permission; since when; by whom) on stdout, or "not shared"\nwhen Zoho answers 204 (with --json, one object with the shares as Zoho lists them).',
    options: ['module', 'id'],
    connection: true,
  },
  'config set': {
    summary: 'save Zoho credentials for later runs',
    usage: ['[--client-id ID] [--dc eu]'],
    notes: 'Reads the client secret and the refresh token from stdin, one per line (the client id first, unless\n--client-id is given), and writes them to the config file with mode 0600.',
    options: ['client-id', 'dc'],
    connection: false,
  },
};

const COMMON: OptionName[] = ['json', 'help'];

const CREDENTIALS = `Credentials (never taken from flags, never printed):
  ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN,
  or the config file written by \`zcrm-sharing config set\`
  ($XDG_CONFIG_HOME/zcrm-sharing/config.json, mode 0600).`;

const EXIT_CODES = exitCodesHelp();

const COLUMNS = 100;

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Two columns, the option and its help, wrapped to COLUMNS. */
function optionLines(names: OptionName[]): string {
  const labels = names.map((n) => {
    const o: Option = OPTIONS[n];
    return `${o.short ? `-${o.short}, ` : ''}--${n}${o.value ? ` ${o.value}` : ''}`;
  });
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const indent = ' '.repeat(2 + width);
  return labels
    .map((label, i) => {
      const [first, ...more] = wrap(OPTIONS[names[i]!].help, COLUMNS - indent.length);
      return [`  ${label.padEnd(width)}${first}`, ...more.map((l) => `${indent}${l}`)].join('\n');
    })
    .join('\n');
}

const usageLines = (name: string, c: Command) => c.usage.map((u) => `  zcrm-sharing ${name} ${u}`).join('\n');

function globalHelp(): string {
  const commands = Object.entries(COMMANDS).map(([name, c]) => usageLines(name, c)).join('\n');
  return `zcrm-sharing: rerun Zoho CRM data sharing rules and revoke record sharing, one record or millions

Usage:
${commands}

  zcrm-sharing <command> --help   a command's options (connection, --sandbox, bulk)
  zcrm-sharing --version

No Zoho account? Add --sandbox to any rules or share command: an embedded sandbox with demo data.

${CREDENTIALS}

Output: a progress bar on a terminal, plain lines otherwise; --json prints one JSON object per
result and a summary on stdout. NO_COLOR is honoured.

${EXIT_CODES}
`;
}

function commandHelp(name: string, c: Command): string {
  const sections = [
    `zcrm-sharing ${name}: ${c.summary}`,
    `Usage:\n${usageLines(name, c)}`,
    ...(c.notes ? [c.notes] : []),
    `Options:\n${optionLines(c.options)}`,
    ...(c.connection ? [`Connection:\n${optionLines(CONNECTION)}`, CREDENTIALS] : []),
    `Output:\n${optionLines(COMMON)}`,
    EXIT_CODES,
  ];
  return `${sections.join('\n\n')}\n`;
}

/** The commands of one group (`zcrm-sharing rules`): its --help, or the usage error without a command. */
function groupHelp(group: string): string {
  const names = Object.keys(COMMANDS).filter((n) => n.startsWith(`${group} `));
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines = names.map((n) => `  zcrm-sharing ${n.padEnd(width)}${COMMANDS[n]!.summary}`);
  return `Commands of zcrm-sharing ${group}:\n${lines.join('\n')}\n\nRun zcrm-sharing ${group} <command> --help for a command's options.\n`;
}

function parseOptions(argv: string[], names: OptionName[], strict: boolean) {
  const options: ParseArgsOptionsConfig = {};
  for (const n of names) {
    const o: Option = OPTIONS[n];
    options[n] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  }
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict });
  // No option is `multiple`, so no value is an array.
  return { values: values as Record<string, string | boolean | undefined>, positionals };
}

const ALL = Object.keys(OPTIONS) as OptionName[];

function usageError(message: string, helpFor = ''): number {
  process.stderr.write(`zcrm-sharing: ${message}\nRun zcrm-sharing ${helpFor ? `${helpFor} ` : ''}--help for usage.\n`);
  return EXIT.USAGE;
}

async function main(argv: string[]): Promise<number> {
  // A lenient pass finds the command and --help / --version whatever else is on the line.
  let loose;
  try {
    loose = parseOptions(argv, ALL, false);
  } catch (e) {
    return usageError((e as Error).message);
  }
  const { positionals } = loose;
  if (loose.values.version) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return EXIT.OK;
  }
  const name = positionals.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  const isGroup = positionals.length === 1 && Object.keys(COMMANDS).some((n) => n.startsWith(`${positionals[0]} `));
  if (loose.values.help || positionals.length === 0) {
    process.stdout.write(command ? commandHelp(name, command) : isGroup ? groupHelp(positionals[0]!) : globalHelp());
    return loose.values.help ? EXIT.OK : EXIT.USAGE;
  }
  if (isGroup) {
    process.stderr.write(`zcrm-sharing: ${positionals[0]} needs a command\n\n${groupHelp(positionals[0]!)}`);
    return EXIT.USAGE;
  }

  // The strict pass: a command takes its own options only.
  const allowed = command ? [...command.options, ...(command.connection ? CONNECTION : []), ...COMMON] : ALL;
  let parsed;
  try {
    parsed = parseOptions(argv, allowed, true);
  } catch (e) {
    const unknown = /^Unknown option '(--?[^']+)'/.exec((e as Error).message)?.[1];
    const known = (n: OptionName) => `--${n}` === unknown || `-${(OPTIONS[n] as Option).short}` === unknown;
    if (command && unknown && ALL.some(known)) {
      return usageError(`${unknown} is not an option of ${name}`, name);
    }
    return usageError((e as Error).message, command ? name : '');
  }
  const { run } = await import('./commands.js');
  return run(parsed.positionals, parsed.values);
}

process.exitCode = await main(process.argv.slice(2));
