import { EXIT } from '../exit-codes.js';
import { GRACE_MS } from '../interrupt.js';
import { defineCommand } from './command.js';
import { VERIFY_MAX } from './share-revoke.js';
import { CONCURRENCY, MAX_CONCURRENCY } from './shared-options.js';

export default defineCommand({
  name: 'share restore',
  summary: 'undo a share revoke (--ids-file or --id): share each record again with exactly what its journal backed up',
  usage: ['--journal ids.txt.journal [--ids-file FILE] [--merge] [--dry-run] [--verify]'],
  notes:
    'Reads the backups a share revoke journalled (every record\'s shares, read before its DELETE) and, per\n' +
    'record, reads its shares now (GET) and sends the missing ones (POST share: at most 20 entries per call,\n' +
    'a public entry alone, within 10 users, 5 roles and 5 groups per record): two API credits per record.\n' +
    'A record shared again since the revoke is reported and left alone, unless --merge. Entries shared\n' +
    'through another record are reported, never restored. Its own journal, JOURNAL.restore, makes it\n' +
    `resumable and exactly once: run the same command again to continue. Ctrl-C: calls in flight get ${GRACE_MS / 1000} s;\n` +
    `exit ${EXIT.INTERRUPTED}.`,
  options: {
    journal: { type: 'string', value: 'FILE', help: 'the journal of the share revoke to undo (its restore journal is FILE.restore)' },
    'ids-file': { type: 'string', value: 'FILE', help: 'restore only these records (one id per line, or a CSV such as Zoho\'s export); - reads stdin' },
    merge: { type: 'boolean', help: 'a record shared again since the revoke: add the backed-up shares it lacks (default: leave it alone)' },
    concurrency: CONCURRENCY,
    'max-concurrency': MAX_CONCURRENCY,
    'dry-run': { type: 'boolean', help: 'read the journal, count records, shares and API credits; send nothing' },
    verify: { type: 'boolean', help: `after the restore, read back the records restored (a sample of ${VERIFY_MAX} when there are more): any without its backed-up shares is listed, exit ${EXIT.STILL_SHARED}` },
  },
  connection: true,
  exits: ['OK', 'ERROR', 'USAGE', 'AUTH', 'PARTIAL', 'LOCKED', 'CREDITS', 'UNREACHABLE', 'IO', 'STILL_SHARED', 'INTERRUPTED'],
  run: async (ctx) => (await import('../share/restore.js')).restore(ctx),
});
