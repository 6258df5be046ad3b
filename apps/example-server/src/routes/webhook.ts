// POST /webhooks/zoho/revoke-sharing: Zoho's workflow webhook. Answered 202 only once the job (or
// the delivery joined to one) is committed to the store.
import { failed, type Answer, type Handler } from '../http/answer.js';
import type { Route } from '../http/route-table.js';
import { RequestProblem, SECRET_HEADER, parseFields, presentedSecret, readBody, revokeRequestOf, secretMatches } from '../http/webhook-request.js';
import type { WebhookQueue } from '../queue/jobs.js';
import { STORE_UNAVAILABLE } from '../http/errors.js';

export function webhookRoute(secret: string | undefined, queue: WebhookQueue): Route {
  const webhook: Handler = async (ctx) => {
    const { req } = ctx;
    if (!secret) {
      return { status: 503, body: { error: 'webhook_disabled', message: 'the webhook is off: set WEBHOOK_SECRET to turn it on' } };
    }
    const unauthorized: Answer = { status: 401, body: { error: 'unauthorized', message: `missing or wrong webhook secret (send it in the ${SECRET_HEADER} header)` } };
    // The header is checked before the body is read: an unauthenticated caller learns nothing else.
    const header = req.headers[SECRET_HEADER];
    const headerChecked = typeof header === 'string' && header !== '';
    if (headerChecked && !secretMatches(header, secret)) return unauthorized;
    let fields: Record<string, unknown>;
    try {
      fields = parseFields(req.headers['content-type'], await readBody(req));
    } catch (err) {
      if (!headerChecked) return unauthorized;
      if (err instanceof RequestProblem) return { status: err.status, body: err.body };
      throw err;
    }
    if (!headerChecked && !secretMatches(presentedSecret(req, fields), secret)) return unauthorized;
    delete fields.secret;

    let input;
    try {
      input = revokeRequestOf(fields);
    } catch (err) {
      return failed(ctx, err);
    }
    let result;
    try {
      result = await queue.submit(input.module, input.recordId);
    } catch (err) {
      // The store could not commit (a full disk, a read-only folder, Postgres down): nothing was
      // accepted, so the sender must deliver again. Never 202 without a commit, never a 500.
      ctx.log.rejected = 'store_unavailable';
      ctx.log.errorName = err instanceof Error ? err.name : typeof err;
      ctx.log.storeError = err instanceof Error ? err.message : String(err);
      return STORE_UNAVAILABLE;
    }
    if (!result.accepted) {
      ctx.log.rejected = result.reason;
      const message = result.reason === 'closed' ? 'the server is stopping' : 'the revoke queue is full; deliver again later';
      return { status: 503, headers: { 'retry-after': result.reason === 'closed' ? '5' : '30' }, body: { error: result.reason, message } };
    }
    const { job, coalesced } = result;
    ctx.log.jobId = job.id;
    ctx.log.coalesced = coalesced;
    return {
      status: 202,
      body: { accepted: true, jobId: job.id, coalesced, status: job.status, module: job.module, recordId: job.recordId },
    };
  };
  return { pattern: /^\/webhooks\/zoho\/revoke-sharing$/, methods: { POST: webhook }, admin: false };
}
