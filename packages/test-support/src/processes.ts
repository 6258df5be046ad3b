// Node child processes for tests that must outlive, stop or kill what they start (a server, the
// sandbox): stdout and stderr kept, a wait for a line, the exit as a promise, and one sweep that kills
// whatever a test left running. Written in plain, erasable TypeScript like prerequisites.ts.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
  line(pattern: RegExp): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

/** Kills (SIGKILL) every process spawnNode started that still runs (call from afterEach). */
export function killAll(): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** `node file ...args` with only PATH and `env` in its environment; its stdin, stdout and stderr are pipes. */
export function spawnNode(file: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [file, ...args], { env: { PATH: process.env.PATH!, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...waiters]) {
      const hit = out.split('\n').find((l) => w.pattern.test(l));
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const hit = out.split('\n').find((l) => pattern.test(l));
        if (hit) return resolve(hit);
        waiters.push({ pattern, resolve });
        void exit.then(({ code, signal }) => reject(new Error(`exited ${code ?? signal} before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`)));
      }),
    exit,
  };
}
