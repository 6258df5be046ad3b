// Entry point. Only node: builtins load here, so `--help` and usage errors stay fast; the client and
// the sandbox are imported when a command runs.
import { parseArgs } from 'node:util';
import { EXIT } from './exit-codes.js';

export const HELP = `zcrm-sharing: rerun Zoho CRM data sharing rules and revoke record sharing, one record or millions

Usage:
  zcrm-sharing rules rerun  --module Leads [--wait]
  zcrm-sharing rules status --module Leads
  zcrm-sharing share revoke --module Contacts --id 4150868000001148212
  zcrm-sharing share revoke --module Contacts --ids-file ids.txt [--concurrency 4] [--resume] [--dry-run]
  zcrm-sharing config set [--client-id ID]      (reads the secret and refresh token from stdin)

Bulk revoke (--ids-file FILE, or - for stdin):
  one id per line; blank lines and # comments are ignored; a CSV with an id/record_id column works.
  Every line is validated first: bad lines are reported with their line numbers and not sent.
  --concurrency N   parallel calls (default 4, under the Free edition's limit of 5); lowered on 429
  --journal FILE    append-only journal of finished ids (default: FILE.journal beside the input)
  --resume          skip ids the journal lists as done; send the rest exactly once
  --dry-run         validate and count, send nothing
  "Nothing to revoke" counts as done. Ctrl-C finishes in-flight calls, writes the journal, exits 130.

Connection:
  --dc us|eu|in|au|jp|cn|ca|sa   data centre (default us)
  --environment production|sandbox|developer
  --api-version v8               (default v8)
  --base-url URL                 API base including /crm/{version}
  --token-url URL                OAuth token URL
  --sandbox                      run against an embedded local sandbox with demo data (no Zoho account)
  --timeout-ms N, --max-retries N

Credentials (never taken from flags, never printed):
  ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN,
  or the config file written by \`zcrm-sharing config set\` (mode 0600; $XDG_CONFIG_HOME/zcrm-sharing/config.json).

Output: a progress bar on a terminal, plain lines otherwise; --json prints one JSON object per result and
a summary on stdout. NO_COLOR is honoured.

Exit codes:
  0 all done   1 error   2 usage error   3 authentication, scope or permission error
  4 partial failure (some ids failed or were invalid)   5 a rerun is already running   130 interrupted
`;

export const OPTIONS = {
  module: { type: 'string' }, id: { type: 'string' }, 'ids-file': { type: 'string' }, wait: { type: 'boolean' },
  concurrency: { type: 'string' }, journal: { type: 'string' }, resume: { type: 'boolean' }, 'dry-run': { type: 'boolean' },
  dc: { type: 'string' }, environment: { type: 'string' }, 'api-version': { type: 'string' }, 'base-url': { type: 'string' },
  'token-url': { type: 'string' }, sandbox: { type: 'boolean' }, 'timeout-ms': { type: 'string' }, 'max-retries': { type: 'string' },
  json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'client-id': { type: 'string' },
  'sandbox-latency-ms': { type: 'string' }, 'sandbox-concurrency-limit': { type: 'string' }, 'poll-interval-ms': { type: 'string' },
} as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`zcrm-sharing: ${(e as Error).message}\nRun zcrm-sharing --help for usage.\n`);
    return EXIT.USAGE;
  }
  if (parsed.values.help || parsed.positionals.length === 0) {
    process.stdout.write(HELP);
    return parsed.values.help ? EXIT.OK : EXIT.USAGE;
  }
  const { run } = await import('./commands.js');
  return run(parsed.positionals, parsed.values);
}

process.exitCode = await main(process.argv.slice(2));
