// Request logs: one JSON line per request, and no secret in any log line or answer.
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { redactSecrets } from '@zcrm-sharing/client';
import { REDACTED, createLogger } from '../src/index.ts';
import { SECRET, closeAll, contactId, deliver, harness, request, type Answer } from './helpers.ts';
import { until } from './processes.ts';

afterEach(closeAll);

describe('request logs', () => {
  it('one JSON line per request, with method, path, status, duration and request id', async () => {
    const h = await harness();
    const answers = [
      await request(`${h.url}/healthz`),
      await deliver(h.url, { module: 'Contacts', recordId: contactId(0) }),
      await request(`${h.url}/api/records/Contacts/${contactId(1)}/sharing`, { method: 'DELETE' }),
      await request(`${h.url}/nope?x=1`),
    ];
    await h.server.idle();
    const lines = h.logs.filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/healthz', 200],
      ['POST', '/webhooks/zoho/revoke-sharing', 202],
      ['DELETE', `/api/records/Contacts/${contactId(1)}/sharing`, 200],
      ['GET', '/nope', 404], // the query string is not logged
    ]);
    expect(lines.map((l) => l.requestId)).toEqual(answers.map((a) => a.headers.get('x-request-id')));
    for (const l of lines) {
      expect(l.level).toBe('info');
      expect(Number.isNaN(Date.parse(l.time))).toBe(false);
      expect(typeof l.durationMs).toBe('number');
    }
    expect(lines[1]).toMatchObject({ jobId: answers[1]!.body.jobId, coalesced: false });
    expect(h.logs.find((l) => l.msg === 'webhook job finished')).toMatchObject({ module: 'Contacts', recordId: contactId(0), status: 'revoked' });
  });

  it('error answers are logged with the error kind and the Zoho code', async () => {
    const h = await harness({ sandbox: { rerunDurationMs: 60_000 } });
    await request(`${h.url}/api/modules/Leads/sharing-rules/rerun`, { method: 'POST' });
    await request(`${h.url}/api/modules/Leads/sharing-rules/rerun`, { method: 'POST' });
    expect(h.logs.filter((l) => l.msg === 'request').at(-1)).toMatchObject({ status: 409, error: 'scheduler_busy', zohoCode: 'CANNOT_PROCESS' });
  });
});

describe('no secret in logs or answers', () => {
  it('refresh grant, webhook secret, caller headers, errors and a token refresh: none of the secrets appear', async () => {
    const minted: string[] = [];
    const h = await harness({
      sandbox: {
        onResponse: (e) => {
          const token = (e.body as { access_token?: unknown } | undefined)?.access_token;
          if (typeof token === 'string') minted.push(token);
        },
      },
      zoho: { auth: { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken } },
    });
    const wrongGuess = `${SECRET.slice(0, -3)}zzz`;
    const answers: Answer[] = [];
    const callerHeaders = { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}`, cookie: `session=${SECRET}` };
    answers.push(await deliver(h.url, { module: 'Contacts', recordId: contactId(0) }));
    answers.push(await deliver(h.url, { module: 'Contacts', recordId: contactId(1), secret: SECRET }, { secret: null }));
    answers.push(await deliver(h.url, { module: 'Contacts', recordId: contactId(2), secret: SECRET }, { secret: null, as: 'json' }));
    answers.push(await deliver(h.url, { module: 'Contacts', recordId: contactId(3) }, { secret: wrongGuess }));
    answers.push(await deliver(h.url, { module: 'Contacts', recordId: 'x' }, { headers: callerHeaders }));
    answers.push(await request(`${h.url}/api/modules/Leads/sharing-rules/rerun`, { method: 'POST', headers: callerHeaders }));
    answers.push(await request(`${h.url}/api/modules/Leads/sharing-rules/rerun`, { method: 'POST' })); // 409
    h.sandbox.expireTokens(); // the next call gets 401 INVALID_TOKEN, refreshes once and repeats
    answers.push(await request(`${h.url}/api/records/Contacts/${contactId(4)}/sharing`, { method: 'DELETE', headers: callerHeaders }));
    answers.push(await request(`${h.url}/api/jobs`));
    await h.server.idle();

    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 401, 400, 202, 409, 200, 200]);
    expect(minted.length).toBeGreaterThanOrEqual(2); // the first grant, and the refresh after expireTokens()
    expect(h.logs.some((l) => l.msg === 'zoho token refresh')).toBe(true);

    const logText = h.rawLogs.join('\n');
    const answerText = answers.map((a) => JSON.stringify(a.body)).join('\n');
    const secrets = { webhookSecret: SECRET, wrongGuess, clientSecret: DEMO_CREDENTIALS.clientSecret, refreshToken: DEMO_CREDENTIALS.refreshToken, accessToken: DEMO_CREDENTIALS.accessToken };
    for (const [name, value] of Object.entries({ ...secrets, ...Object.fromEntries(minted.map((t, i) => [`minted${i}`, t])) })) {
      expect(logText.includes(value), `${name} in the logs`).toBe(false);
      expect(answerText.includes(value), `${name} in an answer`).toBe(false);
    }
    expect(logText).not.toMatch(/Zoho-oauthtoken|session=/);
    expect(h.logs.filter((l) => l.msg === 'request')).toHaveLength(answers.length);
  });

  it('a rejected access token is not echoed in logs or answers', async () => {
    const badToken = '1000.rejected-token.value-that-must-stay-private';
    const h = await harness({ zoho: { auth: { accessToken: badToken } } });
    const answers = [
      await request(`${h.url}/api/records/Contacts/${contactId(0)}/sharing`, { method: 'DELETE' }),
      await deliver(h.url, { module: 'Contacts', recordId: contactId(1) }),
    ];
    // A refused token pauses the queue: the job waits, uncounted, with the error.
    await until('the job to be tried', async () => (await h.server.jobs())[0]?.error !== undefined);
    expect(answers[0]!.body.zohoCode).toBe('INVALID_TOKEN');
    expect((await h.server.jobs())[0]).toMatchObject({ status: 'queued', attempts: 0, error: { zohoCode: 'INVALID_TOKEN' } });
    const all = [...h.rawLogs, ...answers.map((a) => JSON.stringify(a.body)), JSON.stringify((await h.server.jobs()))].join('\n');
    expect(all.includes(badToken)).toBe(false);
  });

  it('the logger drops sensitive keys and replaces known secret values, JSON-escaped ones included', () => {
    const lines: string[] = [];
    const secret = 'sec"ret\\value-123';
    const log = createLogger((l) => lines.push(l), (text) => redactSecrets(text, [secret, 'abc']));
    log.info(`message with ${secret}`, { headers: { authorization: 'Zoho-oauthtoken xyz', 'x-webhook-secret': 'w', accept: 'json' }, note: `has ${secret}` });
    const entry = JSON.parse(lines[0]!);
    expect(entry.headers).toEqual({ authorization: REDACTED, 'x-webhook-secret': REDACTED, accept: 'json' });
    expect(entry.msg).toBe(`message with ${REDACTED}`);
    expect(entry.note).toBe(`has ${REDACTED}`);
    expect(lines[0]).not.toContain('ret\\\\value');
    // Secrets under 4 characters are not replaced (they would mangle ordinary text).
    log.info('abc');
    expect(JSON.parse(lines[1]!).msg).toBe('abc');
  });
});
