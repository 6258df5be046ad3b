import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  AuthenticationError,
  createZohoCrmClient,
  DATA_CENTER_CODES,
  InvalidInputError,
  NothingToRevokeError,
  PermissionDeniedError,
  SchedulerBusyError,
  ScopeMismatchError,
  TokenRefreshError,
  validateModule,
  validateRecordId,
  type ClientOptions,
  type DataCenter,
  type Environment,
  type ZohoCrmClient,
} from '@zcrm-sharing/client';
import { EXIT } from './exit-codes.js';
import { bulkRevoke } from './bulk.js';
import { configPath, readConfig, redact, resolveCredentials, writeConfig, type Credentials } from './credentials.js';
import { createOutput, type Output } from './output.js';
import { createNodeFetch } from './transport.js';

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
  secrets: string[];
  close(): Promise<void>;
}

async function connect(values: Values, out: Output): Promise<Connection> {
  const transport = createNodeFetch({ maxSockets: 64 });
  const common: Partial<ClientOptions> = {
    timeoutMs: intOption(values, 'timeout-ms', 30_000, 1, 3_600_000),
    maxRetries: intOption(values, 'max-retries', 2, 0, 20),
    fetch: transport,
  };
  if (values.sandbox) {
    const { startSandbox, demoSeed, DEMO_CREDENTIALS } = await import('@zcrm-sharing/sandbox');
    const latencyMs = intOption(values, 'sandbox-latency-ms', 0, 0, 60_000);
    const limit = values['sandbox-concurrency-limit'] === undefined ? undefined : intOption(values, 'sandbox-concurrency-limit', 5, 1, 1000);
    const sandbox = await startSandbox({ seed: demoSeed(), rerunDurationMs: 3000, latencyMs, ...(limit ? { concurrencyLimit: limit } : {}) });
    out.info(out.color.dim(`using the embedded sandbox at ${sandbox.url} (demo data; no Zoho account involved)`));
    const auth = { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken };
    return {
      client: createZohoCrmClient({ ...common, auth, baseUrl: sandbox.apiBaseUrl, tokenUrl: sandbox.tokenUrl }),
      secrets: [auth.clientSecret, auth.refreshToken],
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
  try {
    return { client: createZohoCrmClient(options), secrets: Object.values(auth), close: async () => transport.close() };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function exitFor(e: unknown): number {
  if (e instanceof UsageError || e instanceof InvalidInputError) return EXIT.USAGE;
  if (e instanceof AuthenticationError || e instanceof ScopeMismatchError || e instanceof PermissionDeniedError || e instanceof TokenRefreshError) return EXIT.AUTH;
  if (e instanceof SchedulerBusyError) return EXIT.BUSY;
  return EXIT.ERROR;
}

export async function run(positionals: string[], values: Values): Promise<number> {
  const out = createOutput({ json: Boolean(values.json) });
  const [group, action, ...rest] = positionals;
  let secrets: string[] = [];
  let conn: Connection | undefined;
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
    conn = dryRun ? undefined : await connect(values, out);
    secrets = conn?.secrets ?? [];
    if (command === 'rules rerun') return await rerun(conn!.client, module, values, out);
    if (command === 'rules status') return await status(conn!.client, module, out);
    if (values.id !== undefined) return await revokeOne(conn!.client, module, values.id as string, out);
    return await revokeMany(conn?.client, module, values, out);
  } catch (e) {
    const message = redact(e instanceof Error ? e.message : String(e), secrets);
    const code = exitFor(e);
    if (out.json) out.record({ type: 'error', error: (e as Error).name, code: (e as { code?: string }).code, message, exitCode: code });
    out.info(`${out.color.red('error')}: ${message}`);
    if (code === EXIT.USAGE && e instanceof UsageError) out.info('Run zcrm-sharing --help for usage.');
    return code;
  } finally {
    await conn?.close();
  }
}

async function rerun(client: ZohoCrmClient, module: string, values: Values, out: Output): Promise<number> {
  try {
    const r = await client.rerunDataSharingRules({ module });
    out.record({ type: 'rerun', module, code: r.code, alreadyScheduled: r.alreadyScheduled });
    out.info(r.alreadyScheduled ? `already scheduled: the rerun of the data sharing rules of ${module}` : `${out.color.green('scheduled')}: rerun of the data sharing rules of ${module}`);
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
  for (;;) {
    await new Promise((r) => setTimeout(r, delay));
    const s = await client.getDataSharingRulesSummary({ module });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!s || !s.rule_computation_status) {
      spin.stop(`${out.color.green('done')}: the data sharing rules of ${module} are computed (${seconds}s${s ? `, ${s.rule_count} rules` : ''})`);
      out.record({ type: 'rerun-done', module, elapsedMs: Date.now() - started, ruleCount: s?.rule_count ?? 0 });
      return EXIT.OK;
    }
    spin.update(`computing the rules of ${module}... ${seconds}s`);
    delay = Math.min(delay * 1.5, 5000);
  }
}

async function status(client: ZohoCrmClient, module: string, out: Output): Promise<number> {
  const s = await client.getDataSharingRulesSummary({ module });
  out.record({ type: 'status', module, computing: s?.rule_computation_status ?? false, ruleCount: s?.rule_count ?? 0 });
  if (!s) out.info(`${module}: no data sharing rules`);
  else out.info(`${module}: ${s.rule_count} rules, ${s.rule_computation_status ? out.color.yellow('computing') : out.color.green('idle')}`);
  if (!out.json) process.stdout.write(`${s?.rule_computation_status ? 'computing' : 'idle'}\n`);
  return EXIT.OK;
}

async function revokeOne(client: ZohoCrmClient, module: string, id: string, out: Output): Promise<number> {
  try {
    await client.revokeSharedRecord({ module, recordId: id });
    out.record({ type: 'result', id, outcome: 'revoked' });
    out.info(`${out.color.green('revoked')}: every share of ${module} ${id}`);
  } catch (e) {
    if (!(e instanceof NothingToRevokeError)) throw e;
    out.record({ type: 'result', id, outcome: 'not_shared' });
    out.info(`already not shared: ${module} ${id} has no sharing to revoke`);
  }
  return EXIT.OK;
}

async function revokeMany(client: ZohoCrmClient | undefined, module: string, values: Values, out: Output): Promise<number> {
  const idsPath = values['ids-file'] as string;
  const journalPath = (values.journal as string | undefined) ?? (idsPath === '-' ? resolve('stdin.journal') : join(dirname(resolve(idsPath)), `${basename(idsPath)}.journal`));
  const stop = new AbortController();
  const cancel = new AbortController();
  const onSigint = () => {
    if (!stop.signal.aborted) {
      out.info('interrupted: finishing the calls in flight (Ctrl-C again to cancel them)');
      stop.abort();
    } else cancel.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const summary = await bulkRevoke({
      module, idsPath, journalPath, client, out,
      concurrency: intOption(values, 'concurrency', 4, 1, 100),
      resume: Boolean(values.resume),
      dryRun: Boolean(values['dry-run']),
      stop: stop.signal,
      cancel: cancel.signal,
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
      return EXIT.AUTH;
    }
    if (summary.interrupted) {
      out.info(`interrupted: run again with --resume to finish the remaining ids`);
      return EXIT.INTERRUPTED;
    }
    return summary.failed || summary.invalid ? EXIT.PARTIAL : EXIT.OK;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
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
