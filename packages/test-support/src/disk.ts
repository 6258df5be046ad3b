// A data folder whose writes fail as on a full disk, for disk-full fault tests, in one of two ways:
// - root on Linux (prerequisite('tmpfs')): a small tmpfs of its own, filled to the last byte by fill()
//   while the code under test writes there (ENOSPC; SQLite: "database or disk is full"), and given its
//   space back by free();
// - otherwise, the fault injected into the process that writes (Linux, prlimit(1) from util-linux):
//   its RLIMIT_FSIZE lowered to 0, so every write that grows a file fails (EFBIG; SQLite: "disk I/O
//   error"), and raised again by free(). Node ignores SIGXFSZ, so the process lives on. Only a process
//   spawned by the test: its stdout must be a pipe, not a file.
// diskFault() picks one. Written in plain, erasable TypeScript like prerequisites.ts.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locate } from './prerequisites.ts';

export interface SmallDisk {
  /** The mount point (mode 0700): the folder to hand to the code under test, or a parent of it. */
  path: string;
  sizeBytes: number;
  /** Writes a filler file until the file system answers ENOSPC: every later write fails the same way. */
  fill(): void;
  /** Deletes the filler: writes succeed again. */
  free(): void;
  /** Unmounts (lazily, if something still holds a file open) and deletes the mount point. Safe to call twice. */
  dispose(): void;
}

export interface SmallDiskOptions {
  /** Default 1 MiB: room for a SQLite store with a few thousand small rows. */
  sizeBytes?: number;
  /** The mount(8) to run (prerequisite('tmpfs').path). Default `mount`. */
  mount?: string;
}

const CHUNK = Buffer.alloc(64 * 1024);
const FILLER = '.zcrm-disk-filler';

export function mountSmallDisk(options: SmallDiskOptions = {}): SmallDisk {
  const sizeBytes = options.sizeBytes ?? 1024 * 1024;
  const path = mkdtempSync(join(tmpdir(), 'zcrm-small-disk-'));
  try {
    execFileSync(options.mount ?? 'mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmdirSync(path);
    throw new Error(`could not mount a tmpfs on ${path}: ${(err as Error).message}`);
  }
  const filler = join(path, FILLER);
  let mounted = true;
  return {
    path,
    sizeBytes,
    fill() {
      const fd = openSync(filler, 'a');
      try {
        // tmpfs takes partial writes near the end: halve the size down to one byte refused with ENOSPC.
        for (let size = CHUNK.length; size >= 1; ) {
          try {
            if (writeSync(fd, CHUNK, 0, size) < size) size = Math.floor(size / 2);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            size = Math.floor(size / 2);
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    dispose() {
      if (!mounted) return;
      mounted = false;
      execFileSync('umount', ['-l', path], { stdio: 'ignore' });
      rmdirSync(path);
    },
  };
}

export interface DiskFault {
  /** `tmpfs`: the folder's own file system is filled; `file-size-limit`: the writing process's RLIMIT_FSIZE is lowered. */
  kind: 'tmpfs' | 'file-size-limit';
  /** The data folder to hand to the process under test (mode 0700). */
  path: string;
  /** Every write that grows a file in `path` fails from now on (`pid`: the process writing there). */
  fill(pid: number): void;
  /** Writes succeed again. */
  free(pid: number): void;
  /** Removes the folder (unmounting it first for tmpfs). Safe to call twice. */
  dispose(): void;
}

/** Lowers (fill) or restores (free) a running process's file size limit with prlimit(1). */
export function limitFileSize(pid: number, prlimit = 'prlimit'): { fill(): void; free(): void } {
  const set = (soft: string) => execFileSync(prlimit, ['--pid', String(pid), `--fsize=${soft}:`], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { fill: () => set('0'), free: () => set('unlimited') };
}

/** A data folder whose writes the test can make fail as on a full disk: a tmpfs when root may mount one, else the file size limit. */
export function diskFault(options: SmallDiskOptions = {}): DiskFault {
  const tmpfs = locate('tmpfs');
  if (tmpfs.available) {
    const disk = mountSmallDisk({ ...options, mount: options.mount ?? tmpfs.path });
    return { kind: 'tmpfs', path: disk.path, fill: () => disk.fill(), free: () => disk.free(), dispose: () => disk.dispose() };
  }
  const path = mkdtempSync(join(tmpdir(), 'zcrm-disk-fault-'));
  return {
    kind: 'file-size-limit',
    path,
    fill: (pid) => limitFileSize(pid).fill(),
    free: (pid) => limitFileSize(pid).free(),
    dispose: () => rmSync(path, { recursive: true, force: true }),
  };
}
