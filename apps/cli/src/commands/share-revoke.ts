import { EXIT } from '../exit-codes.js';
import { GRACE_MS } from '../interrupt.js';
import { defineCommand } from './command.js';
import { CONCURRENCY, MAX_CONCURRENCY, MODULE, RECORD_ID } from './shared-options.js';

export { MAX_CONCURRENCY_FLAG } from './shared-options.js';
/** --verify without --verify-sample: this share of the revoked records, at least 1, at most VERIFY_MAX. */
export const VERIFY_PERCENT = 1;
export const VERIFY_MAX = 100;

export default defineCommand({
  name: 'share revoke',
  summary: 'revoke the sharing of one record, or of millions from a file',
  usage: ['--module Contacts --id 4150868000001148212 [--journal FILE] [--no-backup] [--dry-run]', '--module Contacts --ids-file ids.txt [--concurrency auto|N] [--resume] [--dry-run]'],
  notes:
    'Bulk (--ids-file FILE, or - for stdin): one id per line (blank lines and # comments are ignored),\n' +
    "or a CSV such as Zoho's export (RFC 4180; zcrm_ ids; a Record Id column). The input is read once:\n" +
    'bad records are reported as FILE:LINE and not sent, duplicates are sent once. "Nothing to revoke"\n' +
    'counts as done. The run stops early on an answer about the job (unknown module, missing scope, a\n' +
    'refused token, no permission, spent API credits, Zoho unreachable), saying the command to run next.\n' +
    `Ctrl-C: no new calls; calls in flight get ${GRACE_MS / 1000} s to finish and be journalled, then are cancelled;\n` +
    `exit ${EXIT.INTERRUPTED}. Run again with --resume to finish.\n` +
    'One record (--id ID): its shares are read and journalled first, then revoked (two API credits);\n' +
    'share restore --journal FILE puts them back. The journal is MODULE-ID.revoke.journal in the current\n' +
    'directory, or --journal FILE, created new (an existing file is refused). --no-backup: the DELETE alone.',
  options: {
    module: MODULE,
    id: RECORD_ID,
    'ids-file': { type: 'string', value: 'FILE', help: "ids to revoke, one per line, or a CSV such as Zoho's export (comma, semicolon or tab; zcrm_ ids); - reads stdin" },
    'id-column': { type: 'string', value: 'NAME', bulkOnly: true, help: "the CSV header's column holding the record ids (default: Record Id, id, record_id or recordid, else the module in capitals plus ID such as CONTACTID; any case)" },
    concurrency: CONCURRENCY,
    'max-concurrency': MAX_CONCURRENCY,
    journal: {
      type: 'string',
      value: 'FILE',
      help: 'the ledger of the job: its header, then one line per finished id (default: FILE.journal beside the input; with --id, MODULE-ID.revoke.journal in the current directory, created new)',
    },
    resume: { type: 'boolean', bulkOnly: true, help: 'continue the job of --journal (it must exist and be for the same module, API and input): skip what is done, send the rest' },
    'no-backup': {
      type: 'boolean',
      help: "skip reading and journalling each record's shares before its DELETE (one API credit per record instead of two; share restore then has nothing to put back; with --id, no journal is written)",
    },
    plan: {
      type: 'boolean',
      bulkOnly: true,
      help: "read-only: read every record's shares and report who they are shared with (per recipient, the top ones named) and the calls and credits the real run will take",
    },
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
