// The example server (over its default node:http transport) against every mode of the hostile
// server: the JSON API's answer and the webhook job's outcome name the error kind, never a
// revoke Zoho did not confirm; nothing reaches the redirect target; no secret in any answer or log.
import { echoForms, HOSTILE_MODES, jsonUnescaped, startHostileServer, type HostileMode } from '@zcrm-sharing/test-support/hostile-server';
import { describe, expect, it } from 'vitest';
import { createExampleServer } from '../src/index.ts';
import { until } from './processes.ts';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET, deliver, request, tempDataDir } from './helpers.ts';

const ID = '4150868000001148212';
const GRANT = { clientId: '1000.example-client', clientSecret: 'example-secret+with/special"chars', refreshToken: '1000.example refresh&token=1' };

/** The API's answer for each mode: HTTP status and `error` (or `revoked` for the control). */
function expected(mode: HostileMode): [number, string] {
  if (mode === 'success') return [200, 'revoked'];
  if (mode.startsWith('token-')) return [502, 'zoho_token_refresh_failed'];
  if (mode.startsWith('retry-after-') || mode === 'rate-limited-bare') return [503, 'zoho_rate_limited'];
  if (mode === 'endless-body') return [504, 'zoho_timeout'];
  if (mode === 'echo-body') return [502, 'zoho_server_error'];
  if (mode.startsWith('echo-')) return [502, 'zoho_error'];
  if (mode === 'unauthorized-forever' || mode === 'gateway-401') return [502, 'zoho_authentication_failed'];
  return [502, 'zoho_unexpected_response'];
}

// Issue 22's answers: each is "unexpected", never `revoked: true`, and the job fails naming why.
const NOT_PROOF: Partial<Record<HostileMode, RegExp>> = {
  'code-no-permission-200': /share\.code is not one of SUCCESS/,
  'code-internal-error-200': /share\.code is not one of SUCCESS/,
  'code-invalid-data-200': /share\.code is not one of SUCCESS/,
  'code-lowercase-success-200': /share\.code is not one of SUCCESS/,
  'code-cannot-process-200': /share\.code is not one of SUCCESS/,
  // (Read from JSON text: the quotes around the key are escaped there.)
  'duplicate-status': /the key \\"status\\" is repeated/,
  'duplicate-envelope': /the key \\"share\\" is repeated/,
  'duplicate-id': /the key \\"id\\" is repeated/,
  'coding-gzip': /Content-Encoding gzip is not decoded/,
  'coding-br': /Content-Encoding br is not decoded/,
  'coding-unknown': /Content-Encoding x-zoho-custom is not decoded/,
};

