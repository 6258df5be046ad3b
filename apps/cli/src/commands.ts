import { createInterface } from 'node:readline/promises';
import { isZohoCrmError, NothingToRevokeError, SchedulerBusyError, validateRevocableModule, type ZohoCrmClient, type ZohoCrmErrorKind } from '@zcrm-sharing/client';
import { CliError, usageError } from './cli-error.js';
import { connect, connectionSettings, type Connection } from './connection.js';
import { configPath, readConfig, writeConfig } from './credentials.js';
import { EXIT } from './exit-codes.js';
import { CANONICAL_ID } from './id-set.js';
import { createInterrupt, type Interrupt } from './interrupt.js';
import { intOption, requireModule, type Values } from './options.js';
import { createOutput, type Output } from './output.js';
import { DEFAULT_WAIT_TIMEOUT_MS, MAX_WAIT_TIMEOUT_MS, waitForRerun, type WaitOptions } from './rerun-wait.js';
import { revokeMany } from './revoke-many.js';
import { describeShare, showShares } from './share-show.js';

/** Options of a bulk run, refused with --id (they would be silently ignored). */
const BULK_ONLY = ['concurrency', 'max-concurrency', 'journal', 'resume', 'id-column', 'verify-sample'];

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

/** What a command may change about the run's handling of Ctrl-C. */
interface Hooks {
  onInterrupt(graceMs: number): void;
}

export async function run(positionals: string[], values: Values): Promise<number> {
  const out = createOutput({ json: Boolean(values.json) });
  const [group, action, ...rest] = positionals;
  let conn: Connection | undefined;
  const hooks: Hooks = {
    onInterrupt: (graceMs) => out.info(`interrupted: no new calls; calls in flight get ${graceMs} ms, then are cancelled (Ctrl-C again to cancel now)`),
  };
  const interrupt = createInterrupt({ listen: true, onFirst: (graceMs) => hooks.onInterrupt(graceMs) });
  try {
    if (rest.length) throw usageError(`unexpected argument ${JSON.stringify(rest[0])}`);
    const command = `${group} ${action}`;
    if (command === 'config set') return await configSet(values, out);
    if (!['rules rerun', 'rules status', 'share revoke', 'share show'].includes(command)) {
      throw usageError(`unknown command ${JSON.stringify(positionals.join(' '))}; expected rules rerun, rules status, share revoke, share show or config set`);
    }
    const module = requireModule(values);
    if (command === 'share show') {
      if (typeof values.id !== 'string') throw usageError('share show needs --id ID (the record whose shares to show)');
      revocableModule(module);
      recordIdOption(values.id);
    }
    if (command === 'share revoke') {
      if (Boolean(values.id) === Boolean(values['ids-file'])) throw usageError('share revoke needs exactly one of --id ID or --ids-file FILE');
      revocableModule(module);
      if (values['ids-file'] !== undefined) return await revokeMany(module, values, out, interrupt);
      const given = BULK_ONLY.filter((o) => values[o] !== undefined);
      if (given.length) throw usageError(`${given.map((o) => `--${o}`).join(', ')}: only with --ids-file (a bulk run)`);
      recordIdOption(values.id as string);
      if (values['dry-run']) {
        if (values.verify) throw usageError('--verify reads back what a run revoked; a --dry-run revokes nothing');
        out.info(`dry run: would revoke every share of ${module} ${values.id}; nothing sent`);
        return EXIT.OK;
      }
    }
    // Every option checked before anything is sent or started (the embedded sandbox included).
    const pollMs = command === 'rules rerun' ? intOption(values, 'poll-interval-ms', 500, 10, 60_000) : 0;
    const waitTimeoutMs = command === 'rules rerun' ? intOption(values, 'wait-timeout-ms', DEFAULT_WAIT_TIMEOUT_MS, 1, MAX_WAIT_TIMEOUT_MS) : 0;
    conn = await connect(connectionSettings(values), out, interrupt, false);
    const signal = interrupt.cancel;
    if (command === 'rules rerun') return await rerun(conn.client, module, values.wait ? { pollMs, timeoutMs: waitTimeoutMs } : undefined, out, interrupt, hooks);
    if (command === 'rules status') return await status(conn.client, module, out, signal);
    if (command === 'share show') return await showShares(conn.client, module, values.id as string, out, signal);
    return await revokeOne(conn.client, module, values.id as string, Boolean(values.verify), out, signal);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // After Ctrl-C, whatever ended the command (a cancelled call, a retry not made), it was the interrupt.
    const code = interrupt.stop.aborted ? EXIT.INTERRUPTED : exitFor(e);
    const kind = isZohoCrmError(e) ? e.kind : undefined;
    if (out.json) out.record({ type: 'error', error: (e as Error).name, kind, code: (e as { code?: string }).code, message, exitCode: code });
    out.info(`${out.color.red(code === EXIT.INTERRUPTED ? 'interrupted' : 'error')}: ${message}`);
    if (e instanceof CliError && e.exit === 'USAGE') out.info('Run zcrm-sharing --help for usage.');
    return code;
  } finally {
    interrupt.dispose();
    await conn?.close();
  }
}

