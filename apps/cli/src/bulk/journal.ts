// The journal: the ledger of one bulk job. Line 1 is the job's header (what is revoked where, from
// which input); then one JSON line per finished id, appended before the id counts as done. It holds
// ids, outcomes and Zoho codes only: never a token or a secret.
//
// Crash safety: the header is written to a temporary file, synced and renamed into place, so a journal
// either has its whole header or does not exist. Entries are written with one write() each, straight
// to the kernel, so kill -9 loses none that were written; a crash mid-write (or a full disk) can tear
// only the last line, which the next run discards before it appends anything, and whose id it sends
// again. A write that fails stops the run (JournalWriteError) after truncating what it tore.
import { closeSync, createReadStream, fstatSync, fsync, fsyncSync, ftruncateSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createAtomic, LinkError, openExisting } from '../files.js';
import { CANONICAL_ID, IdSet } from './id-set.js';
import { readLines } from './lines.js';
import type { BackedUpShare, SharedThroughEntry } from '@zcrm-sharing/client';

export const JOURNAL_FORMAT = 'zcrm-sharing share revoke';
/** 2: the header says whether shares are backed up, and backup lines may appear. 1 (no backups) still resumes. */
export const JOURNAL_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

/** What identifies a job: a journal resumes only a run whose header matches its own. */
export interface JobHeader {
  module: string;
  /** Where the calls go: the API base's origin (`https://www.zohoapis.eu`) and version (`v8`). */
  api: { origin: string; version: string };
  /** The `api_domain` a refreshed token reported (the org's data centre), once known. */
  apiDomain?: string | undefined;
  input: { path: string; size: number; sha256: string };
  /** Each record's shares are read and journalled (a backup line) before its DELETE. Absent in version 1: false. */
  backup?: boolean | undefined;
}

/** What happened to one id. `failed` ids are sent again by --resume; the others are done. */
export type Outcome = 'revoked' | 'not_shared' | 'failed';
export interface JournalEntry {
  id: string;
  outcome: Outcome;
  code?: string;
}

/**
 * A record's shares as read before its DELETE: what `share restore` puts back. Written before the
 * DELETE is sent; a record read again (a resume) gets another line, and a restore takes them all.
 */
export interface BackupLine {
  id: string;
  backup: { read_at: string; shares: BackedUpShare[]; shared_through?: SharedThroughEntry[] };
}

const OUTCOMES: ReadonlySet<string> = new Set(['revoked', 'not_shared', 'failed']);
/** Longest journal line read back (an outcome is under 200 bytes; a backup of Zoho's 20 shares per record with names, a few KiB). */
export const MAX_JOURNAL_LINE = 256 * 1024;

/** The journal is not one this run can use (damaged, of another format): a usage error naming it. */
export class JournalError extends Error {}
/** A write to the journal failed: the run stops before another call. */
export class JournalWriteError extends Error {
  constructor(
    readonly path: string,
    readonly errno: NodeJS.ErrnoException,
  ) {
    super(`could not write the journal ${path}: ${errno.code ?? ''} ${describeErrno(errno)}`.replace(/\s+/g, ' ').trim());
  }
}

const describeErrno = (e: NodeJS.ErrnoException) =>
  ({ EEXIST: 'a file appeared there meanwhile (it is never replaced)', ENOSPC: 'no space left on the device', EFBIG: 'the file is too large (a file size limit)', EDQUOT: 'disk quota exceeded', EACCES: 'permission denied', EROFS: 'read-only file system', EIO: 'input/output error' })[e.code ?? ''] ?? e.message;

export interface ReadJournal {
  header: JobHeader & { created: string };
  /** Ids whose last entry is revoked or not_shared. */
  done: IdSet;
  entries: number;
  /** Entries saying an id was revoked or found not shared, whatever came after them (a journal with one is never replaced). */
  successes: number;
  /** Backup lines (records whose shares were journalled before their DELETE). */
  backups: number;
  /** A last line without its newline was found (and, unless reading only, truncated away). */
  tornLine: boolean;
}

/** Writes `text` at the end of `fd`, all or nothing: on failure it truncates back and throws JournalWriteError. */
function appendAll(fd: number, path: string, text: string, size: { bytes: number }): void {
  const bytes = Buffer.byteLength(text);
  try {
    // The string as is (no Buffer per line); a short write, rare, finishes from a Buffer.
    const written = writeSync(fd, text);
    if (written < bytes) {
      const buf = Buffer.from(text);
      for (let at = written; at < buf.length; ) at += writeSync(fd, buf, at, buf.length - at);
    }
  } catch (e) {
    try {
      ftruncateSync(fd, size.bytes); // drop what was torn, so the journal stays whole
    } catch {}
    throw new JournalWriteError(path, e as NodeJS.ErrnoException);
  }
  size.bytes += bytes;
}

