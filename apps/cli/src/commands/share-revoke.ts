import { AUTO_START, DEFAULT_MAX_CONCURRENCY } from '../bulk/limiter.js';
import { EXIT } from '../exit-codes.js';
import { GRACE_MS } from '../interrupt.js';
import { defineCommand } from './command.js';
import { MODULE, RECORD_ID } from './shared-options.js';

/** The most calls in flight a flag may ask for (Ultimate's limit is 25; a custom limit may be more). */
export const MAX_CONCURRENCY_FLAG = 100;
/** --verify without --verify-sample: this share of the revoked records, at least 1, at most VERIFY_MAX. */
export const VERIFY_PERCENT = 1;
export const VERIFY_MAX = 100;

export default defineCommand({
  name: 'share revoke',
  summary: 'revoke the sharing of one record, or of millions from a file',
  usage: ['--module Contacts --id 4150868000001148212', '--module Contacts --ids-file ids.txt [--concurrency auto|N] [--resume] [--dry-run]'],
  notes:
    'Bulk (--ids-file FILE, or - for stdin): one id per line; blank lines and # comments are ignored;\n' +
    'a CSV with an id / Record Id column works. The input is read once: bad lines are reported as\n' +
    'FILE:LINE and not sent, duplicates are sent once. "Nothing to revoke" counts as done. The run\n' +
    'stops early on an answer about the job (unknown module, missing scope, a refused token, no\n' +
    `permission, spent API credits, Zoho unreachable). Ctrl-C: no new calls; calls in flight get ${GRACE_MS / 1000} s\n` +
    `to finish and be journalled, then are cancelled; exit ${EXIT.INTERRUPTED}. Run again with --resume to finish.`,
  options: {
    module: MODULE,
    id: RECORD_ID,
    'ids-file': { type: 'string', value: 'FILE', help: 'ids to revoke, one per line (or a CSV with an id / Record Id column); - reads stdin' },
    'id-column': { type: 'string', value: 'NAME', bulkOnly: true, help: "the CSV header's column holding the record ids (default: one named id, record id or record_id, any case)" },
    concurrency: {
      type: 'string',
      value: 'N',
      bulkOnly: true,
      min: 1,
      max: MAX_CONCURRENCY_FLAG,
      help: `parallel calls: auto (default) starts at ${AUTO_START} (the Free edition's limit), grows while Zoho accepts, settles under its first 429; N pins it`,
    },
    'max-concurrency': {
      type: 'string',
      value: 'N',
      bulkOnly: true,
      default: DEFAULT_MAX_CONCURRENCY,
      min: 1,
      max: MAX_CONCURRENCY_FLAG,
      help: "the most --concurrency auto tries (default {default}, the Ultimate edition's limit)",
    },
    journal: { type: 'string', value: 'FILE', bulkOnly: true, help: 'the ledger of the job: its header, then one line per finished id (default: FILE.journal beside the input)' },
    resume: { type: 'boolean', bulkOnly: true, help: 'continue the job of --journal (it must exist and be for the same module, API and input): skip what is done, send the rest' },
    'dry-run': { type: 'boolean', help: 'validate and count, send nothing' },
    verify: {
      type: 'boolean',
      help: `after the revokes, read back a sample of the revoked records (${VERIFY_PERCENT}%, at least 1, at most ${VERIFY_MAX}; with --id, that record): any still shared is listed, exit ${EXIT.STILL_SHARED}`,
    },
    'verify-sample': { type: 'string', value: 'N', bulkOnly: true, help: 'with --ids-file: the sample --verify reads back, a count (N) or a share of the revoked records (N%); implies --verify' },
  },
  connection: true,
  exits: ['OK', 'ERROR', 'USAGE', 'AUTH', 'PARTIAL', 'LOCKED', 'CREDITS', 'UNREACHABLE', 'IO', 'STILL_SHARED', 'INTERRUPTED'],
  run: async (ctx) => (await import('../share/revoke.js')).revoke(ctx),
});