/** `wait`: with --wait, the first pause between polls and the time limit; undefined without --wait. */
async function rerun(client: ZohoCrmClient, module: string, wait: WaitOptions | undefined, out: Output, interrupt: Interrupt, hooks: Hooks): Promise<number> {
  try {
    const r = await client.rerunDataSharingRules({ module }, { signal: interrupt.cancel });
    if (r.outcome === 'no_rules') {
      out.record({ type: 'rerun', module, outcome: r.outcome });
      out.info(`nothing to rerun: ${module} has no data sharing rules (Zoho answered 204)`);
      return EXIT.OK;
    }
    out.record({ type: 'rerun', module, outcome: r.outcome, code: r.code });
    out.info(`${out.color.green('scheduled')}: rerun of the data sharing rules of ${module}`);
  } catch (e) {
    if (e instanceof SchedulerBusyError) {
      out.record({ type: 'rerun', module, code: e.code, busy: true, exitCode: EXIT.BUSY });
      out.info(`${out.color.yellow('busy')}: a rerun is already running for ${module}; try again when \`zcrm-sharing rules status --module ${module}\` says it is done`);
      return EXIT.BUSY;
    }
    throw e;
  }
  if (wait === undefined) return EXIT.OK;
  // The wait says itself where it stopped on Ctrl-C: the generic note about calls in flight does not apply.
  hooks.onInterrupt = () => {};
  return await waitForRerun(client, module, wait, out, interrupt.stop);
}

async function status(client: ZohoCrmClient, module: string, out: Output, signal: AbortSignal): Promise<number> {
  const s = await client.getDataSharingRulesSummary({ module }, { signal });
  out.record({ type: 'status', module, computing: s?.rule_computation_status ?? false, ruleCount: s?.rule_count ?? 0 });
  if (!s) out.info(`${module}: no data sharing rules`);
  else out.info(`${module}: ${s.rule_count} rules, ${s.rule_computation_status ? out.color.yellow('computing') : out.color.green('idle')}`);
  if (!out.json) process.stdout.write(`${s?.rule_computation_status ? 'computing' : 'idle'}\n`);
  return EXIT.OK;
}

/** Events, Calls and Tasks: refused before anything is read or sent. */
function revocableModule(module: string): void {
  try {
    validateRevocableModule(module, '--module');
  } catch (e) {
    throw usageError((e as Error).message);
  }
}

function recordIdOption(id: string): void {
  if (!CANONICAL_ID.test(id)) throw usageError(`--id: expected a record id of 1-19 digits without a leading zero; got ${JSON.stringify(id)}`);
}

async function revokeOne(client: ZohoCrmClient, module: string, id: string, verify: boolean, out: Output, signal: AbortSignal): Promise<number> {
  let outcome: 'revoked' | 'not_shared' = 'revoked';
  try {
    const r = await client.revokeSharedRecord({ module, recordId: id }, { signal });
    if (!verify) out.record({ type: 'result', id: r.details.id, outcome });
    out.info(`${out.color.green('revoked')}: every share of ${module} ${id}`);
  } catch (e) {
    if (!(e instanceof NothingToRevokeError)) throw e;
    outcome = 'not_shared';
    if (!verify) out.record({ type: 'result', id, outcome });
    out.info(`already not shared: ${module} ${id} has no sharing to revoke`);
  }
  if (!verify) return EXIT.OK;
  // Read back: "revoked" is what Zoho said; "shared with no one" is what it now shows.
  const shares = await client.getSharedRecordDetails({ module, recordId: id }, { signal });
  out.record({ type: 'result', id, outcome, verified: shares.length === 0, ...(shares.length ? { stillShared: shares } : {}), ...(shares.length ? { exitCode: EXIT.STILL_SHARED } : {}) });
  if (!shares.length) {
    out.info(`verify: ${module} ${id} is shared with no one: ${out.color.green('verified')}`);
    return EXIT.OK;
  }
  out.info(`${out.color.red('still shared')}: ${module} ${id} is shared with ${shares.map(describeShare).join('; ')}`);
  return EXIT.STILL_SHARED;
}

async function configSet(values: Values, out: Output): Promise<number> {
  const path = configPath();
  let existing: ReturnType<typeof readConfig> = {};
  try {
    existing = readConfig(path);
  } catch {
    // An unreadable or invalid file is what config set replaces.
  }
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string) => {
    if (process.stdin.isTTY) process.stderr.write(prompt);
    const n = await lines.next();
    return n.done ? '' : String(n.value).trim();
  };
  const clientId = (values['client-id'] as string | undefined) ?? (await ask('Zoho client id: '));
  const clientSecret = await ask('Zoho client secret: ');
  const refreshToken = await ask('Zoho refresh token: ');
  rl.close();
  if (!clientId || !clientSecret || !refreshToken) throw usageError('config set: expected the client id, client secret and refresh token (one per line on stdin)');
  const dc = (values.dc as string | undefined) ?? existing.dc;
  writeConfig({ ...existing, clientId, clientSecret, refreshToken, ...(dc ? { dc } : {}) }, path);
  out.info(`saved to ${path} (mode 0600)`);
  return EXIT.OK;
}
