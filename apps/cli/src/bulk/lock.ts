// One process per journal: `<journal>.lock`, created exclusively (O_EXCL), holding the owner's pid
// and host. A lock whose process is gone (same host, pid not running) is stale and taken over; any
// other is refused with a message naming its holder.
import { closeSync, linkSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { CliError } from '../cli-error.js';
import { createExclusive, LinkError } from '../files.js';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

/** The journal is held by another process (or the lock file is not ours to judge). */
export class LockedError extends Error {
  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message);
  }
}

export interface Lock {
  readonly path: string;
  /** A stale lock of a process that is gone was replaced (its holder), else undefined. */
  readonly tookOver: LockHolder | undefined;
  release(): void;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
};

function readHolder(path: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return Number.isInteger(h?.pid) && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<journalPath>.lock`. Throws LockedError when a live process holds it; I/O errors (a
 * read-only directory...) are thrown as they are.
 */
export function acquireLock(journalPath: string, self: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() }): Lock {
  const path = `${journalPath}.lock`;
  let tookOver: LockHolder | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = createExclusive(path);
      try {
        writeSync(fd, `${JSON.stringify(self)}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw e;
    }
    const holder = readHolder(path);
    const name = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.started}` : 'a process whose lock file cannot be read';
    if (!holder || holder.host !== self.host || alive(holder.pid)) {
      throw new LockedError(
        `the journal ${journalPath} is in use by ${name} (lock file ${path}). Wait for it to finish` +
          `${holder && holder.host !== self.host ? `; if no zcrm-sharing runs there any more` : `; if that process is not zcrm-sharing`}, delete ${path}`,
        holder,
      );
    }
    // Stale: move it aside atomically, and make sure what was moved is the lock just judged (another
    // process may have replaced it in between); if it is not, put it back and look again.
    const aside = `${path}.stale-${self.pid}`;
    try {
      renameSync(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const moved = readHolder(aside);
    if (moved?.pid === holder.pid && moved.started === holder.started) {
      unlinkSync(aside);
      tookOver = holder;
    } else {
      try {
        linkSync(aside, path); // fails if yet another process locked meanwhile: then it wins
      } catch {}
      unlinkSync(aside);
    }
  }
  let released = false;
  return {
    path,
    tookOver,
    release() {
      if (released) return;
      released = true;
      try {
        if (readHolder(path)?.pid === self.pid) unlinkSync(path);
      } catch {}
    },
  };
}

/**
 * A job's lock in the CLI's terms: held by a live process is exit LOCKED, a link is refused, any other
 * failure to create it is exit IO; a stale lock taken over is said.
 */
export function lockJob(journalPath: string, info: (message: string) => void): Lock {
  let lock: Lock;
  try {
    lock = acquireLock(journalPath);
  } catch (e) {
    if (e instanceof LockedError) throw new CliError('LOCKED', e.message);
    if (e instanceof LinkError) throw e;
    throw new CliError('IO', `cannot create the lock file ${journalPath}.lock (${(e as NodeJS.ErrnoException).code}); pass --journal with a path in a writable directory`);
  }
  if (lock.tookOver) info(`took over the lock of pid ${lock.tookOver.pid} (${lock.tookOver.host}, since ${lock.tookOver.started}), which is no longer running`);
  return lock;
}
