// The sandbox (`zcrm-sandbox`, packages/sandbox's bin) in its own process, so its per-record counters
// outlive a server killed by a test, and so a test can take Zoho away: stop() ends it with SIGTERM
// (open connections are cut, the state is flushed to its --state file), start() brings it back on the
// same port with the same state, as an outage and recovery look to a client. Its counters of calls
// in flight (stats()) start again at zero with each process: maxInFlightPerOrg() keeps the highest
// seen over every process. Written in plain, erasable TypeScript like prerequisites.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNode, type Proc } from './processes.ts';

export interface SandboxProcessOptions {
  /** The sandbox's bin (packages/sandbox/bin/zcrm-sandbox.js); the caller resolves it. */
  bin: string;
  /** More flags (`--demo-records`, `--concurrency-limit`, ...); not --port or --state, which this sets. */
  args?: string[];
  /** Environment besides PATH (e.g. ZCRM_SANDBOX_ADMIN_TOKEN). */
  env?: Record<string, string>;
}

export interface SandboxProcess {
  /** Origin, e.g. http://127.0.0.1:40123: the same across stop() and start(). */
  url: string;
  apiBaseUrl: string;
  tokenUrl: string;
  port: number;
  /** The --state file (in a temporary folder deleted by dispose()). */
  statePath: string;
  /** The running process (a new one after each start()). */
  proc(): Proc;
  /** GET /__sandbox/stats of the running process. */
  stats(): Promise<Record<string, any>>;
  /** GET /__sandbox/records/{module}/{id}: a record's shares and revoke counters (kept across restarts). */
  record(module: string, id: string): Promise<Record<string, any>>;
  /** PATCH /__sandbox/config on the running process (settings are not kept across restarts: pass flags for those). */
  configure(patch: Record<string, unknown>): Promise<void>;
  /** The most calls in flight for one org, over every process so far (this one's, read now, included). */
  maxInFlightPerOrg(): Promise<number>;
  /** SIGTERM, then waits for the exit: connections in flight are cut, the state is written. */
  stop(): Promise<void>;
  /** Starts the sandbox again on the same port, from the state file. */
  start(): Promise<void>;
  /** Kills the process if it runs and deletes the state folder. */
  dispose(): void;
}

const api = async (url: string, path: string, init?: RequestInit) => {
  const res = await fetch(`${url}/__sandbox/${path}`, init);
  if (!res.ok) throw new Error(`sandbox ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
};

/** Starts `zcrm-sandbox --port 0 --state <temp file> ...args` and resolves once it listens. */
export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-sandbox-state-'));
  const statePath = join(dir, 'state.json');
  const launch = async (port: number) => {
    const proc = spawnNode(options.bin, ['--port', String(port), '--state', statePath, ...(options.args ?? [])], options.env ?? {});
    const url = /listening on (http:\/\/\S+)/.exec(await proc.line(/listening on/))![1]!;
    return { proc, url };
  };
  let { proc, url } = await launch(0);
  const port = Number(new URL(url).port);
  let earlierMax = 0;
  const stats = () => api(url, 'stats');
  return {
    url,
    apiBaseUrl: `${url}/crm/v8`,
    tokenUrl: `${url}/oauth/v2/token`,
    port,
    statePath,
    proc: () => proc,
    stats,
    record: (module, id) => api(url, `records/${module}/${id}`),
    configure: async (patch) => {
      await api(url, 'config', { method: 'PATCH', body: JSON.stringify(patch) });
    },
    maxInFlightPerOrg: async () => Math.max(earlierMax, (await stats()).maxInFlightPerOrg as number),
    async stop() {
      earlierMax = Math.max(earlierMax, (await stats()).maxInFlightPerOrg as number);
      proc.child.kill('SIGTERM');
      const { code, signal } = await proc.exit;
      if (code !== 0) throw new Error(`the sandbox exited ${code ?? signal} on SIGTERM\nstderr: ${proc.stderr()}`);
    },
    async start() {
      const again = await launch(port);
      if (again.url !== url) throw new Error(`the sandbox came back on ${again.url}, not ${url}`);
      proc = again.proc;
    },
    dispose() {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
