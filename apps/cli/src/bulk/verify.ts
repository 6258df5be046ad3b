// --verify: after a bulk revoke, read back a random sample of the records Zoho said it revoked
// (getSharedRecordDetails). A sampled record that still has a share, or whose shares could not be
// read, is listed; either makes the run end with EXIT.STILL_SHARED, since "revoked" was not proven.
import { isZohoCrmError, type SharedRecordDetail, type ZohoCrmClient } from '@zcrm-sharing/client';
import { hintFor, type AuthKind } from '../hints.js';
import { usageError } from '../cli-error.js';
import { VERIFY_MAX, VERIFY_PERCENT } from '../commands/share-revoke.js';
import { MAX_RATE_LIMIT_WAIT_MS } from './limiter.js';
import type { Values } from '../option-values.js';

/** The most reads a --verify-sample may ask for (each costs an API credit). */
export const MAX_VERIFY_SAMPLE = 10_000;
/** Reads in flight at once (under the Free edition's concurrency limit of 5, whatever the run found). */
const VERIFY_CONCURRENCY = 4;
/** Attempts of one read answered 429 before it counts as unreadable. */
const MAX_RATE_LIMITED_READS = 5;

/** How many of the revoked records to read back. */
export type VerifyPlan = { kind: 'percent'; percent: number; max: number } | { kind: 'count'; count: number };

/** `--verify` and `--verify-sample N|N%` (which implies --verify); undefined without either. */
export function verifyPlan(values: Values): VerifyPlan | undefined {
  const raw = values['verify-sample'];
  if (raw === undefined) return values.verify ? { kind: 'percent', percent: VERIFY_PERCENT, max: VERIFY_MAX } : undefined;
  const expected = `expected a count from 1 to ${MAX_VERIFY_SAMPLE} or a share of the revoked records from 0.01% to 100%, got ${JSON.stringify(raw)}`;
  const percent = typeof raw === 'string' ? /^(\d{1,3}(?:\.\d{1,2})?)%$/.exec(raw) : null;
  if (percent) {
    const p = Number(percent[1]);
    if (p <= 0 || p > 100) throw usageError(`--verify-sample: ${expected}`);
    return { kind: 'percent', percent: p, max: MAX_VERIFY_SAMPLE };
  }
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_VERIFY_SAMPLE) throw usageError(`--verify-sample: ${expected}`);
  return { kind: 'count', count: Number(raw) };
}

/** The sample's size for `revoked` records: at least 1 when any was revoked, never more than were. */
export function sampleSize(plan: VerifyPlan, revoked: number): number {
  const n = plan.kind === 'count' ? plan.count : Math.min(plan.max, Math.ceil((revoked * plan.percent) / 100 - 1e-9));
  return revoked && Math.max(1, Math.min(n, revoked));
}

/** The plan in words, for the summary: `1% (at least 1, at most 100)`, `25`. */
export const describePlan = (plan: VerifyPlan) =>
  plan.kind === 'count' ? `${plan.count}` : `${plan.percent}% (at least 1, at most ${plan.max})`;

/** The largest sample a plan can ask for, whatever the number revoked: what the sampler keeps. */
const capacity = (plan: VerifyPlan) => (plan.kind === 'count' ? plan.count : plan.max);

/**
 * A uniform random sample of the ids offered, of any size up to `capacity`, in bounded memory: each
 * id gets a random key and the ones with the smallest keys are kept (the k smallest of n random keys
 * are a uniform sample of k, for every k).
 */
export class RevokedSample {
  private kept: { id: string; key: number }[] = [];
  private readonly capacity: number;
  constructor(
    plan: VerifyPlan,
    private readonly random: () => number = Math.random,
  ) {
    this.capacity = capacity(plan);
  }
  offer(id: string): void {
    this.kept.push({ id, key: this.random() });
    if (this.kept.length >= 2 * this.capacity + 64) this.trim();
  }
  /** The `k` ids of the sample (in random order). */
  take(k: number): string[] {
    this.trim();
    return this.kept.slice(0, k).map((e) => e.id);
  }
  private trim(): void {
    this.kept.sort((a, b) => a.key - b.key);
    this.kept.length = Math.min(this.kept.length, this.capacity);
  }
}

