// A data folder on a small file system of its own, for disk-full fault tests: a tmpfs of a few
// hundred KiB mounted by the test (root on Linux; check prerequisite('tmpfs') first), filled to the
// last byte by fill() while the code under test writes there, and given its space back by free().
// Written in plain, erasable TypeScript like prerequisites.ts.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
