// Child processes for the tests that must outlive (or kill) one: the built server (dist/main.js) and
// the sandbox's own bin, so the sandbox's state survives a SIGKILL of the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { SECRET, contactId, request } from './helpers.ts';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const SANDBOX_BIN = fileURLToPath(new URL('../../../packages/sandbox/bin/zcrm-sandbox.js', import.meta.url));

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

/** Kills whatever the test left running (call from afterEach). */
export function killAll(): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export function spawnNode(file: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [file, ...args], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
        void exit.then(({ code }) => reject(new Error(`exited ${code} before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`)));
      }),
    exit,
  };
}

export interface SandboxProc {
  proc: Proc;
  url: string;
  apiBaseUrl: string;
  /** GET /__sandbox/stats */
  stats(): Promise<Record<string, any>>;
  record(module: string, id: string): Promise<Record<string, any>>;
  configure(patch: Record<string, unknown>): Promise<void>;
}

/** `zcrm-sandbox` in its own process on a free port. */
export async function startSandboxProcess(args: string[] = []): Promise<SandboxProc> {
  const proc = spawnNode(SANDBOX_BIN, ['--port', '0', ...args], {});
  const url = /listening on (http:\/\/\S+)/.exec(await proc.line(/listening on/))![1]!;
  const api = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${url}/__sandbox/${path}`, init);
    if (!res.ok) throw new Error(`sandbox ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, any>;
  };
  return {
    proc,
    url,
    apiBaseUrl: `${url}/crm/v8`,
    stats: () => api('stats'),
    record: (module, id) => api(`records/${module}/${id}`),
    configure: async (patch) => {
      await api('config', { method: 'PATCH', body: JSON.stringify(patch) });
    },
  };
}

export interface ServerProc {
  proc: Proc;
  url: string;
}

/** dist/main.js against a sandbox process, as an operator would start it. */
export async function startServerProcess(sandbox: SandboxProc, env: Record<string, string>): Promise<ServerProc> {
  const proc = spawnNode(MAIN, [], {
    PORT: '0',
    WEBHOOK_SECRET: SECRET,
    ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken,
    ZOHO_BASE_URL: sandbox.apiBaseUrl,
    ...env,
  });
  const listening = JSON.parse(await proc.line(/"msg":"listening/)) as { url: string };
  return { proc, url: listening.url };
}

/** Waits for a condition (a state, never a duration): checks it every 20 ms. */
export async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      throw new Error(`while waiting for ${what}: ${(err as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The first `n` seeded Contacts that start shared (every 10th starts unshared). */
export const sharedContacts = (n: number) => Array.from({ length: Math.ceil((n * 10) / 9) + 1 }, (_, i) => i).filter((i) => i % 10 !== 9).slice(0, n).map(contactId);

/** Finished jobs according to the store (any instance's /api/jobs). */
export async function finished(url: string): Promise<{ done: number; pending: number; jobs: any[] }> {
  const body = (await request(`${url}/api/jobs`)).body;
  return { done: body.jobs.filter((j: any) => j.status !== 'queued' && j.status !== 'running').length, pending: body.queued + body.running, jobs: body.jobs };
}

/** Each record's revoke counters at the sandbox: how many were revoked, and how many more than once. */
export async function revokedOnce(sandbox: SandboxProc, ids: string[]) {
  const records = await Promise.all(ids.map((id) => sandbox.record('Contacts', id)));
  return {
    revoked: records.filter((r) => r.revokeSuccesses >= 1 && r.shares === 0).length,
    revokedTwice: records.filter((r) => r.revokeSuccesses > 1).length,
    notRevoked: ids.filter((_, i) => records[i]!.revokeSuccesses === 0),
  };
}

