import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createZohoCrmClient,
  DATA_CENTER_CODES,
  isZohoCrmError,
  NothingToRevokeError,
  redactSecrets,
  SchedulerBusyError,
  validateModule,
  validateRecordId,
  type ClientOptions,
  type DataCenter,
  type Environment,
  type RetryOptions,
  type ZohoCrmClient,
  type ZohoCrmErrorKind,
} from '@zcrm-sharing/client';
import { createNodeFetch } from '@zcrm-sharing/client/node';
import { EXIT } from './exit-codes.js';
import { bulkRevoke } from './bulk.js';
import { configPath, readConfig, resolveCredentials, writeConfig, type Credentials } from './credentials.js';
import { createInterrupt, type Interrupt } from './interrupt.js';
import { createOutput, type Output } from './output.js';

type Values = Record<string, string | boolean | undefined>;

class UsageError extends Error {}

function intOption(values: Values, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function requireModule(values: Values): string {
  if (typeof values.module !== 'string') throw new UsageError('--module is required (a module API name such as Leads or Contacts)');
  try {
    return validateModule(values.module, '--module');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

interface Connection {
  client: ZohoCrmClient;
  close(): Promise<void>;
}

/**
 * The client, over the node:http transport. After the first Ctrl-C it starts no retry wait; bulk
 * runs also keep 429s for their own limiter (`rateLimitsToCaller`).
 */
async function connect(values: Values, out: Output, interrupt: Interrupt, rateLimitsToCaller: boolean): Promise<Connection> {
  const transport = createNodeFetch({ maxSockets: 64 });
  const retry: RetryOptions = {
    shouldRetry: (e, _attempt, { byDefault }) => byDefault && !interrupt.stop.aborted && !(rateLimitsToCaller && e.kind === 'rate_limit'),
  };
  const common: Partial<ClientOptions> = {
    timeoutMs: intOption(values, 'timeout-ms', 30_000, 1, 3_600_000),
    maxRetries: intOption(values, 'max-retries', 2, 0, 20),
    fetch: transport,
    retry,
  };
  if (values.sandbox) {
    const { startSandbox, demoSeed, DEMO_CREDENTIALS } = await import('@zcrm-sharing/sandbox');
    const latencyMs = intOption(values, 'sandbox-latency-ms', 0, 0, 60_000);
    const limit = values['sandbox-concurrency-limit'] === undefined ? undefined : intOption(values, 'sandbox-concurrency-limit', 5, 1, 1000);
    const sandbox = await startSandbox({ seed: demoSeed(), rerunDurationMs: 3000, latencyMs, ...(limit ? { concurrencyLimit: limit } : {}) });
    out.info(out.color.dim(`using the embedded sandbox at ${sandbox.url} (demo data; no Zoho account involved)`));
    const auth = { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken };
    const client = createZohoCrmClient({ ...common, auth, baseUrl: sandbox.apiBaseUrl, tokenUrl: sandbox.tokenUrl });
    out.redact = client.redact;
    return {
      client,
      close: async () => {
        transport.close();
        await sandbox.close();
      },
    };
  }
  let auth: Credentials | undefined;
  try {
    auth = resolveCredentials();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // Until the client exists, the credentials themselves are what must never be printed.
  const credentials = auth && Object.values(auth);
  if (credentials) out.redact = (text) => redactSecrets(text, credentials);
  if (!auth) {
    throw new UsageError(
      'no Zoho credentials. Either add --sandbox to try it against the embedded local sandbox, or set ZOHO_ACCESS_TOKEN, ' +
        'or ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN, or run `zcrm-sharing config set`.',
    );
  }
  const dc = (values.dc as string | undefined) ?? readConfig().dc ?? 'us';
  if (!DATA_CENTER_CODES.includes(dc as DataCenter)) throw new UsageError(`--dc: expected one of ${DATA_CENTER_CODES.join(', ')}, got ${JSON.stringify(dc)}`);
  const environment = (values.environment as string | undefined) ?? 'production';
  if (!['production', 'sandbox', 'developer'].includes(environment)) throw new UsageError(`--environment: expected production, sandbox or developer, got ${JSON.stringify(environment)}`);
  const options: ClientOptions = { ...common, auth, dataCenter: dc as DataCenter, environment: environment as Environment };
  if (values['api-version']) options.apiVersion = values['api-version'] as string;
  if (values['base-url']) options.baseUrl = values['base-url'] as string;
  if (values['token-url']) options.tokenUrl = values['token-url'] as string;
  let client: ZohoCrmClient;
  try {
    client = createZohoCrmClient(options);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  out.redact = client.redact;
  return { client, close: async () => transport.close() };
}

function exitFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.USAGE;
  return isZohoCrmError(e) ? exitForKind(e.kind) : EXIT.ERROR;
}

/** The exit code of each error kind; TypeScript checks every kind has one. */
function exitForKind(kind: ZohoCrmErrorKind): number {
  switch (kind) {
    case 'invalid_input':
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
    case 'api':
    case 'nothing_to_revoke':
    case 'invalid_module':
    case 'invalid_record_id':
    case 'rate_limit':
    case 'server':
    case 'unexpected_response':
    case 'connection':
    case 'timeout':
      return EXIT.ERROR;
    default: {
      const unhandled: never = kind;
      return unhandled;
    }
  }
}

export async function run(positionals: string[], values: Values): Promise<number> {
  const out = createOutput({ json: Boolean(values.json) });
  const [group, action, ...rest] = positionals;
  let conn: Connection | undefined;
  const interrupt = createInterrupt({
    listen: true,
    onFirst: (graceMs) => out.info(`interrupted: no new calls; calls in flight get ${graceMs} ms, then are cancelled (Ctrl-C again to cancel now)`),
  });
  try {
    if (rest.length) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
    const command = `${group} ${action}`;
    if (command === 'config set') return await configSet(values, out);
    if (!['rules rerun', 'rules status', 'share revoke'].includes(command)) {
      throw new UsageError(`unknown command ${JSON.stringify(positionals.join(' '))}; expected rules rerun, rules status, share revoke or config set`);
    }
    const module = requireModule(values);
    if (command === 'share revoke') {
      if (Boolean(values.id) === Boolean(values['ids-file'])) throw new UsageError('share revoke needs exactly one of --id ID or --ids-file FILE');
      if (values.id !== undefined) {
        try {
          validateRecordId(values.id, '--id');
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      }
    }
    const dryRun = Boolean(values['dry-run']);
    const bulk = command === 'share revoke' && values.id === undefined;
    conn = dryRun ? undefined : await connect(values, out, interrupt, bulk);
    const signal = interrupt.cancel;
    if (command === 'rules rerun') return await rerun(conn!.client, module, values, out, interrupt);
    if (command === 'rules status') return await status(conn!.client, module, out, signal);
    if (!bulk) return await revokeOne(conn!.client, module, values.id as string, out, signal);
    return await revokeMany(conn?.client, module, values, out, interrupt);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // After Ctrl-C, whatever ended the command (a cancelled call, a retry not made), it was the interrupt.
    const code = interrupt.stop.aborted ? EXIT.INTERRUPTED : exitFor(e);
    const kind = isZohoCrmError(e) ? e.kind : undefined;
    if (out.json) out.record({ type: 'error', error: (e as Error).name, kind, code: (e as { code?: string }).code, message, exitCode: code });
    out.info(`${out.color.red(code === EXIT.INTERRUPTED ? 'interrupted' : 'error')}: ${message}`);
    if (code === EXIT.USAGE && e instanceof UsageError) out.info('Run zcrm-sharing --help for usage.');
    return code;
  } finally {
    interrupt.dispose();
    await conn?.close();
  }
}

async function rerun(client: ZohoCrmClient, module: string, values: Values, out: Output, interrupt: Interrupt): Promise<number> {
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
  if (!values.wait) return EXIT.OK;
  const started = Date.now();
  let delay = intOption(values, 'poll-interval-ms', 500, 10, 60_000);
  const spin = out.spinner(`waiting for the rules of ${module} to finish computing`);
  try {
    for (;;) {
      try {
        await sleep(delay, undefined, { signal: interrupt.stop });
      } catch {
        out.info(`interrupted: the rerun of ${module} is scheduled; check it with \`zcrm-sharing rules status --module ${module}\``);
        return EXIT.INTERRUPTED;
      }
      const s = await client.getDataSharingRulesSummary({ module }, { signal: interrupt.cancel });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (!s || !s.rule_computation_status) {
        spin.stop(`${out.color.green('done')}: the data sharing rules of ${module} are computed (${seconds}s${s ? `, ${s.rule_count} rules` : ', no rules'})`);
        out.record({ type: 'rerun-done', module, elapsedMs: Date.now() - started, ruleCount: s?.rule_count ?? 0 });
        return EXIT.OK;
      }
      spin.update(`computing the rules of ${module}... ${seconds}s`);
      delay = Math.min(delay * 1.5, 5000);
    }
  } finally {
    spin.stop();
  }
}

async function status(client: ZohoCrmClient, module: string, out: Output, signal: AbortSignal): Promise<number> {
  const s = await client.getDataSharingRulesSummary({ module }, { signal });
  out.record({ type: 'status', module, computing: s?.rule_computation_status ?? false, ruleCount: s?.rule_count ?? 0 });
  if (!s) out.info(`${module}: no data sharing rules`);
  else out.info(`${module}: ${s.rule_count} rules, ${s.rule_computation_status ? out.color.yellow('computing') : out.color.green('idle')}`);
  if (!out.json) process.stdout.write(`${s?.rule_computation_status ? 'computing' : 'idle'}\n`);
  return EXIT.OK;
}

async function revokeOne(client: ZohoCrmClient, module: string, id: string, out: Output, signal: AbortSignal): Promise<number> {
  try {
    const r = await client.revokeSharedRecord({ module, recordId: id }, { signal });
    out.record({ type: 'result', id: r.details.id, outcome: 'revoked' });
    out.info(`${out.color.green('revoked')}: every share of ${module} ${id}`);
  } catch (e) {
    if (!(e instanceof NothingToRevokeError)) throw e;
    out.record({ type: 'result', id, outcome: 'not_shared' });
    out.info(`already not shared: ${module} ${id} has no sharing to revoke`);
  }
  return EXIT.OK;
}

async function revokeMany(client: ZohoCrmClient | undefined, module: string, values: Values, out: Output, interrupt: Interrupt): Promise<number> {
  const idsPath = values['ids-file'] as string;
  const journalPath = (values.journal as string | undefined) ?? (idsPath === '-' ? resolve('stdin.journal') : join(dirname(resolve(idsPath)), `${basename(idsPath)}.journal`));
  const summary = await bulkRevoke({
    module, idsPath, journalPath, client, out,
    concurrency: intOption(values, 'concurrency', 4, 1, 100),
    resume: Boolean(values.resume),
    dryRun: Boolean(values['dry-run']),
    stop: interrupt.stop,
    cancel: interrupt.cancel,
  });
  out.record({ type: 'summary', ...summary });
  const codes = Object.entries(summary.failedByCode).map(([c, n]) => `${c} ${n}`).join(', ');
  out.info(
    summary.dryRun
      ? `dry run: ${summary.total} valid ids (${summary.total - summary.skipped} to send), ${summary.invalid} invalid lines; nothing sent`
      : `revoked ${summary.revoked} · already not shared ${summary.notShared} · invalid ${summary.invalid} · failed ${summary.failed}${codes ? ` (${codes})` : ''}` +
          `${summary.skipped ? ` · skipped ${summary.skipped} done earlier` : ''} · ${(summary.elapsedMs / 1000).toFixed(1)}s · ${summary.ratePerSecond}/s` +
          `\njournal: ${summary.journal}`,
  );
  if (summary.fatal) {
    out.info(`${out.color.red('stopped')}: ${summary.fatal}; fix it and run again with --resume`);
    return summary.fatalKind === 'internal' || !summary.fatalKind ? EXIT.ERROR : exitForKind(summary.fatalKind);
  }
  if (summary.interrupted) {
    out.info(`interrupted: run again with --resume to finish the remaining ids`);
    return EXIT.INTERRUPTED;
  }
  return summary.failed || summary.invalid ? EXIT.PARTIAL : EXIT.OK;
}

async function configSet(values: Values, out: Output): Promise<number> {
  const path = configPath();
  const existing = readConfig(path);
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
  if (!clientId || !clientSecret || !refreshToken) throw new UsageError('config set: expected the client id, client secret and refresh token (one per line on stdin)');
  const dc = (values.dc as string | undefined) ?? existing.dc;
  writeConfig({ ...existing, clientId, clientSecret, refreshToken, ...(dc ? { dc } : {}) }, path);
  out.info(`saved to ${path} (mode 0600)`);
  return EXIT.OK;
}
