// Answers about the job rather than the record: every other id would get the same one, so the first
// stops the run (nothing more is sent, nothing is journalled as failed), with what to fix.
import { KNOWN_MODULES, scopesFor, type KnownZohoCrmError } from '@zcrm-sharing/client';
import { closest } from '../did-you-mean.js';
import type { ExitName } from '../exit-codes.js';

export interface JobStop {
  exit: ExitName;
  /** What Zoho said, and what to fix, in words. */
  message: string;
  /** Options that fix it, when known (`--module Contacts` for `--module Contact`). */
  fix?: Record<string, string>;
}

/** The codes of a request that is wrong whatever the record: a URL or method Zoho does not serve. */
const WRONG_URL = new Set(['INVALID_URL_PATTERN', 'INVALID_REQUEST_METHOD', 'API_NOT_SUPPORTED']);

export function jobStopFor(e: KnownZohoCrmError, module: string): JobStop | undefined {
  const said = 'code' in e ? `${e.code}: ${e.message.replace(/^\d{3} [A-Z0-9_]+: /, '')}` : e.message;
  switch (e.kind) {
    case 'invalid_module': {
      const known = closest(module, KNOWN_MODULES.filter((m) => m !== module));
      return {
        exit: 'USAGE',
        message: `Zoho does not know the module ${JSON.stringify(module)} (${said}); ${known ? `did you mean --module ${known}? ` : ''}check --module against the module's API name in Zoho (Setup > Developer Hub > APIs and SDKs)`,
        ...(known ? { fix: { module: known } } : {}),
      };
    }
    case 'scope_mismatch':
      return {
        exit: 'AUTH',
        message: `${said}: the token lacks the scope to revoke sharing of ${module} (${scopesFor('revokeSharedRecord', module).join(' or ')}), or ${module} is a module whose records cannot be shared (a linking module); fix the token's scopes or --module`,
      };
    case 'authentication':
      return { exit: 'AUTH', message: `Zoho refused the token (${said}), after one refresh; check the credentials (ZOHO_* or zcrm-sharing config set) and the data centre (--dc)` };
    case 'token_refresh':
      return { exit: 'AUTH', message: `${e.message}` };
    case 'permission_denied':
      return { exit: 'AUTH', message: `${said}: the Zoho user behind the token may not revoke sharing of ${module} records; give its profile that permission, or use another user's token` };
    case 'unexpected_response':
      return { exit: 'ERROR', message: `${e.name}: ${e.message}` };
    case 'api':
      if (WRONG_URL.has(e.code) || e.status === 404 || e.status === 405) {
        return { exit: 'USAGE', message: `Zoho does not serve this URL (${said}); check --base-url and --api-version` };
      }
      return undefined;
    default:
      return undefined;
  }
}
