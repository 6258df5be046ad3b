// The help pages, built from the commands' declarations (commands/) and the exit-code table: nothing
// here names a command, an option or a default of its own.
import type { Command, OptionSpec } from './commands/command.js';
import { helpOf } from './commands/command.js';
import { COMMANDS } from './commands/index.js';
import { COMMON, CONNECTION } from './commands/shared-options.js';
import { exitCodesHelp } from './exit-codes.js';

const CREDENTIALS = `Credentials (never taken from flags, never printed):
  ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN,
  or the config file written by \`zcrm-sharing config set\`
  ($XDG_CONFIG_HOME/zcrm-sharing/config.json, mode 0600).`;

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
  if (line) lines.push(line);
  return lines;
}

/** Two columns, the option and its help, wrapped to COLUMNS. */
function optionLines(options: Readonly<Record<string, OptionSpec>>): string {
  const entries = Object.entries(options);
  const labels = entries.map(([n, o]) => `${o.short ? `-${o.short}, ` : ''}--${n}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const indent = ' '.repeat(2 + width);
  return labels
    .map((label, i) => {
      const [first, ...more] = wrap(helpOf(entries[i]![1]), COLUMNS - indent.length);
      return [`  ${label.padEnd(width)}${first}`, ...more.map((l) => `${indent}${l}`)].join('\n');
    })
    .join('\n');
}

const usageLines = (c: Command) => c.usage.map((u) => `  zcrm-sharing ${c.name} ${u}`).join('\n');

export function globalHelp(): string {
  return `zcrm-sharing: rerun Zoho CRM data sharing rules and revoke record sharing, one record or millions

Usage:
${COMMANDS.map(usageLines).join('\n')}

  zcrm-sharing <command> --help   a command's options (connection, --sandbox, bulk)
  zcrm-sharing --version

No Zoho account? Add --sandbox to any rules or share command: an embedded sandbox with demo data.

${CREDENTIALS}

Output: a progress bar on a terminal, plain lines otherwise; --json prints one JSON object per
result and a summary on stdout. NO_COLOR is honoured.

${exitCodesHelp()}
`;
}

export function commandHelp(c: Command): string {
  const sections = [
    `zcrm-sharing ${c.name}: ${c.summary}`,
    `Usage:\n${usageLines(c)}`,
    ...(c.notes ? [c.notes] : []),
    `Options:\n${optionLines(c.options)}`,
    ...(c.connection ? [`Connection:\n${optionLines(CONNECTION)}`, CREDENTIALS] : []),
    `Output:\n${optionLines(COMMON)}`,
    exitCodesHelp(c.exits),
  ];
  return `${sections.join('\n\n')}\n`;
}

/** The commands of one group (`zcrm-sharing rules`): its --help, or the usage error without a command. */
export function groupHelp(group: string): string {
  const commands = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const lines = commands.map((c) => `  zcrm-sharing ${c.name.padEnd(width)}${c.summary}`);
  return `Commands of zcrm-sharing ${group}:\n${lines.join('\n')}\n\nRun zcrm-sharing ${group} <command> --help for a command's options.\n`;
}
