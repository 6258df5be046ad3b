// A data folder's disk filled and freed by the test: writes fail with ENOSPC while full, succeed after.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { diskFault, mountSmallDisk } from '../src/disk.ts';
import { killAll, spawnNode } from '../src/processes.ts';
import { prerequisite } from '../src/prerequisites.ts';

const tmpfs = prerequisite('tmpfs');

describe.skipIf(!tmpfs.available)('mountSmallDisk', () => {
  it('fill() leaves not one byte free; free() gives the space back; dispose() unmounts and removes the folder', () => {
    const disk = mountSmallDisk({ sizeBytes: 256 * 1024, mount: tmpfs.available ? tmpfs.path : 'mount' });
    try {
      writeFileSync(join(disk.path, 'before'), 'x'.repeat(1000));
      disk.fill();
      expect(() => writeFileSync(join(disk.path, 'during'), 'x')).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
      disk.free();
      writeFileSync(join(disk.path, 'after'), 'x'.repeat(100 * 1024));
    } finally {
      disk.dispose();
    }
    expect(existsSync(disk.path)).toBe(false);
    disk.dispose(); // twice is fine
  });
});

describe('diskFault: the fault for a process writing in the folder, whichever way this machine allows', () => {
  const appender = fileURLToPath(new URL('./fixtures/append.mjs', import.meta.url));
  afterEach(() => killAll());

  for (const kind of ['tmpfs', 'file-size-limit'] as const) {
    it.skipIf(kind === 'tmpfs' ? !tmpfs.available : process.platform !== 'linux')(`${kind}: a write that grows a file fails while full, and succeeds once freed; the process lives on`, async () => {
      const fault = kind === 'tmpfs' ? diskFault({ sizeBytes: 256 * 1024 }) : withoutTmpfs(() => diskFault());
      expect(fault.kind).toBe(kind);
      try {
        const proc = spawnNode(appender, [fault.path], {});
        let lines = 1;
        const write = async () => {
          proc.child.stdin!.write('\n');
          lines++;
          await until(() => proc.stdout().trim().split('\n').length >= lines);
          return proc.stdout().trim().split('\n').at(-1);
        };
        await proc.line(/ready/);
        expect(await write()).toBe('ok');
        fault.fill(proc.child.pid!);
        expect(await write()).toBe(kind === 'tmpfs' ? 'ENOSPC' : 'EFBIG');
        fault.free(proc.child.pid!);
        expect(await write()).toBe('ok');
      } finally {
        fault.dispose();
      }
    });
  }
});

/** diskFault() as on a machine where mounting is not possible. */
function withoutTmpfs<T>(fn: () => T): T {
  const saved = process.env.ZCRM_MOUNT;
  process.env.ZCRM_MOUNT = '/nonexistent/mount';
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.ZCRM_MOUNT;
    else process.env.ZCRM_MOUNT = saved;
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}
