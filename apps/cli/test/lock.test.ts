// One process per journal: the lock file, a holder named when refused, a stale lock taken over.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockedError } from '../src/bulk/lock.ts';

const journal = () => join(mkdtempSync(join(tmpdir(), 'zcrm-lock-test-')), 'ids.txt.journal');
/** A pid no process has: the kernel's pid_max is at most 2^22. */
const GONE = 2 ** 22 + 17;

describe('acquireLock', () => {
  it('creates <journal>.lock holding pid and host; a second holder is refused, naming the first; release frees it', () => {
    const path = journal();
    const lock = acquireLock(path);
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    // The holder is alive (this very process): refused, whoever asks.
    let refused: unknown;
    try {
      acquireLock(path, { pid: process.pid + 1, host: hostname(), started: 'now' });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(LockedError);
    expect((refused as Error).message).toContain(`is in use by pid ${process.pid} on ${hostname()}`);
    expect((refused as Error).message).toContain(`${path}.lock`);
    lock.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
    acquireLock(path).release();
  });

  it('a lock whose process is gone (same host) is stale: taken over, and said so', () => {
    const path = journal();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: GONE, host: hostname(), started: '2026-01-01T00:00:00Z' }));
    const lock = acquireLock(path);
    expect(lock.tookOver).toMatchObject({ pid: GONE });
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it("another host's lock, or an unreadable one, is never judged stale", () => {
    const path = journal();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: GONE, host: 'elsewhere.example', started: 'x' }));
    expect(() => acquireLock(path)).toThrow(/in use by pid 4194321 on elsewhere\.example.*if no zcrm-sharing runs there any more, delete/);
    writeFileSync(`${path}.lock`, 'garbage');
    expect(() => acquireLock(path)).toThrow(LockedError);
  });
});
