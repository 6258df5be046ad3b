// Runs one command: its output, its Ctrl-C policy, and the one catch that turns whatever ended it
// into words and an exit code from the table.
import { isZohoCrmError, type KnownZohoCrmError, type ZohoCrmErrorKind } from '@zcrm-sharing/client';
import { CliError, seeHelp } from './cli-error.js';
import type { Command, Values } from './commands/command.js';
import { EXIT } from './exit-codes.js';
import { createInterrupt } from './interrupt.js';
import { createOutput } from './output.js';

export async function runCommand(command: Command, values: Values, argv: readonly string[]): Promise<number> {
  const out = createOutput({ json: Boolean(values.json) });
  let onFirst = (graceMs: number) => out.info(`interrupted: no new calls; calls in flight get ${graceMs} ms, then are cancelled (Ctrl-C again to cancel now)`);
  const interrupt = createInterrupt({ listen: true, onFirst: (graceMs) => onFirst(graceMs) });
  try {
    return await command.run({ values, argv, out, interrupt, onInterrupt: (fn) => (onFirst = fn) });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // After Ctrl-C, whatever ended the command (a cancelled call, a retry not made), it was the interrupt.
    const code = interrupt.stop.aborted ? EXIT.INTERRUPTED : exitFor(e);
    const zoho = isZohoCrmError(e) ? e : isZohoCrmError((e as Error)?.cause) ? ((e as Error).cause as KnownZohoCrmError) : undefined;
    if (out.json) out.record({ type: 'error', error: ((zoho ?? e) as Error).name, kind: zoho?.kind, code: (zoho as { code?: string } | undefined)?.code, message, exitCode: code });
    out.info(`${out.color.red(code === EXIT.INTERRUPTED ? 'interrupted' : 'error')}: ${message}`);
    if (e instanceof CliError && e.exit === 'USAGE') out.info(seeHelp(e.helpFor));
    return code;
  } finally {
    out.flush();
    interrupt.dispose();
  }
}

function exitFor(e: unknown): number {
  if (e instanceof CliError) return EXIT[e.exit];
  return isZohoCrmError(e) ? exitForKind(e.kind) : EXIT.ERROR;
}

/** The exit code of each error kind; TypeScript checks every kind has one. */
function exitForKind(kind: ZohoCrmErrorKind): number {
  switch (kind) {
    case 'invalid_input':
    case 'invalid_module':
      return EXIT.USAGE;
    case 'authentication':
    case 'scope_mismatch':
    case 'permission_denied':
    case 'token_refresh':
      return EXIT.AUTH;
    case 'scheduler_busy':
      return EXIT.BUSY;
    case 'abort':
      return EXIT.INTERRUPTED;
    case 'connection':
    case 'timeout':
      return EXIT.UNREACHABLE;
    case 'api':
    case 'nothing_to_revoke':
    case 'invalid_record_id':
    case 'rate_limit':
    case 'server':
    case 'unexpected_response':
      return EXIT.ERROR;
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}
