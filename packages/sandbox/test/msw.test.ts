// @zcrm-sharing/sandbox/msw in a user's existing MSW setup (MSW's Node server): the client, unchanged and
// with the global fetch, talks to Zoho's hosts and gets the sandbox; the user's own handlers keep
// answering their own URLs; an unhandled request is still MSW's to report.
import { createZohoCrmClient, NothingToRevokeError } from '@zcrm-sharing/client';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, DEMO_CREDENTIALS } from '../src/fetch.ts';
import { sandboxHandlers } from '../src/msw.ts';
import { ID, manualClock, testSeed } from './helpers.ts';

const { clientId, clientSecret, refreshToken } = DEMO_CREDENTIALS;
const sandbox = createSandbox({ seed: testSeed(), now: manualClock().now });
const unhandled: string[] = [];
const server = setupServer(http.get('https://api.example.test/me', () => HttpResponse.json({ me: 'the app' })), ...sandboxHandlers(sandbox));

describe('sandboxHandlers() with setupServer', () => {
  beforeAll(() => {
    server.events.on('request:unhandled', ({ request }) => void unhandled.push(request.url));
    server.listen({ onUnhandledFrame: 'bypass' });
  });
  afterEach(() => void sandbox.reset());
  afterAll(() => server.close());

  it('the client with the global fetch and dataCenter eu: refresh, rerun, revoke, again; the state is the sandbox object', async () => {
    const zoho = createZohoCrmClient({ auth: { clientId, clientSecret, refreshToken }, dataCenter: 'eu', maxRetries: 0 });
    expect((await zoho.rerunDataSharingRules({ module: 'Leads' })).outcome).toBe('scheduled');
    expect((await zoho.revokeSharedRecord({ module: 'Contacts', recordId: ID })).details.id).toBe(ID);
    await expect(zoho.revokeSharedRecord({ module: 'Contacts', recordId: ID })).rejects.toBeInstanceOf(NothingToRevokeError);
    expect(sandbox.record('Contacts', ID)).toMatchObject({ shares: 0, revokeCalls: 2, revokeSuccesses: 1 });
    expect(sandbox.stats()).toMatchObject({ tokenRefreshes: 1, rerun: { scheduled: 1 } });
  });

  it("every origin the sandbox answers is handled (query strings included); the user's handlers and unhandled requests are left alone", async () => {
    for (const origin of sandbox.origins) {
      const res = await fetch(`${origin}/crm/v8/settings/data_sharing/rules/actions/summary?module=Leads`, { headers: { authorization: `Zoho-oauthtoken ${DEMO_CREDENTIALS.accessToken}` } });
      // Every origin answers from the sandbox: the API, or on accounts hosts Zoho's 404 for a URL it does not serve.
      expect([res.status, res.headers.get('content-type')], origin).toEqual([origin.startsWith('https://accounts.') ? 404 : 200, 'application/json;charset=UTF-8']);
    }
    expect(sandbox.stats().requests).toBe(sandbox.origins.length);
    expect(await (await fetch('https://api.example.test/me')).json()).toEqual({ me: 'the app' });
    // Look-alike hosts are not Zoho's: MSW reports them as unhandled (and they fail: nothing listens).
    for (const url of ['https://www.zohoapis.com.evil.test/crm/v8/x', 'https://evil.test/https://www.zohoapis.com/crm/v8/x']) await fetch(url).catch(() => {});
    expect(unhandled).toEqual(['https://www.zohoapis.com.evil.test/crm/v8/x', 'https://evil.test/https://www.zohoapis.com/crm/v8/x']);
  });
});
