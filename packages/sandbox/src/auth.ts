// Who is calling: the access token of `Authorization: Zoho-oauthtoken <token>`, and the scopes it
// carries. The answers are the operation's own named 401 examples.
import { scopesFor } from './generated/zoho.js';
import { Reply, fail } from './reply.js';
import type { SpecOperation } from './spec.js';
import type { SandboxState, TokenState } from './state.js';

export interface Caller extends TokenState {
  token: string;
}

const ZOHO_OAUTHTOKEN = /^Zoho-oauthtoken\s+(\S+)$/;

/** `dataCenter`: the data centre of the API host called (none: the sandbox's own origin). */
export function authenticate(op: SpecOperation, header: string | undefined, state: SandboxState, now: number, dataCenter?: string): Caller | Reply {
  // Zoho wants the Zoho-oauthtoken prefix; any other scheme (Bearer) is treated as no token at all.
  const match = header ? ZOHO_OAUTHTOKEN.exec(header) : null;
  if (!match) return fail(op, 'AUTHENTICATION_FAILURE');
  const token = state.tokens.get(match[1]!);
  // Zoho's data centres keep their own tokens: one from another data centre is as unknown as a made-up one.
  if (!token || token.expiresAt <= now || (token.dataCenter !== undefined && dataCenter !== undefined && token.dataCenter !== dataCenter)) return fail(op, 'INVALID_TOKEN');
  return { ...token, token: match[1]! };
}

// The scopes an operation accepts for a module, worked out once per (operation, module).
const accepted = new Map<string, string[]>();

/** Whether the caller holds one of the scopes the operation accepts (for `module`, on record-sharing operations). */
export function hasScope(caller: Caller, op: SpecOperation, module?: string): boolean {
  const key = module === undefined ? op.id : `${op.id}/${module}`;
  let scopes = accepted.get(key);
  if (!scopes) accepted.set(key, (scopes = scopesFor(op.id, module)));
  return scopes.some((s) => caller.scopes.has(s));
}