export class Journal {
  private unsynced = 0;
  private syncing: Promise<void> | undefined;
  private syncFailure: NodeJS.ErrnoException | undefined;
  private readonly size: { bytes: number };
  private closed = false;

  private constructor(
    readonly path: string,
    private fd: number,
    bytes: number,
  ) {
    this.size = { bytes };
  }

  /**
   * Creates the journal of a new job with its header, atomically (the file appears whole or not at
   * all), never replacing a file at `path` (whatever appeared since the caller looked) unless `replace`
   * (a journal the caller read and chose to replace: it records nothing done).
   */
  static create(
    path: string,
    header: object,
    kind: { journal: string; version: number } = { journal: JOURNAL_FORMAT, version: JOURNAL_VERSION },
    options: { replace?: boolean } = {},
  ): Journal {
    const line = `${JSON.stringify({ ...kind, ...header, created: new Date().toISOString() })}\n`;
    let fd: number;
    try {
      fd = createAtomic(path, line, options);
    } catch (e) {
      if (e instanceof LinkError) throw e;
      throw new JournalWriteError((e as { path?: string }).path ?? path, e as NodeJS.ErrnoException);
    }
    // The descriptor stays: reopening the path after the rename could open whatever replaced it.
    return new Journal(path, fd, Buffer.byteLength(line));
  }

  /**
   * Opens an existing journal (read with `read()` first) for appending at `bytes`, the end of its last
   * whole line: a torn line after it (which a read-only read leaves) is cut away first.
   */
  static append(path: string, bytes: number): Journal {
    let fd: number | undefined;
    try {
      fd = openExisting(path, 'append');
      if (fstatSync(fd).size > bytes) {
        ftruncateSync(fd, bytes);
        fsyncSync(fd);
      }
      return new Journal(path, fd, bytes);
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      if (e instanceof LinkError) throw e;
      throw new JournalWriteError(path, e as NodeJS.ErrnoException);
    }
  }

  /**
   * Reads a journal: its header and the ids it lists as done (the last entry for an id decides).
   * A torn last line is discarded (truncated away unless `readOnly`). Any other line that is not an
   * entry is a JournalError naming it: a damaged journal is not guessed at.
   */
  static async read(path: string, options: { readOnly?: boolean } = {}): Promise<ReadJournal & { bytes: number }> {
    const done = new IdSet();
    let header: ReadJournal['header'] | undefined;
    let entries = 0;
    let successes = 0;
    let backups = 0;
    let n = 0;
    let goodEnd = 0;
    let tornLine = false;
    for await (const line of readLines(createReadStream(path, { highWaterMark: 64 * 1024 }), MAX_JOURNAL_LINE)) {
      n++;
      if (!line.complete) {
        tornLine = true;
        break;
      }
      const where = `${path}:${n}`;
      let value: Record<string, unknown> | undefined;
      if (!line.tooLong) {
        try {
          value = JSON.parse(line.text) as Record<string, unknown>;
        } catch {}
      }
      if (n === 1) {
        if (value?.journal !== JOURNAL_FORMAT || !READABLE_VERSIONS.includes(value.version)) {
          throw new JournalError(`${where}: not a journal of zcrm-sharing share revoke (version ${READABLE_VERSIONS.join(' or ')}); pass another --journal, or move this file away`);
        }
        const { journal: _f, version: _v, ...rest } = value;
        header = rest as unknown as ReadJournal['header'];
      } else if (typeof value?.api_domain === 'string' && Object.keys(value).length === 1) {
        header!.apiDomain = value.api_domain;
      } else if (isBackupLine(value)) {
        backups++;
      } else if (typeof value?.id === 'string' && CANONICAL_ID.test(value.id) && typeof value.outcome === 'string' && OUTCOMES.has(value.outcome)) {
        entries++;
        if (value.outcome === 'failed') done.delete(value.id);
        else {
          done.add(value.id);
          successes++;
        }
      } else {
        throw new JournalError(`${where}: not a journal entry; the journal is damaged (nothing was sent; fix or remove that line)`);
      }
      goodEnd = line.end;
    }
    if (!header) throw new JournalError(`${path}: empty, not a journal of zcrm-sharing share revoke`);
    if (tornLine && !options.readOnly) truncateTornLine(path, goodEnd);
    return { header, done, entries, successes, backups, tornLine, bytes: goodEnd };
  }

