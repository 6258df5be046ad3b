import { describe, expect, it } from 'vitest';
import { MissingPrerequisiteError, locate, prerequisite } from '../src/prerequisites.ts';

const only = (...paths: string[]) => (p: string) => paths.includes(p);

describe('locating Chromium', () => {
  it('takes CHROMIUM_PATH first, and nothing else when it is set', () => {
    const exists = only('/opt/chrome/chrome', '/usr/bin/chromium');
    expect(locate('chromium', { CHROMIUM_PATH: '/opt/chrome/chrome' }, exists)).toMatchObject({ available: true, path: '/opt/chrome/chrome', from: 'CHROMIUM_PATH' });
    const wrong = locate('chromium', { CHROMIUM_PATH: '/nope/chromium' }, exists);
    expect(wrong).toEqual({ name: 'chromium', label: 'Chromium', available: false, reason: 'CHROMIUM_PATH=/nope/chromium does not exist' });
  });

  it('then the usual Linux and macOS locations', () => {
    expect(locate('chromium', {}, only('/usr/bin/chromium'))).toMatchObject({ available: true, path: '/usr/bin/chromium' });
    const mac = '/Applications/Chromium.app/Contents/MacOS/Chromium';
    expect(locate('chromium', {}, only(mac))).toMatchObject({ available: true, path: mac, from: 'the usual locations' });
  });

  it('reports a missing browser with the reason', () => {
    expect(locate('chromium', {}, only())).toMatchObject({ available: false, reason: 'Chromium not found in the usual locations' });
  });
});

describe('locating the PostgreSQL server binaries', () => {
  it('takes PG_BIN when it holds pg_ctl', () => {
    expect(locate('postgres', { PG_BIN: '/pg/bin' }, only('/pg/bin/pg_ctl'))).toMatchObject({ available: true, path: '/pg/bin' });
    expect(locate('postgres', { PG_BIN: '/pg/bin' }, only())).toMatchObject({ available: false, reason: 'PG_BIN=/pg/bin does not exist (no pg_ctl in it)' });
  });

  it('finds them on PATH', () => {
    expect(locate('postgres', { PATH: '/a:/b' }, only('/b/pg_ctl'))).toMatchObject({ available: true, path: '/b' });
  });
});

describe('the policy', () => {
  it('a missing prerequisite is a skip locally and a failure under CI=true, naming it and how to enable it', () => {
    const env = { CHROMIUM_PATH: '/definitely/not/here' };
    expect(prerequisite('chromium', env)).toMatchObject({ available: false });
    expect(() => prerequisite('chromium', { ...env, CI: 'true' })).toThrow(MissingPrerequisiteError);
    expect(() => prerequisite('chromium', { ...env, CI: 'true' })).toThrow(/CHROMIUM_PATH=\/definitely\/not\/here does not exist; CI=true requires it for the browser tests: install Chromium/);
  });
});

describe('mounting a tmpfs (disk-full tests)', () => {
  it('is not available when ZCRM_MOUNT names no mount(8), and says how to enable it under CI=true', () => {
    expect(locate('tmpfs', { ZCRM_MOUNT: '/nope/mount' })).toMatchObject({ available: false, reason: 'mounting a small tmpfs (root on Linux): not possible here' });
    expect(() => prerequisite('tmpfs', { ZCRM_MOUNT: '/nope/mount', CI: 'true' })).toThrow(/CI=true requires it for the disk-full fault tests: run the tests as root/);
  });
});