export interface VerifySummary {
  /** The plan as asked: `1% (at least 1, at most 100)`. */
  sample: string;
  /** Records revoked by this run: what the sample is drawn from. */
  revoked: number;
  sampled: number;
  /** Read back and shared with no one (Zoho's 204). */
  confirmed: number;
  /** Read back and still shared: who with. */
  stillShared: { id: string; shares: SharedRecordDetail[] }[];
  /** Read but not answered with the record's shares (the error's code or kind). */
  unreadable: { id: string; error: string }[];
  /** Not read: the verification stopped (Ctrl-C, or an answer about every read such as a missing scope). */
  notRead: number;
  /** Why the verification stopped before reading every sampled record. */
  stopped?: string | undefined;
}

export interface VerifyDeps {
  client: ZohoCrmClient;
  module: string;
  /** For the hints' wording. */
  auth?: AuthKind | undefined;
  dc?: string | undefined;
  /** Aborted on Ctrl-C: no new read. */
  stop: AbortSignal;
  /** Aborted when reads in flight are cancelled. */
  cancel: AbortSignal;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Reads back each id of `ids`, at most VERIFY_CONCURRENCY at once. */
export async function verifyRevoked(ids: string[], revoked: number, plan: VerifyPlan, deps: VerifyDeps): Promise<VerifySummary> {
  const v: VerifySummary = { sample: describePlan(plan), revoked, sampled: ids.length, confirmed: 0, stillShared: [], unreadable: [], notRead: 0 };
  const halt = new AbortController();
  const stopOn = () => {
    v.stopped ??= 'interrupted (Ctrl-C)';
    halt.abort();
  };
  deps.stop.addEventListener('abort', stopOn, { once: true });
  if (deps.stop.aborted) stopOn();
  const signal = AbortSignal.any([deps.cancel, halt.signal]);
  let next = 0;

  const readOne = async (id: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const shares = await deps.client.getSharedRecordDetails({ module: deps.module, recordId: id }, { signal });
        if (shares.length) v.stillShared.push({ id, shares });
        else v.confirmed++;
        return;
      } catch (e) {
        if (!isZohoCrmError(e)) throw e;
        if (e.kind === 'abort') return void v.notRead++;
        const code = 'code' in e && e.code ? e.code : e.kind;
        // Answers about every read, not one record (hints.ts): the first stops the verification.
        const stop = hintFor(e, { operation: 'getSharedRecordDetails', module: deps.module, auth: deps.auth ?? 'refresh-token', dc: deps.dc });
        if (stop) {
          v.stopped ??= stop.message;
          halt.abort();
          return void v.unreadable.push({ id, error: code });
        }
        if (e.kind === 'rate_limit' && attempt < MAX_RATE_LIMITED_READS) {
          const wait = Math.min(e.retryAfterMs ?? 1000 * 2 ** (attempt - 1), MAX_RATE_LIMIT_WAIT_MS);
          try {
            await deps.sleep(wait, halt.signal);
            continue;
          } catch {
            return void v.notRead++;
          }
        }
        return void v.unreadable.push({ id, error: code });
      }
    }
  };

  const worker = async () => {
    while (next < ids.length) {
      if (halt.signal.aborted) {
        v.notRead += ids.length - next;
        next = ids.length;
        return;
      }
      await readOne(ids[next++]!);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(VERIFY_CONCURRENCY, ids.length) }, worker));
  } finally {
    deps.stop.removeEventListener('abort', stopOn);
  }
  return v;
}

/** Whether the verification proved every sampled record unshared. */
export const verified = (v: VerifySummary) => v.stillShared.length === 0 && v.unreadable.length === 0 && v.notRead === 0;
