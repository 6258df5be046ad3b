import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isZohoCrmError, type ZohoCrmClient, type ZohoCrmErrorKind } from '@zcrm-sharing/client';
import { openIds, readIds } from './ids.js';
import { type DoneIds, Journal, type Outcome } from './journal.js';
import type { Output } from './output.js';

export interface BulkOptions {
  module: string;
  idsPath: string;
  concurrency: number;
  journalPath: string;
  resume: boolean;
  dryRun: boolean;
  /** Undefined in --dry-run. */
  client?: ZohoCrmClient;
  out: Output;
  /** Aborted on the first Ctrl-C: no new calls start and every wait ends; in-flight calls may finish. */
  stop: AbortSignal;
  /** Aborted after the grace period or on a second Ctrl-C: in-flight calls are cancelled (and not journalled). */
  cancel: AbortSignal;
}

export interface BulkSummary {
  module: string;
  total: number;
  invalid: number;
  skipped: number;
  revoked: number;
  notShared: number;
  failed: number;
  failedByCode: Record<string, number>;
  elapsedMs: number;
  ratePerSecond: number;
  interrupted: boolean;
  /** Waits (for a 429's Retry-After) that Ctrl-C cut short; their ids are left for --resume. */
  waitsAborted: number;
  fatal?: string;
  /** The error kind that stopped the run ('internal': not an error of the client). */
  fatalKind?: ZohoCrmErrorKind | 'internal';
  dryRun: boolean;
  journal: string;
}

const MAX_INVALID_SHOWN = 20;
const RATE_LIMIT_REQUEUES = 20;
/** The longest this limiter waits after a 429, whatever Retry-After asks (the client caps it too). */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;
/** Kinds that fail every other id the same way: the run stops and leaves them for --resume. */
const FATAL = new Set<ZohoCrmErrorKind>(['authentication', 'scope_mismatch', 'permission_denied', 'token_refresh', 'unexpected_response']);

/** Bounded, adaptive concurrency: halves on 429, never grows past the lowest limit a 429 taught it. */
export class ConcurrencyLimiter {
  limit: number;
  ceiling: number;
  private streak = 0;
  constructor(readonly max: number) {
    this.limit = max;
    this.ceiling = max;
  }
  rateLimited(inFlight: number): void {
    this.ceiling = Math.max(1, Math.min(this.ceiling, inFlight - 1));
    this.limit = Math.max(1, Math.min(this.ceiling, Math.floor(this.limit / 2)));
    this.streak = 0;
  }
  succeeded(): void {
    if (++this.streak >= this.limit * 4 && this.limit < this.ceiling) {
      this.limit++;
      this.streak = 0;
    }
  }
}