  /**
   * Written to the kernel at once (kill -9 loses nothing written); fsynced every 256 entries (in the
   * background: a sync takes milliseconds the calls need) and on close.
   */
  record(entry: JournalEntry | (Record<string, unknown> & { id: string; outcome: string })): void {
    if (this.syncFailure) throw new JournalWriteError(this.path, this.syncFailure);
    this.write(entry);
    if (++this.unsynced >= 256 && !this.syncing) {
      this.unsynced = 0;
      this.syncing = new Promise((done) =>
        fsync(this.fd, (e) => {
          this.syncing = undefined;
          if (e) this.syncFailure = e;
          done();
        }),
      );
    }
  }

  /** A record's backup, written to the kernel before its DELETE is sent (kill -9 loses none written). */
  recordBackup(line: BackupLine): void {
    if (this.syncFailure) throw new JournalWriteError(this.path, this.syncFailure);
    this.write(line);
  }

  /** The `api_domain` a refreshed token reported, once per value. */
  recordApiDomain(apiDomain: string): void {
    this.write({ api_domain: apiDomain });
    this.sync();
  }

  private write(value: object): void {
    if (this.closed) throw new Error('journal closed');
    appendAll(this.fd, this.path, `${JSON.stringify(value)}\n`, this.size);
  }

  private sync(): void {
    this.unsynced = 0;
    try {
      fsyncSync(this.fd);
    } catch (e) {
      throw new JournalWriteError(this.path, e as NodeJS.ErrnoException);
    }
  }

  /** Syncs and closes (after a background sync, never under it); a failure to sync is reported (the entries may not be on disk). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.syncing;
    if (this.closed) return;
    try {
      if (this.syncFailure) throw new JournalWriteError(this.path, this.syncFailure);
      this.sync();
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }
}

/** A journal path that exists and is not a regular file (a directory, /dev/full): never a journal. */
export function journalPathProblem(path: string): string | undefined {
  try {
    const s = statSync(path);
    if (!s.isFile()) return `--journal ${path}: ${s.isDirectory() ? 'a directory' : 'not a regular file'}; expected a journal file (or a path where one can be created)`;
  } catch {}
  return undefined;
}

/** What differs between a journal's job and this run's, in words; empty when they are the same job. */
export function headerDifferences(journal: JobHeader, run: JobHeader): string[] {
  const out: string[] = [];
  const differ = (what: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(`${what}: ${JSON.stringify(a)} in the journal, ${JSON.stringify(b)} now`);
  };
  differ('--module', journal.module, run.module);
  differ('API origin (--base-url, --dc, --environment)', journal.api?.origin, run.api.origin);
  differ('API version', journal.api?.version, run.api.version);
  if (journal.apiDomain && run.apiDomain) differ("the token's api_domain (another org's data centre)", journal.apiDomain, run.apiDomain);
  // The same bytes under another name are the same ids: only the content decides.
  if (journal.input?.sha256 !== run.input.sha256 || journal.input?.size !== run.input.size) {
    out.push(
      `the input: ${journal.input?.path} (${journal.input?.size} bytes, SHA-256 ${journal.input?.sha256?.slice(0, 12)}...) in the journal, ` +
        `${run.input.path} (${run.input.size} bytes, SHA-256 ${run.input.sha256.slice(0, 12)}...) now`,
    );
  }
  return out;
}

/** A backup line as written by recordBackup (its shares are checked where they are used: restore.ts). */
export function isBackupLine(value: Record<string, unknown> | undefined): value is BackupLine & Record<string, unknown> {
  const b = value?.backup as Record<string, unknown> | undefined;
  return typeof value?.id === 'string' && CANONICAL_ID.test(value.id) && typeof b === 'object' && b !== null && typeof b.read_at === 'string' && Array.isArray(b.shares);
}

/** Cuts a journal back to `goodEnd`, the end of its last whole line (a crash or a full disk tore the next). */
export function truncateTornLine(path: string, goodEnd: number): void {
  const fd = openExisting(path, 'read-write');
  try {
    ftruncateSync(fd, goodEnd);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The end of a job, whatever happened: the journal closed (a failed final sync is a warning), the snapshot removed, the lock released. */
export async function closeJob(j: { journal: Journal | undefined; snapshotPath: string | undefined; lock: { release(): void } | undefined; warn: (message: string) => void }): Promise<void> {
  try {
    await j.journal?.close();
  } catch (e) {
    // The entries were written; only the final sync failed.
    j.warn(`warning: ${(e as Error).message}`);
  }
  if (j.snapshotPath) {
    try {
      unlinkSync(j.snapshotPath);
    } catch {}
  }
  j.lock?.release();
}
