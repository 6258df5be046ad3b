// The CLI as a user runs it: the built bin in a child process (against an in-process sandbox).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allScopes, DEMO_CREDENTIALS, demoSeed, startSandbox, type Sandbox } from '@zcrm-sharing/sandbox';
import { afterEach } from 'vitest';

export const BIN = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
export const FIRST = 4150868000001148212n;
export const idAt = (i: number) => String(FIRST + BigInt(i));
/** The demo seed leaves every 10th Contact unshared. */
export const isShared = (id: string) => (BigInt(id) - FIRST) % 10n !== 9n;

export const tmp = () => mkdtempSync(join(tmpdir(), 'zcrm-cli-test-'));

/** A file of ids (one per line) in a fresh directory. */
export function idsFile(ids: string[], name = 'ids.txt', extra = ''): string {
  const file = join(tmp(), name);
  writeFileSync(file, `${ids.join('\n')}\n${extra}`);
  return file;
}
export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => idAt(from + i));

const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

/** Tokens besides the demo one: `contacts-only` (the Contacts share scope only: DELETE, no READ) and three profiles. */
export async function sandbox(options: Parameters<typeof startSandbox>[0] & { records?: number; resharedAfterRevoke?: string[] } = {}) {
  const { records, resharedAfterRevoke = [], ...rest } = options;
  const seed = demoSeed({ records: records ?? 1000 });
  // Records whose shares come back after every revoke: what --verify must catch.
  for (const r of seed.records!) if (resharedAfterRevoke.includes(r.id)) r.resharedAfterRevoke = true;
  seed.tokens!.push(
    { accessToken: 'contacts-only', scopes: ['ZohoCRM.share.contacts.DELETE'] },
    { accessToken: 'no-share-permission', scopes: allScopes(), profile: 'no-share-permission' },
    { accessToken: 'read-only', scopes: allScopes(), profile: 'read-only' },
  );
  seed.modules!.push({ apiName: 'Contacts_X_Leads', id: '4150868000000009999', revocable: false }); // a linking module
  const s = await startSandbox({ seed, rerunDurationMs: 300, ...rest });
  sandboxes.push(s);
  return s;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Each run in a fresh working directory (`options.cwd` to choose one): what it writes there (`share revoke --id`'s journal) is its own. */
export function start(args: string[], env: Record<string, string> = {}, input?: string, options: { ulimitFileKiB?: number; cwd?: string } = {}) {
  const command = options.ulimitFileKiB === undefined ? [process.execPath, BIN, ...args] : ['/bin/sh', '-c', `ulimit -f ${options.ulimitFileKiB} && exec "$@"`, 'sh', process.execPath, BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd ?? tmp(),
    env: { PATH: process.env.PATH!, HOME: tmp(), XDG_CONFIG_HOME: tmp(), NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  if (input !== undefined) child.stdin.end(input);
  else child.stdin.end();
  const done = new Promise<Run>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
  return { child, done };
}
export const run = (args: string[], env: Record<string, string> = {}, input?: string, options: { cwd?: string } = {}) => start(args, env, input, options).done;

export const against = (s: Sandbox, token: string = DEMO_CREDENTIALS.accessToken) => ({ args: ['--base-url', s.apiBaseUrl], env: { ZOHO_ACCESS_TOKEN: token } });

/** The last JSON line of --json output: the summary. */
export const summaryOf = (r: Run) => JSON.parse(r.stdout.trim().split('\n').at(-1)!);

/** Resolves once `check()` holds, polling (the child process works on its own clock). */
export async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('until: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
