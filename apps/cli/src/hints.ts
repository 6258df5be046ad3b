// One set of hints for every command: what Zoho's answer means for what the user gave, and what to
// fix. The bulk run stops on these (job-errors.ts) and the single-record commands report them (the
// connection's withClient); both word them here, for the credentials given (an access token cannot
// be refreshed; a refresh token can), the command's operation and scopes, the module, the data centre.
import { KNOWN_MODULES, scopesFor, type KnownZohoCrmError, type OperationName } from '@zcrm-sharing/client';
import { closest } from './did-you-mean.js';
import type { ExitName } from './exit-codes.js';

/** Which credentials the calls used. */
export type AuthKind = 'access-token' | 'refresh-token' | 'sandbox';

export interface HintContext {
  operation: OperationName;
  /** The module the command names, if any. */
  module?: string | undefined;
  auth: AuthKind;
  /** Where the calls went (`--dc us`, `--base-url`), or undefined with --sandbox. */
  dc?: string | undefined;
}

export interface Hint {
  exit: ExitName;
  /** What Zoho said, and what to fix, in words. */
  message: string;
  /** Options that fix it, when known (`--module Contacts` for `--module Contact`). */
  fix?: Record<string, string>;
}

/** What each operation does, in words: "revoke sharing of Contacts records". */
const ACTION: Record<OperationName, (module: string) => string> = {
  revokeSharedRecord: (m) => `revoke sharing of ${m} records`,
  getSharedRecordDetails: (m) => `read the sharing of ${m} records`,
  shareRecord: (m) => `share ${m} records`,
  updateRecordShares: (m) => `update the sharing of ${m} records`,
  rerunDataSharingRules: () => 'rerun data sharing rules',
  getDataSharingRulesSummary: () => 'read the data sharing rules summary',
};

/** Codes of a request that is wrong whatever the record: a URL or method Zoho does not serve. */
const WRONG_URL = new Set(['INVALID_URL_PATTERN', 'INVALID_REQUEST_METHOD', 'API_NOT_SUPPORTED']);

/** The hint for an answer about the request (auth, scope, permission, module, URL); undefined for one about a record. */
export function hintFor(e: KnownZohoCrmError, c: HintContext): Hint | undefined {
  const said = 'code' in e ? `${e.code}: ${e.message.replace(/^\d{3} [A-Z0-9_]+: /, '')}` : e.message;
  const module = c.module ?? '';
  const dc = c.dc ? ` and the data centre (${c.dc}: a token works only in the data centre that issued it)` : '';
  switch (e.kind) {
    case 'invalid_module': {
      const known = closest(module, KNOWN_MODULES.filter((m) => m !== module));
      return {
        exit: 'USAGE',
        message: `Zoho does not know the module ${JSON.stringify(module)} (${said}); ${known ? `did you mean --module ${known}? ` : ''}check --module against the module's API name in Zoho (Setup > Developer Hub > APIs and SDKs)`,
        ...(known ? { fix: { module: known } } : {}),
      };
    }
    case 'scope_mismatch': {
      const scopes = scopesFor(c.operation, c.module).join(' or ');
      const linking = c.operation === 'revokeSharedRecord' || c.operation === 'getSharedRecordDetails' ? `, or ${module} is a module whose records cannot be shared (a linking module); fix the token's scopes or --module` : "; fix the token's scopes";
      return { exit: 'AUTH', message: `${said}: the token lacks the scope to ${ACTION[c.operation](module)} (${scopes})${linking}` };
    }
    case 'authentication':
      return c.auth === 'access-token'
        ? { exit: 'AUTH', message: `Zoho refused the access token (${said}). An access token cannot be refreshed: get a new one (they last an hour), or set ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN (or run zcrm-sharing config set) so that it is refreshed; check the token${dc}` }
        : { exit: 'AUTH', message: `Zoho refused the token (${said}), after one refresh; check the credentials (ZOHO_* or zcrm-sharing config set)${dc}` };
    case 'token_refresh':
      return { exit: 'AUTH', message: `${e.message}; check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN (or zcrm-sharing config set)${dc.replace('a token works', 'a refresh token works')}` };
    case 'permission_denied':
      return { exit: 'AUTH', message: `${said}: the Zoho user behind the token may not ${ACTION[c.operation](module)}; give its profile that permission, or use another user's token` };
    case 'unexpected_response':
      return { exit: 'ERROR', message: `${e.name}: ${e.message}` };
    case 'api':
      if (WRONG_URL.has(e.code) || e.status === 404 || e.status === 405) return { exit: 'USAGE', message: `Zoho does not serve this URL (${said}); check --base-url and --api-version` };
      return undefined;
    default:
      return undefined;
  }
}
