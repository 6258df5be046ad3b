// Entry for `pnpm start`: configuration from the environment (see README.md), the embedded sandbox
// when there are no Zoho credentials, JSON log lines on stdout, a clean stop on SIGINT/SIGTERM.
import { redactSecrets, type ClientOptions } from '@zcrm-sharing/client';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { createLogger, stdoutWriter, type LogWriter } from './log.js';
import { StoreError } from './queue/embedded-queue.js';
import { createExampleServer, type ExampleServer } from './server.js';

const stderrWriter: LogWriter = (line) => {
  process.stderr.write(`${line}\n`);
};
const ENV_SECRETS = [process.env.WEBHOOK_SECRET, process.env.ZOHO_ACCESS_TOKEN, process.env.ZOHO_CLIENT_SECRET, process.env.ZOHO_REFRESH_TOKEN, process.env.ADMIN_PASSWORD, databasePassword(process.env.DATABASE_URL)];
const envSecrets = (text: string) => redactSecrets(text, ENV_SECRETS);

/** The password inside a connection URL, so that no error message from the driver can show it. */
function databasePassword(url: string | undefined): string | undefined {
  try {
    return url ? decodeURIComponent(new URL(url).password) || undefined : undefined;
  } catch {
    return undefined;
  }
}
const log = createLogger(stdoutWriter, envSecrets);
const errorLog = createLogger(stderrWriter, envSecrets);

const EXIT_CONFIG = 2;
const EXIT_START = 1;

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    errorLog.error(`invalid configuration: ${err.message}`, { variable: err.variable });
    process.exitCode = EXIT_CONFIG;
    return;
  }

  let closeSandbox = async () => {};
  let zoho: ClientOptions;
  if (config.zoho) {
    const { auth, dataCenter, environment, apiVersion, baseUrl, tokenUrl } = config.zoho;
    zoho = { auth, dataCenter, environment, apiVersion, ...(baseUrl ? { baseUrl } : {}), ...(tokenUrl ? { tokenUrl } : {}) };
  } else {
    const { startSandbox, demoSeed, DEMO_CREDENTIALS } = await import('@zcrm-sharing/sandbox');
    // Behaves like a Free edition org: at most 5 concurrent calls; a rerun computes for 3 s.
    const sandbox = await startSandbox({ seed: demoSeed(), concurrencyLimit: 5, rerunDurationMs: 3000 });
    closeSandbox = () => sandbox.close();
    log.info(`no Zoho credentials set: using the embedded sandbox at ${sandbox.url} (demo data, no Zoho account involved)`, { sandboxUrl: sandbox.url });
    const { clientId, clientSecret, refreshToken } = DEMO_CREDENTIALS;
    zoho = { auth: { clientId, clientSecret, refreshToken }, baseUrl: sandbox.apiBaseUrl, tokenUrl: sandbox.tokenUrl };
  }

  let server: ExampleServer;
  try {
    // The settings pass as loaded (one list of fields: AppConfig's); the Zoho connection becomes client options.
    const { zoho: _connection, ...settings } = config;
    server = await createExampleServer({
      ...settings,
      zoho,
      mode: config.zoho ? 'zoho' : 'sandbox',
      secrets: ENV_SECRETS.filter((s): s is string => typeof s === 'string'),
    });
  } catch (err) {
    // Which part could not start, and the variable that sets it: the SQLite store (DATA_DIR), the
    // Postgres queue (DATABASE_URL), the listening socket (PORT or HOST), or something else (named as it is).
    const code = (err as { code?: string }).code;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof StoreError) errorLog.error(`could not open the job store: ${message}`, { variable: /START_AFRESH/.test(message) ? 'START_AFRESH' : 'DATA_DIR', code });
    else if ((err as { syscall?: string }).syscall === 'listen') {
      errorLog.error(`could not listen on ${config.host}:${config.port}${code ? ` (${code})` : ''}`, { variable: code === 'EADDRINUSE' || code === 'EACCES' ? 'PORT' : 'HOST', code });
    } else if (config.databaseUrl) errorLog.error(`could not open the job queue in Postgres: ${message}`, { variable: 'DATABASE_URL', code });
    else errorLog.error(`could not start: ${err instanceof Error ? err.name : typeof err}: ${message}`, { code });
    await closeSandbox();
    process.exitCode = EXIT_START;
    return;
  }

  log.info(`listening on ${server.url} (admin page: ${server.url}/)`, {
    url: server.url,
    mode: config.zoho ? 'zoho' : 'sandbox',
    revokeConcurrency: config.revokeConcurrency,
    webhook: config.webhookSecret ? 'enabled' : 'disabled',
    store: config.databaseUrl ? 'postgres' : 'sqlite',
    admin: config.admin ? 'login' : 'loopback only, no login',
  });
  if (!config.webhookSecret) {
    log.warn('WEBHOOK_SECRET is not set: POST /webhooks/zoho/revoke-sharing answers 503 until it is (at least 16 characters, e.g. `openssl rand -hex 32`)');
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`second ${signal}: exiting without waiting`);
      process.exit(130);
    }
    stopping = true;
    log.info(`${signal}: stopping (in-flight Zoho calls get up to ${config.shutdownGraceMs / 1000} s, new deliveries get 503; queued webhook jobs stay in the store)`, { signal });
    void (async () => {
      await server.close();
      await closeSandbox();
      log.info('stopped');
      process.exitCode = 0;
      // Everything is closed; don't let a lingering keep-alive socket hold the process.
      setTimeout(() => process.exit(), 1000).unref();
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
