// The bulk job's options, what it depends on, and what it reports: shared by the job (job.ts) and
// the sender (sender.ts), which returns its part (SendResult) rather than filling in the summary.
import type { ZohoCrmClient } from '@zcrm-sharing/client';
import type { ExitName } from '../exit-codes.js';
import type { AuthKind } from '../hints.js';
import type { Output } from '../output.js';
import type { LimiterStats } from './limiter.js';
import type { VerifyPlan, VerifySummary } from './verify.js';

export interface BulkOptions {
  module: string;
  /** The ids file as given; `-` is stdin. */
  idsPath: string;
  journalPath: string;
  resume: boolean;
  dryRun: boolean;
  idColumn?: string | undefined;
  concurrency: { mode: 'auto' | 'pinned'; max: number };
  /** Where the calls go, for the journal's header. */
  api: { origin: string; version: string };
  /** Read and journal each record's shares before its DELETE (the CLI's default; --no-backup turns it off). Absent: false. */
  backup?: boolean | undefined;
  /** --verify: read back a sample of the records this run revoked. */
  verify?: VerifyPlan | undefined;
  /** The credentials and data centre the calls use, for the hints' wording (hints.ts). */
  auth?: AuthKind | undefined;
  dc?: string | undefined;
  /** The command line as typed, to write the next command from; absent in process. */
  argv?: readonly string[] | undefined;
}

export interface BulkDeps {
  /** Undefined in a dry run. */
  client?: ZohoCrmClient | undefined;
  out: Output;
  /** Aborted on the first Ctrl-C: no new call starts, every wait ends; calls in flight may finish. */
  stop: AbortSignal;
  /** Aborted when the grace period ends (or on a second Ctrl-C): calls in flight are cancelled, not journalled. */
  cancel: AbortSignal;
  /** Where the connection reports each `api_domain` a token refresh returns, before the next call goes out. */
  apiDomains?: { listen(fn: (apiDomain: string) => void): void } | undefined;
  now?: () => number;
  /** The limiter's waits (Retry-After, backoff at concurrency 1); rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** API calls answered so far by this connection (each costs an API credit, retries included). */
  credits?: (() => number) | undefined;
  /** The --verify sample's randomness. */
  random?: () => number;
}

export interface BulkSummary {
  module: string;
  dryRun: boolean;
  journal: string;
  /** Lines holding a record (not blank, not comments, not the CSV header) = unique + invalid + duplicates. */
  lines: number;
  invalid: number;
  duplicates: number;
  unique: number;
  /** Done in an earlier run of the job (journalled revoked or not shared). */
  skipped: number;
  revoked: number;
  notShared: number;
  failed: number;
  failedByCode: Record<string, number>;
  /** Ids journalled this run, by outcome (`failed` included). */
  outcomes: Record<string, number>;
  /** Not done by this run: not sent, cancelled, or answered with an error about the job; --resume sends them. */
  left: number;
  /** Of `left`: calls that finished after the journal could not be written (sent again by --resume). */
  unjournalled: number;
  /** Records whose shares were journalled before their DELETE (a backup line). */
  backedUp: number;
  /** Of those: shares with entries through another record (`shared_through`), journalled and reported, never restored. */
  sharedThrough: number;
  /** API calls answered by Zoho in this run: the credits it used (a backed-up revoke costs two per record). */
  credits: number;
  elapsedMs: number;
  ratePerSecond: number;
  interrupted: boolean;
  /** Waits (a 429's Retry-After, a backoff) that Ctrl-C cut short. */
  waitsAborted: number;
  concurrency?: LimiterStats | undefined;
  /** Why the run stopped early, when it did. */
  stopped?: { exit: ExitName; message: string; resumeAfter?: string | undefined; fix?: Record<string, string> | undefined } | undefined;
  /** --verify: what was read back and found, or why nothing was (`skipped`). */
  verify?: VerifySummary | { sample: string; skipped: string } | undefined;
  /** A torn last journal line (a crash mid-write) was discarded: its id was sent again. */
  tornLineDiscarded: boolean;
  /** How the run ends. */
  exit: ExitName;
}

/** What sending produced: the sender's share of the summary. */
export type SendResult = Pick<BulkSummary, 'revoked' | 'notShared' | 'failed' | 'outcomes' | 'backedUp' | 'sharedThrough' | 'credits' | 'failedByCode' | 'left' | 'unjournalled' | 'interrupted' | 'waitsAborted' | 'concurrency' | 'stopped'>;
