// The files the CLI writes, never through a link: a link planted where the journal, its temporary,
// the snapshot, the lock, the config file or a backup goes would make the CLI overwrite whatever it
// points to. A new file is created exclusively (O_CREAT | O_EXCL, which never follows a link), mode
// 0600; an existing one is opened with O_NOFOLLOW (lstat-checked first where the platform lacks it).
import { closeSync, constants, fsyncSync, linkSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { CliError } from './cli-error.js';

/** A path the CLI was to write is a symbolic link: refused, naming it (exit IO: the file could not be written). */
export class LinkError extends CliError {
  readonly code = 'ELINK';
  constructor(readonly path: string) {
    super(
      'IO',
      `${path} is a symbolic link: zcrm-sharing does not write through links (it would overwrite the file the link points to); remove the link or choose another path`,
    );
  }
}

export const isLink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

/**
 * Creates `path` for writing, exclusively, mode 0600; returns its descriptor. `replace`: a regular
 * file already there (one of ours a crash left behind) is removed first; a link never is.
 */
export function createExclusive(path: string, options: { replace?: boolean } = {}): number {
  try {
    return openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if (isLink(path)) throw new LinkError(path);
    if (!options.replace) throw e;
  }
  unlinkSync(path);
  try {
    return openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && isLink(path)) throw new LinkError(path);
    throw e;
  }
}

/** Opens an existing file for writing (`append`: at its end), refusing a link at `path`. */
export function openExisting(path: string, mode: 'append' | 'read-write'): number {
  const flags = mode === 'append' ? constants.O_WRONLY | constants.O_APPEND : constants.O_RDWR;
  const noFollow = constants.O_NOFOLLOW as number | undefined;
  if (noFollow === undefined && isLink(path)) throw new LinkError(path); // no O_NOFOLLOW (Windows): checked first
  try {
    return openSync(path, flags | (noFollow ?? 0));
  } catch (e) {
    // O_NOFOLLOW on a link: ELOOP (Linux), EMLINK (FreeBSD), EFTYPE (NetBSD).
    if (['ELOOP', 'EMLINK', 'EFTYPE'].includes((e as NodeJS.ErrnoException).code ?? '') && isLink(path)) throw new LinkError(path);
    throw e;
  }
}

/**
 * Creates `path` whole or not at all: `text` written to an exclusive temporary beside it (a leftover of
 * a crashed run with the same pid replaced, a link refused), synced, then put at `path`. Without
 * `replace` nothing already at `path` is ever replaced, whatever appears there meanwhile (an EEXIST
 * error; a link there is a LinkError); with it, a file there is (renamed over). Returns the
 * descriptor, still open at its end: reopening the path could open whatever replaced it.
 */
export function createAtomic(path: string, text: string, options: { replace?: boolean } = {}): number {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = createExclusive(tmp, { replace: true });
  try {
    const buf = Buffer.from(text);
    for (let at = 0; at < buf.length; ) at += writeSync(fd, buf, at, buf.length - at);
    fsyncSync(fd);
    if (options.replace) renameSync(tmp, path);
    else publishNew(tmp, path);
    return fd;
  } catch (e) {
    try {
      closeSync(fd);
    } catch {}
    try {
      unlinkSync(tmp);
    } catch {}
    throw e;
  }
}

// Filesystems without hard links (FAT, some network mounts) answer link() with one of these.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Puts the finished `tmp` at `path` only if nothing is there: a hard link is made or fails with
 * EEXIST as one step (rename would replace a file created there after any check), then `tmp` goes.
 * Where the filesystem has no hard links: checked, then renamed.
 */
function publishNew(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code !== 'EEXIST' && !NO_HARD_LINKS.has(code)) throw e;
    if (isLink(path)) throw new LinkError(path);
    if (code !== 'EEXIST') {
      try {
        lstatSync(path);
      } catch {
        renameSync(tmp, path);
        return;
      }
    }
    // Named after the path that was taken (link()'s error names the temporary).
    throw Object.assign(new Error(`EEXIST: file already exists, ${path}`), { code: 'EEXIST', path });
  }
  unlinkSync(tmp);
}

/** Writes `text` to `path` whole or not at all (createAtomic), replacing a file there. A link at `path` is refused. */
export function writeFileAtomic(path: string, text: string): void {
  if (isLink(path)) throw new LinkError(path);
  closeSync(createAtomic(path, text, { replace: true }));
}
