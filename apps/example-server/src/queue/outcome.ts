// The one table that decides what a failed revoke means for its webhook job, used by both queues:
// transient (wait, try again within the retry policy), paused (the whole queue waits for a person:
// no job is consumed) or final (Zoho answered about the request itself: trying again cannot help).
import { isZohoCrmError, type KnownZohoCrmError, type RateLimitError, type ZohoApiError } from '@zcrm-sharing/client';

export type FailureClass = 'transient' | 'paused' | 'final';

type Rule<K extends KnownZohoCrmError['kind']> = FailureClass | ((err: Extract<KnownZohoCrmError, { kind: K }>) => FailureClass);

/**
 * Zoho answers 429 TOO_MANY_REQUESTS both over the concurrency cap and when the org's daily credits
 * are spent; only the message tells them apart (the spec's two examples). Credits: waiting minutes
 * and retrying would burn attempts for nothing, so the queue pauses instead.
 */
const creditsSpent = (err: RateLimitError) => /credit/i.test(err.message);

/**
 * A 4xx with no Zoho status object in its body (the client's code is then `HTTP_<status>`) is a
 * proxy's, a load balancer's or a firewall's page, as seen while Zoho is down or being moved: it says
 * nothing about the request, so the job waits and tries again (within the retry policy's bounds).
 */
const notZohos = (err: ZohoApiError) => err.code.startsWith('HTTP_');

/** By the client's error kind; TypeScript checks that every kind is here. */
export const FAILURE_CLASS: { [K in KnownZohoCrmError['kind']]: Rule<K> } = {
  // No answer, or no answer to conclude from: the request may not have reached Zoho.
  connection: 'transient',
  timeout: 'transient',
  unexpected_response: 'transient',
  // Zoho's own trouble (any 5xx, INTERNAL_ERROR) and load.
  server: 'transient',
  scheduler_busy: 'transient',
  rate_limit: (err) => (creditsSpent(err) ? 'paused' : 'transient'),
  // The token URL down or failing (5xx, 429) is transient; a refused refresh token (400/200 with an
  // OAuth error, a redirect) will be refused for every job until someone fixes it.
  token_refresh: (err) => (err.status !== undefined && (err.status >= 500 || err.status === 429) ? 'transient' : 'paused'),
  // An access token Zoho no longer takes: every job would fail alike.
  authentication: 'paused',
  // Zoho's answers about the request itself (a page that is not Zoho's answer: transient).
  scope_mismatch: 'final',
  permission_denied: (err) => (notZohos(err) ? 'transient' : 'final'),
  invalid_module: 'final',
  invalid_record_id: 'final',
  invalid_input: 'final',
  nothing_to_revoke: 'final',
  api: (err) => (err.status === 408 || notZohos(err) ? 'transient' : 'final'),
  // The server is stopping: the queue puts the job back (never reaches this table in a job's run).
  abort: 'transient',
};

/** What a failure means for a webhook job. Anything that is not the client's error (a bug) is final. */
export function failureClass(err: unknown): FailureClass {
  if (!isZohoCrmError(err)) return 'final';
  const rule = FAILURE_CLASS[err.kind] as Rule<typeof err.kind>;
  return typeof rule === 'function' ? (rule as (e: typeof err) => FailureClass)(err) : rule;
}
