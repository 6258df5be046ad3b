// A data folder's disk filled and freed by the test: writes fail with ENOSPC while full, succeed after.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountSmallDisk } from '../src/disk.ts';
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
