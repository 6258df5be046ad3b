import { defineCommand } from './command.js';
import { MODULE, RECORD_ID } from './shared-options.js';

export default defineCommand({
  name: 'share show',
  summary: 'show who one record is shared with',
  usage: ['--module Contacts --id 4150868000001148212', '--module Contacts --id 4150868000001148212 --shared-to 4150868000000224005'],
  notes: 'Prints each share (user, role or group; permission; since when; by whom) on stdout, or "not shared"\nwhen Zoho answers 204 (with --json, one object with the shares as Zoho lists them). With --shared-to,\nonly that user\'s shares (Zoho\'s sharedTo).',
  options: { module: MODULE, id: RECORD_ID, 'shared-to': { type: 'string', value: 'USER_ID', help: "only the shares of this user (a user id of 1 to 19 digits)" } },
  connection: true,
  exits: ['OK', 'ERROR', 'USAGE', 'AUTH', 'UNREACHABLE', 'INTERRUPTED'],
  run: async (ctx) => (await import('../share/show.js')).show(ctx),
});
