import { EXIT } from '../exit-codes.js';
import { defineCommand } from './command.js';
import { MODULE } from './shared-options.js';

/** Polls back off 1.5x per poll up to this. */
export const MAX_POLL_MS = 5000;

export default defineCommand({
  name: 'rules rerun',
  summary: 'rerun the data sharing rules of a module',
  usage: ['--module Leads [--wait]'],
  notes: `Schedules a recomputation of every data sharing rule of the module. If one is already running,\nZoho answers CANNOT_PROCESS: reported as "a rerun is already running", exit code ${EXIT.BUSY}.`,
  options: {
    module: MODULE,
    wait: { type: 'boolean', help: 'wait until the computation finishes (polls the rule summary with backoff; a spinner on a terminal)' },
    'poll-interval-ms': { type: 'string', value: 'N', default: 500, min: 10, max: 60_000, help: `first pause between polls with --wait (default {default}; grows 1.5x up to ${MAX_POLL_MS})` },
    'wait-timeout-ms': {
      type: 'string',
      value: 'N',
      default: 30 * 60_000,
      min: 1,
      max: 24 * 3_600_000,
      help: `with --wait: stop waiting after N ms (default {default}; each poll costs an API credit), exit ${EXIT.WAIT_TIMEOUT}`,
    },
  },
  connection: true,
  exits: ['OK', 'ERROR', 'USAGE', 'AUTH', 'BUSY', 'UNREACHABLE', 'WAIT_TIMEOUT', 'INTERRUPTED'],
  run: async (ctx) => (await import('../rules/rerun.js')).rerun(ctx),
});
