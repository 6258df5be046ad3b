import { describe, expect, it } from 'vitest';
import { credentialsFromEnv } from '@zcrm-sharing/client';
import { ConfigError, DEFAULTS, loadConfig } from '../src/index.ts';

const TOKEN = '1000.real-looking.access-token-abcdef';
const GRANT = { ZOHO_CLIENT_ID: '1000.CLIENTID', ZOHO_CLIENT_SECRET: 'client-secret-value-123', ZOHO_REFRESH_TOKEN: '1000.refresh.token-value' };

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(Object.keys(env))}`);
}

describe('loadConfig', () => {
  it('no variables: the defaults, no Zoho connection (so: the sandbox), webhook off', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      webhookSecret: undefined,
      zoho: undefined,
      revokeConcurrency: DEFAULTS.revokeConcurrency,
      jobLogSize: DEFAULTS.jobLogSize,
      jobRetentionMs: 7 * 24 * 3_600_000,
      queueLimit: DEFAULTS.queueLimit,
      dedupeWindowMs: DEFAULTS.dedupeWindowMs,
      dataDir: 'data',
      databaseUrl: undefined,
      allowedHosts: undefined,
      admin: undefined,
      shutdownGraceMs: DEFAULTS.shutdownGraceMs,
      callDeadlineMs: DEFAULTS.callDeadlineMs,
      startAfresh: false,
      retry: { windowMs: DEFAULTS.retry.windowMs },
    });
    expect(DEFAULTS.revokeConcurrency).toBeLessThan(5); // under the Free edition's limit
  });

  it('every variable read', () => {
    const c = loadConfig({
      PORT: '8080', HOST: '0.0.0.0', WEBHOOK_SECRET: 'a-secret-of-16-chars+', ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_DC: 'EU',
      ZOHO_ENVIRONMENT: 'sandbox', ZOHO_API_VERSION: 'v8', ZOHO_BASE_URL: 'https://sandbox.zohoapis.eu/crm/v8',
      ZOHO_TOKEN_URL: 'https://accounts.zoho.eu/oauth/v2/token', REVOKE_CONCURRENCY: '10', JOB_LOG_SIZE: '50',
      WEBHOOK_QUEUE_LIMIT: '100', WEBHOOK_DEDUPE_MS: '0', JOB_RETENTION_HOURS: '2', RETRY_WINDOW_HOURS: '6', SHUTDOWN_GRACE_SECONDS: '3', CALL_DEADLINE_SECONDS: '45', START_AFRESH: '1', DATA_DIR: '/var/lib/zcrm',
      DATABASE_URL: 'postgres://app:pw@db.internal:5432/zcrm', ALLOWED_HOSTS: 'crm-tools.example.com, localhost', ADMIN_PASSWORD: 'correct-horse-battery', ADMIN_USER: 'ops',
    });
    expect(c).toEqual({
      port: 8080, host: '0.0.0.0', webhookSecret: 'a-secret-of-16-chars+', revokeConcurrency: 10, jobLogSize: 50, queueLimit: 100, dedupeWindowMs: 0,
      jobRetentionMs: 2 * 3_600_000, dataDir: '/var/lib/zcrm', databaseUrl: 'postgres://app:pw@db.internal:5432/zcrm',
      allowedHosts: ['crm-tools.example.com', 'localhost'], admin: { user: 'ops', password: 'correct-horse-battery' }, retry: { windowMs: 6 * 3_600_000 },
      shutdownGraceMs: 3000, callDeadlineMs: 45_000, startAfresh: true,
      zoho: {
        auth: { accessToken: TOKEN }, dataCenter: 'eu', environment: 'sandbox', apiVersion: 'v8',
        baseUrl: 'https://sandbox.zohoapis.eu/crm/v8', tokenUrl: 'https://accounts.zoho.eu/oauth/v2/token',
      },
    });
  });

  it('the refresh-token grant from its three variables; empty variables count as unset', () => {
    expect(loadConfig({ ...GRANT, PORT: '', ZOHO_ACCESS_TOKEN: '' }).zoho).toEqual({
      auth: { clientId: GRANT.ZOHO_CLIENT_ID, clientSecret: GRANT.ZOHO_CLIENT_SECRET, refreshToken: GRANT.ZOHO_REFRESH_TOKEN },
      dataCenter: 'us', environment: 'production', apiVersion: 'v8',
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /whole number from 0 to 65535, got "abc"/],
    [{ PORT: '70000' }, 'PORT', /0 to 65535/],
    [{ PORT: '80.5' }, 'PORT', /whole number/],
    [{ HOST: 'bad host!' }, 'HOST', /host name or IP address/],
    [{ REVOKE_CONCURRENCY: '0' }, 'REVOKE_CONCURRENCY', /from 1 to 25/],
    [{ REVOKE_CONCURRENCY: '26' }, 'REVOKE_CONCURRENCY', /from 1 to 25/],
    [{ JOB_LOG_SIZE: '-1' }, 'JOB_LOG_SIZE', /from 1 to 100000/],
    [{ WEBHOOK_QUEUE_LIMIT: 'lots' }, 'WEBHOOK_QUEUE_LIMIT', /whole number/],
    [{ WEBHOOK_DEDUPE_MS: '1e3' }, 'WEBHOOK_DEDUPE_MS', /whole number/],
    [{ RETRY_WINDOW_HOURS: '0' }, 'RETRY_WINDOW_HOURS', /from 1 to 720/],
    [{ ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_DC: 'mars' }, 'ZOHO_DC', /one of us, eu, in, au, jp, cn, ca, sa, got "mars"/],
    [{ ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_ENVIRONMENT: 'staging' }, 'ZOHO_ENVIRONMENT', /production, sandbox, developer/],
    [{ ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_API_VERSION: '8' }, 'ZOHO_API_VERSION', /like v8 or v2.1/],
    [{ ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_BASE_URL: 'ftp://x/crm/v8' }, 'ZOHO_BASE_URL', /http\(s\) URL/],
    [{ ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_BASE_URL: 'not a url' }, 'ZOHO_BASE_URL', /http\(s\) URL/],
    [{ ZOHO_DC: 'eu' }, 'ZOHO_DC', /no Zoho credentials/],
    [{ ZOHO_BASE_URL: 'http://127.0.0.1:1/crm/v8' }, 'ZOHO_BASE_URL', /no Zoho credentials/],
    [{ HOST: '0.0.0.0' }, 'ADMIN_PASSWORD', /required because HOST is "0.0.0.0", not a loopback address/],
    [{ HOST: '192.168.1.20' }, 'ADMIN_PASSWORD', /required because HOST/],
    [{ ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD', /at least 12 characters.*got 5/],
    [{ ADMIN_PASSWORD: 'long-enough-pass', ADMIN_USER: 'a:b' }, 'ADMIN_USER', /must not contain ":"/],
    [{ ALLOWED_HOSTS: 'example.com:3000' }, 'ALLOWED_HOSTS', /without ports/],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /postgres:\/\//],
    [{ JOB_RETENTION_HOURS: '0' }, 'JOB_RETENTION_HOURS', /from 1 to/],
  ])('%j: ConfigError naming %s', (env, variable, message) => {
    const err = configError(env as Record<string, string>);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).toMatch(message);
  });

  it('loopback HOSTs need no admin password; a DATABASE_URL with a password is never echoed', () => {
    for (const HOST of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) expect(loadConfig({ HOST }).admin).toBeUndefined();
    const err = configError({ DATABASE_URL: 'mysql://user:s3cr3t-pw@db/x' });
    expect(err.message).not.toContain('s3cr3t-pw');
  });

  it('a short WEBHOOK_SECRET: names the variable and its length, never its value', () => {
    const err = configError({ WEBHOOK_SECRET: 'hunter2hunter' });
    expect(err.variable).toBe('WEBHOOK_SECRET');
    expect(err.message).toMatch(/at least 16 characters.*got 13/);
    expect(err.message).not.toContain('hunter2');
  });

  it('part of the refresh grant: names the first missing variable, never a value', () => {
    const err = configError({ ZOHO_CLIENT_SECRET: GRANT.ZOHO_CLIENT_SECRET });
    expect(err.variable).toBe('ZOHO_CLIENT_ID');
    expect(err.message).toMatch(/ZOHO_CLIENT_ID and ZOHO_REFRESH_TOKEN are not set/);
    expect(err.message).not.toContain(GRANT.ZOHO_CLIENT_SECRET);
  });

  it('both an access token and the grant (even part of it): refused as ambiguous, naming the variables, no value shown', () => {
    const err = configError({ ZOHO_ACCESS_TOKEN: TOKEN, ...GRANT });
    expect(err.variable).toBe('ZOHO_ACCESS_TOKEN');
    expect(err.message).toMatch(/ZOHO_ACCESS_TOKEN, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN are set/);
    const partly = configError({ ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_REFRESH_TOKEN: GRANT.ZOHO_REFRESH_TOKEN });
    expect([partly.variable, partly.message]).toEqual(['ZOHO_ACCESS_TOKEN', expect.stringMatching(/ZOHO_ACCESS_TOKEN and ZOHO_REFRESH_TOKEN are set/)]);
    for (const value of [TOKEN, GRANT.ZOHO_CLIENT_SECRET, GRANT.ZOHO_REFRESH_TOKEN]) expect(err.message).not.toContain(value);
  });

  it("the client's credentialsFromEnv rule, not a copy: every ambiguous or partial set it refuses, loadConfig refuses with its message", () => {
    const sets: Record<string, string>[] = [
      { ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_CLIENT_ID: GRANT.ZOHO_CLIENT_ID },
      { ZOHO_ACCESS_TOKEN: TOKEN, ...GRANT },
      { ZOHO_CLIENT_ID: GRANT.ZOHO_CLIENT_ID },
      { ZOHO_CLIENT_ID: GRANT.ZOHO_CLIENT_ID, ZOHO_REFRESH_TOKEN: GRANT.ZOHO_REFRESH_TOKEN },
    ];
    for (const env of sets) {
      let clientMessage = '';
      try {
        credentialsFromEnv(env);
      } catch (e) {
        clientMessage = (e as Error).message;
      }
      expect(clientMessage, JSON.stringify(Object.keys(env))).not.toBe('');
      expect(configError(env).message).toContain(clientMessage);
    }
  });

  it('a base URL with credentials in it is refused without echoing them', () => {
    const err = configError({ ZOHO_ACCESS_TOKEN: TOKEN, ZOHO_BASE_URL: 'https://user:p4ssw0rd@www.zohoapis.com/crm/v8' });
    expect(err.variable).toBe('ZOHO_BASE_URL');
    expect(err.message).not.toContain('p4ssw0rd');
  });
});
