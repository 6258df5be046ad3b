// What each browser page does: the client, unchanged code for Zoho's EU data centre (refresh-token
// auth), a rerun, a revoke and its repeat. `fetch`: the sandbox's, or none (the page's, under MSW).
import { createZohoCrmClient, NothingToRevokeError } from '@zcrm-sharing/client';
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox/fetch';

export const RECORD = '4150868000001148212';

export async function roundTrip(fetch?: typeof globalThis.fetch): Promise<Record<string, unknown>> {
  const { clientId, clientSecret, refreshToken } = DEMO_CREDENTIALS;
  const zoho = createZohoCrmClient({ auth: { clientId, clientSecret, refreshToken }, dataCenter: 'eu', maxRetries: 0, ...(fetch ? { fetch } : {}) });
  const rerun = (await zoho.rerunDataSharingRules({ module: 'Leads' })).outcome;
  const revoked = (await zoho.revokeSharedRecord({ module: 'Contacts', recordId: RECORD })).details.id;
  const again = await zoho.revokeSharedRecord({ module: 'Contacts', recordId: RECORD }).then(
    () => 'succeeded',
    (e: unknown) => (e instanceof NothingToRevokeError ? 'NothingToRevokeError' : String(e)),
  );
  return { rerun, revoked, again };
}

/** Publishes the page's outcome for the test: `globalThis.__result`. */
export function publish(work: () => Promise<Record<string, unknown>>): void {
  work().then(
    (result) => ((globalThis as { __result?: unknown }).__result = result),
    (e: unknown) => ((globalThis as { __result?: unknown }).__result = { error: String((e as Error)?.stack ?? e) }),
  );
}
