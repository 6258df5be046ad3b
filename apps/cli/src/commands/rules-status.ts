import { defineCommand } from './command.js';
import { MODULE } from './shared-options.js';

export default defineCommand({
  name: 'rules status',
  summary: "show whether a module's data sharing rules are being computed",
  usage: ['--module Leads'],
  notes: 'Prints "computing" or "idle" on stdout (with --json, a status object).',
  options: { module: MODULE },
  connection: true,
  exits: ['OK', 'ERROR', 'USAGE', 'AUTH', 'UNREACHABLE', 'INTERRUPTED'],
  run: async (ctx) => (await import('../rules/status.js')).status(ctx),
});
