// `./dev example` as the README runs it, stopped with Ctrl-C: a terminal sends SIGINT to the whole
// foreground process group, so the test starts it in a group of its own and signals that group.
// The server must stop cleanly and the command exit 0 (under pnpm it ended in ERR_PNPM_... and 130).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { tempDataDir } from './helpers.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let group: number | undefined;
afterEach(() => {
  if (group) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

it('./dev example: Ctrl-C stops the server cleanly, exit 0, no pnpm error', async () => {
  // --skip-build: turbo built it before this test; PORT=0 so it never collides with a running one.
  const dataDir = tempDataDir(); // not the package's own data/, which a developer's `./dev example` keeps
  const child = spawn('./dev', ['example', '--skip-build'], { cwd: root, detached: true, env: { ...process.env, PORT: '0', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  group = child.pid;
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /"msg":"listening on (http:\/\/\S+) /.exec(out);
      if (m) resolve(m[1]!);
    });
    void exit.then(() => reject(new Error(`./dev example exited before listening:\n${out}`)));
  });
  // An answer means the server's event loop runs, so its start-up (signal handlers last) is complete.
  expect((await fetch(`${url}/api/jobs`)).status).toBe(200);
  process.kill(-group!, 'SIGINT');
  expect(await exit, out).toEqual({ code: 0, signal: null });
  expect(out).toMatch(/"msg":"stopped"/);
  expect(out).not.toMatch(/ERR_PNPM|ELIFECYCLE/);
  group = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});
