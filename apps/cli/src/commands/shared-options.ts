// Options more than one command takes, each declared once with its default.
import { AUTO_START, DEFAULT_MAX_CONCURRENCY } from '../bulk/limiter.js';
import type { OptionSpec } from './command.js';

/** The most calls in flight a flag may ask for (Ultimate's limit is 25; a custom limit may be more). */
export const MAX_CONCURRENCY_FLAG = 100;

/** Bulk runs (share revoke --ids-file, share restore): parallel calls. */
export const CONCURRENCY: OptionSpec = {
  type: 'string',
  value: 'N',
  bulkOnly: true,
  min: 1,
  max: MAX_CONCURRENCY_FLAG,
  help: `parallel calls: auto (default) starts at ${AUTO_START} (the Free edition's limit), grows while Zoho accepts, settles under its first 429; N pins it`,
};
export const MAX_CONCURRENCY: OptionSpec = {
  type: 'string',
  value: 'N',
  bulkOnly: true,
  default: DEFAULT_MAX_CONCURRENCY,
  min: 1,
  max: MAX_CONCURRENCY_FLAG,
  help: "the most --concurrency auto tries (default {default}, the Ultimate edition's limit)",
};

export const MODULE: OptionSpec = { type: 'string', value: 'NAME', help: "the module's API name: Leads, Contacts, Price_Books, or a custom module such as Projects_X" };
export const RECORD_ID: OptionSpec = { type: 'string', value: 'ID', help: 'one record id (1 to 19 digits)' };

/** Where the calls go and how: every command that talks to Zoho (or the embedded sandbox) takes these. */
export const CONNECTION = {
  dc: { type: 'string', value: 'DC', help: 'data centre: us, eu, in, au, jp, cn, ca or sa (default: the one saved by config set, else us)' },
  environment: { type: 'string', value: 'ENV', help: 'kind of Zoho org: production, sandbox or developer (default production)' },
  'api-version': { type: 'string', value: 'V', help: 'API version (default v8; the rule endpoints exist from v8 only)' },
  'base-url': { type: 'string', value: 'URL', help: 'API base URL including /crm/{version}, instead of --dc and --environment' },
  'token-url': { type: 'string', value: 'URL', help: "OAuth token URL (default: the data centre's)" },
  'timeout-ms': { type: 'string', value: 'N', default: 30_000, min: 1, max: 3_600_000, help: 'time limit of each attempt (default {default})' },
  'max-retries': { type: 'string', value: 'N', default: 2, min: 0, max: 20, help: 'retries on 429, 5xx and connection errors (default {default})' },
  sandbox: { type: 'boolean', help: 'run against an embedded local sandbox with demo data: no Zoho account, no credentials (not with --base-url or --token-url)' },
  'sandbox-latency-ms': { type: 'string', value: 'N', default: 0, min: 0, max: 60_000, help: 'with --sandbox: latency added to every call (default {default})' },
  'sandbox-concurrency-limit': { type: 'string', value: 'N', min: 1, max: 1000, help: 'with --sandbox: calls in flight before it answers 429 (default: no limit)' },
} as const satisfies Record<string, OptionSpec>;

/** Every command takes these. */
export const COMMON = {
  json: { type: 'boolean', help: 'one JSON object per result, then a summary, on stdout' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const satisfies Record<string, OptionSpec>;

/** Only on the bare command line. */
export const GLOBAL = {
  version: { type: 'boolean', short: 'v', help: 'print the version' },
} as const satisfies Record<string, OptionSpec>;
