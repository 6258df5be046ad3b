// Child processes for the registry install test, asynchronous so cells run side by side: a command to
// completion (bounded), and a server line (`npx zcrm-sandbox --port 4011`) that is proved up, then stopped.
import { spawn } from 'node:child_process';

const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
};

function start(command, args, { cwd, env }) {
  // Its own process group: a line's children (npm exec -> node) stop with it.
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => {
    child.once('error', (e) => resolve({ code: e.message }));
    child.once('close', (code, signal) => resolve({ code: code ?? signal }));
  });
  return { child, exited, output: () => out };
}

/** Runs a command to its end; resolves { ok, code, out, ms }. Killed (and failed) after timeoutMs. */
export async function run(command, args, { cwd, env, timeoutMs = 180_000 }) {
  const t0 = Date.now();
  const p = start(command, args, { cwd, env });
  const timer = setTimeout(() => killGroup(p.child, 'SIGKILL'), timeoutMs);
  const { code } = await p.exited;
  clearTimeout(timer);
  const timedOut = Date.now() - t0 >= timeoutMs;
  return { ok: code === 0 && !timedOut, code: timedOut ? `killed after ${timeoutMs / 1000}s` : code, out: p.output(), ms: Date.now() - t0 };
}

/** A shell line, as a reader pastes it (comments and all). */
export const runLine = (line, options) => run('bash', ['-c', line], options);

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * A shell line that may start a server: when its output says `listening on http://127.0.0.1:<port>`
 * before it exits, the server must answer a request (`probe(url)` resolves true), then it is stopped
 * and the line counts as passed. A line that exits by itself passes on exit 0.
 */
export async function runLineMaybeServer(line, { cwd, env, timeoutMs = 120_000, probe }) {
  const t0 = Date.now();
  const p = start('bash', ['-c', line], { cwd, env });
  const timer = setTimeout(() => killGroup(p.child, 'SIGKILL'), timeoutMs);
  let url;
  while (!url) {
    const done = await Promise.race([p.exited, new Promise((r) => setTimeout(r, 100, null))]);
    if (done) {
      clearTimeout(timer);
      return { ok: done.code === 0, code: done.code, out: p.output(), ms: Date.now() - t0 };
    }
    url = LISTENING.exec(p.output())?.[1];
  }
  const answered = await probe(url).catch((e) => `probe failed: ${e.message}`);
  killGroup(p.child, 'SIGTERM');
  await p.exited;
  clearTimeout(timer);
  const ok = answered === true;
  return { ok, code: ok ? 0 : `server at ${url} did not answer as expected (${answered})`, out: p.output(), ms: Date.now() - t0, server: url };
}

/** Starts a long-running command and waits for its `listening on <url>` line: { url, stop() }. */
export async function startServer(command, args, { cwd, env, timeoutMs = 30_000 }) {
  const p = start(command, args, { cwd, env });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = LISTENING.exec(p.output())?.[1];
    if (url) return { url, stop: async () => { killGroup(p.child, 'SIGTERM'); await p.exited; } };
    const done = await Promise.race([p.exited, new Promise((r) => setTimeout(r, 100, null))]);
    if (done || Date.now() > deadline) {
      killGroup(p.child, 'SIGKILL');
      throw new Error(`${command} ${args.join(' ')}: no "listening on" line (${done ? `exited ${done.code}` : 'timed out'})\n${p.output()}`);
    }
  }
}

/** One at a time: for lines that bind a fixed port (the READMEs' `--port 4011`). */
export function createLock() {
  let tail = Promise.resolve();
  return (fn) => {
    const result = tail.then(fn);
    tail = result.catch(() => {});
    return result;
  };
}
