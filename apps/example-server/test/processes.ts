// Child processes for the tests that must outlive (or kill) one: the built server (dist/main.js) and
// the sandbox's own bin, so the sandbox's state survives a SIGKILL of the server.
import { fileURLToPath } from 'node:url';
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { killAll as killChildren, spawnNode, type Proc } from '@zcrm-sharing/test-support/processes';
import { startSandboxProcess as startSandboxBin, type SandboxProcess } from '@zcrm-sharing/test-support/sandbox-process';
import { SECRET, contactId, request } from './helpers.ts';

export { spawnNode, type Proc };
export type SandboxProc = SandboxProcess;

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const SANDBOX_BIN = fileURLToPath(new URL('../../../packages/sandbox/bin/zcrm-sandbox.js', import.meta.url));

const sandboxes: SandboxProcess[] = [];

/** Kills whatever the test left running and deletes the sandboxes' state (call from afterEach). */
export function killAll(): void {
  killChildren();
  for (const s of sandboxes.splice(0)) s.dispose();
}

/** `zcrm-sandbox` in its own process on a free port, with a --state file (stop() and start() keep it). */
export async function startSandboxProcess(args: string[] = []): Promise<SandboxProc> {
  const sandbox = await startSandboxBin({ bin: SANDBOX_BIN, args });
  sandboxes.push(sandbox);
  return sandbox;
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

