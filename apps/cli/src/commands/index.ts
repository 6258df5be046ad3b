// Every command. Adding one: its file beside this one, and its line here.
import type { Command } from './command.js';
import configSet from './config-set.js';
import rulesRerun from './rules-rerun.js';
import rulesStatus from './rules-status.js';
import shareRestore from './share-restore.js';
import shareRevoke from './share-revoke.js';
import shareShow from './share-show.js';

export const COMMANDS: readonly Command[] = [rulesRerun, rulesStatus, shareRevoke, shareRestore, shareShow, configSet];
