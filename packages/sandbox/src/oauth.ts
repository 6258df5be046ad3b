// POST /oauth/v2/token, Zoho Accounts' refresh-token grant (not part of the CRM API spec). Zoho answers
// a bad client or refresh token with HTTP 200 and an `error` field, so clients must test for
// `access_token`, not the status; the sandbox does the same.
import type { SandboxConfig } from './config.js';
import { Reply } from './reply.js';
import { DEFAULT_ORG, type SandboxState } from './state.js';
import { DEMO_ADMIN } from './seed.js';

/** `bytes` random bytes as hex, from Web Crypto (global in Node 20+, workerd and browsers). */
function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function tokenGrant(method: string, body: string, state: SandboxState, config: SandboxConfig, now: number, apiDomain: string, dataCenter?: string): Reply {
  if (method !== 'POST') return new Reply(405, { error: 'invalid_request' });
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'refresh_token') return new Reply(400, { error: 'unsupported_grant_type' });
  const client = state.clients.get(form.get('client_id') ?? '');
  if (!client || client.clientSecret !== form.get('client_secret')) return new Reply(200, { error: 'invalid_client' });
  if (client.refreshToken !== form.get('refresh_token')) return new Reply(200, { error: 'invalid_code' });
  const accessToken = `1000.${randomHex(16)}.${randomHex(16)}`;
  state.tokens.set(accessToken, {
    scopes: new Set(client.scopes),
    expiresAt: now + config.accessTokenTtlSeconds * 1000,
    profile: 'admin',
    org: client.org ?? DEFAULT_ORG,
    user: client.user ?? DEMO_ADMIN.id,
    // Minted at a data centre's accounts host: good at that data centre's API hosts only.
    ...(dataCenter !== undefined && { dataCenter }),
  });
  state.stats.tokenRefreshes++;
  state.onChange();
  return new Reply(200, { access_token: accessToken, api_domain: apiDomain, token_type: 'Bearer', expires_in: config.accessTokenTtlSeconds });
}