describe('the example server against each hostile mode', () => {
  it.each(HOSTILE_MODES.map((m) => [m]))('%s', async (mode) => {
    const hostile = await startHostileServer({ mode });
    const lines: string[] = [];
    const dataDir = tempDataDir();
    const server = await createExampleServer({
      dataDir,
      zoho: {
        auth: GRANT,
        baseUrl: hostile.apiBaseUrl,
        tokenUrl: hostile.tokenUrl,
        // Only the endless body needs the deadline to end; elsewhere it is generous, so load cannot decide the outcome.
        timeoutMs: mode === 'endless-body' ? 400 : 10_000,
        retry: { baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 20 },
      },
      webhookSecret: SECRET,
      log: (line) => lines.push(line),
      shutdownGraceMs: 500,
      // One attempt: a transient outcome then ends the job `failed`, naming the kind, at once.
      retry: { maxAttempts: 1 },
    });
    try {
      const api = await request(`${server.url}/api/records/Contacts/${ID}/sharing`, { method: 'DELETE' });
      const [status, outcome] = expected(mode);
      expect(api.status).toBe(status);
      if (mode === 'success') expect(api.body).toMatchObject({ revoked: true, recordId: ID });
      else {
        expect(api.body.error).toBe(outcome);
        expect(api.body.revoked).not.toBe(true);
      }
      if (status === 503) expect(Number(api.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      const accepted = await deliver(server.url, { module: 'Contacts', recordId: '4150868000001148213' });
      expect(accepted.status).toBe(202);
      // A refused credential pauses the queue (outcome.ts): the job waits, uncounted, with the error.
      const pausing = outcome === 'zoho_token_refresh_failed' || outcome === 'zoho_authentication_failed';
      if (pausing) await until('the queue to pause', async () => (await server.jobs())[0]?.error !== undefined);
      else await server.idle();
      const job = (await server.jobs())[0]!;
      expect(job.status).toBe(mode === 'success' ? 'revoked' : pausing ? 'queued' : 'failed');
      if (mode !== 'success') expect(job.error?.type).toBe(outcome);
      if (pausing) expect(job.attempts).toBe(0);
      if (NOT_PROOF[mode]) {
        expect([api.body.revoked, job.status]).toEqual([undefined, 'failed']);
        expect(JSON.stringify(api.body) + JSON.stringify(job.error)).toMatch(NOT_PROOF[mode]);
      }

      expect(hostile.elsewhere.requests).toEqual([]);
      const shown = [JSON.stringify(api.body), JSON.stringify((await server.jobs())), ...lines].join('\n');
      const everything = `${shown}\n${jsonUnescaped(shown)}`;
      for (const form of [GRANT.clientSecret, GRANT.refreshToken, SECRET, ...hostile.minted].flatMap(echoForms)) {
        expect(everything.includes(form), `${form} in an answer or a log line`).toBe(false);
      }
      // The job store on disk (it keeps describeError(err) of each failed job), every file of it.
      await server.close();
      const onDisk = readdirSync(dataDir).flatMap((f) => {
        const bytes = readFileSync(join(dataDir, f), 'latin1');
        return [bytes, jsonUnescaped(bytes)];
      });
      expect(onDisk.length).toBeGreaterThan(0);
      for (const form of [GRANT.clientSecret, GRANT.refreshToken, ...hostile.minted].flatMap(echoForms)) {
        expect(onDisk.some((bytes) => bytes.includes(form)), `${form} in the job store on disk`).toBe(false);
      }
    } finally {
      await server.close();
      await hostile.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a Zoho that refuses every token (401 INVALID_TOKEN)', () => {
  it("30 deliveries ask the token URL at most 10 times (Zoho's limit per 10 minutes): the queue pauses on the refused token, no job consumed, none failed, none revoked", async () => {
    const hostile = await startHostileServer({ mode: 'unauthorized-forever' });
    const dataDir = tempDataDir();
    const server = await createExampleServer({
      dataDir,
      zoho: { auth: GRANT, baseUrl: hostile.apiBaseUrl, tokenUrl: hostile.tokenUrl, retry: { baseDelayMs: 1, maxDelayMs: 2 } },
      webhookSecret: SECRET,
      log: () => {},
      shutdownGraceMs: 500,
    });
    try {
      for (let i = 0; i < 30; i++) expect((await deliver(server.url, { module: 'Contacts', recordId: String(4150868000001148300n + BigInt(i)) })).status).toBe(202);
      // A refused credential pauses the whole queue (outcome.ts): the jobs wait for a person, uncounted.
      await until('the queue to pause with every job back in the queue', async () => {
        const jobs = await server.jobs();
        return jobs.length === 30 && jobs.every((j) => j.status === 'queued') && jobs.some((j) => j.error !== undefined);
      });
      const jobs = await server.jobs();
      expect(jobs.every((j) => j.attempts === 0)).toBe(true);
      expect(hostile.requests.filter((r) => r.path.startsWith('/oauth/')).length).toBeLessThanOrEqual(10);
      const errors = jobs.filter((j) => j.error !== undefined).map((j) => j.error!.type);
      expect(errors.length).toBeGreaterThan(0);
      for (const type of errors) expect(['zoho_authentication_failed', 'zoho_token_refresh_failed']).toContain(type);
    } finally {
      await server.close();
      await hostile.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
