import { defineCommand } from './command.js';
import { CONNECTION } from './shared-options.js';

export default defineCommand({
  name: 'config set',
  summary: 'save Zoho credentials for later runs',
  usage: ['[--client-id ID] [--dc eu]'],
  notes: 'Reads the client secret and the refresh token from stdin, one per line (the client id first, unless\n--client-id is given), and writes them to the config file with mode 0600.',
  options: {
    'client-id': { type: 'string', value: 'ID', help: 'Zoho client id (otherwise the first line of stdin)' },
    dc: CONNECTION.dc,
  },
  connection: false,
  exits: ['OK', 'ERROR', 'USAGE', 'IO'],
  run: async (ctx) => (await import('../config/set.js')).configSet(ctx),
});