export async function bulkRevoke(opts: BulkOptions, limiter = new ConcurrencyLimiter(opts.concurrency)): Promise<BulkSummary> {
  const started = Date.now();
  const { out } = opts;
  const summary: BulkSummary = {
    module: opts.module, total: 0, invalid: 0, skipped: 0, revoked: 0, notShared: 0, failed: 0, failedByCode: {},
    elapsedMs: 0, ratePerSecond: 0, interrupted: false, waitsAborted: 0, dryRun: opts.dryRun, journal: opts.journalPath,
  };

  // Pass 1: validate every line before sending anything. stdin is spooled to a temp file for pass 2.
  let path = opts.idsPath;
  let spoolDir: string | undefined;
  let spool: ReturnType<typeof createWriteStream> | undefined;
  if (path === '-') {
    spoolDir = mkdtempSync(join(tmpdir(), 'zcrm-sharing-'));
    path = join(spoolDir, 'ids.txt');
    spool = createWriteStream(path);
  }
  try {
    const done: DoneIds = opts.resume ? await Journal.done(opts.journalPath) : new Set<string>();
    for await (const item of readIds(openIds(opts.idsPath))) {
      if ('error' in item) {
        summary.invalid++;
        if (summary.invalid <= MAX_INVALID_SHOWN) out.info(`line ${item.line}: ${item.error}, got ${JSON.stringify(item.text)} (not sent)`);
        out.record({ type: 'invalid', line: item.line, error: item.error });
        // Keep line numbers identical in the spool: pass 2 skips this line by number.
        spool?.write('#invalid\n');
        continue;
      }
      summary.total++;
      if (done.has(item.id)) summary.skipped++;
      spool?.write(`${item.id}\n`);
    }
    if (spool) {
      spool.end();
      await finished(spool);
    }
    if (summary.invalid > MAX_INVALID_SHOWN) out.info(`... and ${summary.invalid - MAX_INVALID_SHOWN} more invalid lines (not sent)`);
    if (opts.resume && summary.skipped) out.info(`resuming: ${summary.skipped} ids already done according to ${opts.journalPath}`);
    if (opts.dryRun || !opts.client) return finish();

    // Pass 2: send, bounded and adaptive.
    const client = opts.client;
    const journal = new Journal(opts.journalPath);
    const toSend = summary.total - summary.skipped;
    const requeue: { id: string; attempts: number }[] = [];
    const ids = (async function* () {
      for await (const item of readIds(openIds(path))) if ('id' in item && !done.has(item.id)) yield item.id;
    })();
    let inFlight = 0;
    let exhausted = false;
    let fatal: string | undefined;
    const progress = () =>
      out.progress({ done: summary.revoked + summary.notShared + summary.failed, total: toSend, revoked: summary.revoked, notShared: summary.notShared, failed: summary.failed, concurrency: limiter.limit, elapsedMs: Date.now() - started });

    const record = (id: string, outcome: Outcome, serverCode?: string) => {
      const code = serverCode && out.redact(serverCode);
      journal.append(code ? { id, outcome, code } : { id, outcome });
      out.record({ type: 'result', id, outcome, ...(code ? { code } : {}) });
      if (outcome === 'revoked') summary.revoked++;
      else if (outcome === 'not_shared') summary.notShared++;
      else {
        summary.failed++;
        summary.failedByCode[code ?? 'UNKNOWN'] = (summary.failedByCode[code ?? 'UNKNOWN'] ?? 0) + 1;
      }
      progress();
    };

    const revokeOne = async (id: string, attempts: number) => {
      try {
        // The client checked that Zoho answered SUCCESS for this very id: nothing else is "revoked".
        await client.revokeSharedRecord({ module: opts.module, recordId: id }, { signal: opts.cancel });
        limiter.succeeded();
        record(id, 'revoked');
      } catch (e) {
        if (!isZohoCrmError(e)) {
          fatal ??= `internal error (${(e as Error)?.name ?? typeof e})`;
          summary.fatal = fatal;
          summary.fatalKind ??= 'internal';
          return;
        }
        switch (e.kind) {
          case 'nothing_to_revoke':
            limiter.succeeded();
            return record(id, 'not_shared');
          case 'abort':
            return; // cancelled: not journalled, so --resume sends it again
          case 'rate_limit':
            if (attempts >= RATE_LIMIT_REQUEUES) return record(id, 'failed', e.code);
            limiter.rateLimited(inFlight);
            requeue.push({ id, attempts: attempts + 1 });
            // Holds this slot while waiting; Ctrl-C ends the wait at once (the id stays unjournalled).
            await sleep(Math.min(e.retryAfterMs ?? 1000, MAX_RATE_LIMIT_WAIT_MS), undefined, { signal: opts.stop }).catch(() => summary.waitsAborted++);
            return;
          default:
            if (FATAL.has(e.kind)) {
              // Every other id would fail the same way: stop, leave them for --resume.
              fatal ??= `${e.name}: ${e.message}`;
              summary.fatal = fatal;
              summary.fatalKind ??= e.kind;
              return;
            }
            return record(id, 'failed', 'code' in e ? e.code : e.kind);
        }
      }
    };

    await new Promise<void>((resolveAll) => {
      let pumping = false;
      let again = false;
      const pump = async () => {
        if (pumping) return void (again = true);
        pumping = true;
        do {
          again = false;
          while (!opts.stop.aborted && !fatal && inFlight < limiter.limit) {
            let next = requeue.shift();
            if (!next) {
              if (exhausted) break;
              const n = await ids.next();
              if (n.done) {
                exhausted = true;
                break;
              }
              next = { id: n.value, attempts: 0 };
            }
            inFlight++;
            void revokeOne(next.id, next.attempts).finally(() => {
              inFlight--;
              void pump();
            });
          }
        } while (again);
        pumping = false;
        const drained = (exhausted && requeue.length === 0) || opts.stop.aborted || fatal;
        if (drained && inFlight === 0) resolveAll();
      };
      void pump();
    });
    journal.close();
    summary.interrupted = opts.stop.aborted;
    out.done();
    return finish();
  } finally {
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  }

  function finish(): BulkSummary {
    summary.elapsedMs = Date.now() - started;
    const handled = summary.revoked + summary.notShared + summary.failed;
    summary.ratePerSecond = summary.elapsedMs > 0 ? Math.round((handled / summary.elapsedMs) * 1000) : 0;
    return summary;
  }
}
