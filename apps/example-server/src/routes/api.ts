// /healthz, and the JSON API behind the admin page: the webhook jobs, and the three Zoho calls a
// person can make (rerun a module's rules, their status, revoke one record's sharing).
import { NothingToRevokeError, validateModule, validateRecordId, validateRevocableModule, type ZohoCrmClient } from '@zcrm-sharing/client';
import type { Slots } from '../concurrency/slots.js';
import { failed, type Handler } from '../http/answer.js';
import type { Route } from '../http/route-table.js';
import type { WebhookQueue } from '../queue/jobs.js';

export interface ApiDeps {
  client: ZohoCrmClient;
  /** A Zoho call for a person waiting on it: served before queued webhook jobs. */
  zohoCall: <T>(fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  queue: WebhookQueue;
  slots: Slots;
  mode: 'zoho' | 'sandbox';
  concurrency: number;
  webhookEnabled: boolean;
  adminLogin: boolean;
  started: number;
  stopping: () => boolean;
}

export function apiRoutes(d: ApiDeps): Route[] {
  const { client, zohoCall, queue, slots, mode, concurrency } = d;

  const health: Handler = async () => ({
    status: d.stopping() ? 503 : 200,
    body: {
      status: d.stopping() ? 'stopping' : 'ok',
      mode,
      uptimeSeconds: Math.round((Date.now() - d.started) / 1000),
      webhook: { enabled: d.webhookEnabled },
      admin: { login: d.adminLogin },
      zohoConcurrency: { max: concurrency, active: slots.active, waiting: slots.waiting, shared: queue.kind === 'postgres' },
      queue: { store: queue.kind, ...(await queue.counts()), paused: queue.paused ?? null },
    },
  });

  const jobs: Handler = async () => ({
    status: 200,
    body: { mode, store: queue.kind, concurrency, ...(await queue.counts()), paused: queue.paused ?? null, counters: { ...queue.counters }, jobs: await queue.jobs() },
  });

  /** After a pause's cause is fixed (a new refresh token, credits back): the queue takes jobs again. */
  const resume: Handler = () => {
    const was = queue.paused;
    queue.resume();
    return { status: 200, body: { resumed: was !== undefined, paused: null } };
  };

  const rerun: Handler = async (ctx) => {
    try {
      const module = validateModule(ctx.params[0], 'module');
      const r = await zohoCall((signal) => client.rerunDataSharingRules({ module }, { signal }));
      if (r.outcome === 'no_rules') return { status: 200, body: { module, scheduled: false, noRules: true, message: `${module} has no data sharing rules: nothing to rerun` } };
      return { status: 202, body: { module, scheduled: true, noRules: false, zohoCode: r.code, message: r.message } };
    } catch (err) {
      return failed(ctx, err);
    }
  };

  const status: Handler = async (ctx) => {
    try {
      const module = validateModule(ctx.params[0], 'module');
      const summary = await zohoCall((signal) => client.getDataSharingRulesSummary({ module }, { signal }));
      if (!summary) return { status: 200, body: { module, ruleCount: 0, computing: false, done: true, noRules: true } };
      const computing = summary.rule_computation_status === true;
      return { status: 200, body: { module, ruleCount: summary.rule_count, computing, done: !computing, noRules: false } };
    } catch (err) {
      return failed(ctx, err);
    }
  };

  const revoke: Handler = async (ctx) => {
    let module: string;
    let recordId: string;
    try {
      // Checked before waiting for a Zoho slot, with the client's own validators.
      module = validateRevocableModule(ctx.params[0], 'module');
      recordId = validateRecordId(ctx.params[1], 'recordId');
    } catch (err) {
      return failed(ctx, err);
    }
    try {
      const r = await zohoCall((signal) => client.revokeSharedRecord({ module, recordId }, { signal }));
      return { status: 200, body: { module, recordId, revoked: true, alreadyNotShared: false, zohoCode: r.code, message: r.message } };
    } catch (err) {
      if (err instanceof NothingToRevokeError) {
        ctx.log.outcome = 'already_not_shared';
        return { status: 200, body: { module, recordId, revoked: false, alreadyNotShared: true, zohoCode: err.code, message: err.message } };
      }
      return failed(ctx, err);
    }
  };

  return [
    { pattern: /^\/healthz$/, methods: { GET: health }, admin: false },
    { pattern: /^\/api\/jobs$/, methods: { GET: jobs }, admin: true },
    { pattern: /^\/api\/queue\/resume$/, methods: { POST: resume }, admin: true, mutating: true },
    { pattern: /^\/api\/modules\/([^/]+)\/sharing-rules\/rerun$/, methods: { POST: rerun }, admin: true, mutating: true },
    { pattern: /^\/api\/modules\/([^/]+)\/sharing-rules\/status$/, methods: { GET: status }, admin: true },
    { pattern: /^\/api\/records\/([^/]+)\/([^/]+)\/sharing$/, methods: { DELETE: revoke }, admin: true, mutating: true },
  ];
}
