// Runs a snippet as a program against a sandbox: Zoho's hosts routed to it by the repository's preload
// (scripts/zoho-hosts-to-sandbox.mjs) and the sandbox's demo OAuth client as the ZOHO_* variables, so a
// snippet written for Zoho runs unchanged.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '@zcrm-sharing/sandbox';
import { ROOT } from './blocks.ts';

export const PRELOAD = join(ROOT, 'scripts/zoho-hosts-to-sandbox.mjs');
const VITEST = join(ROOT, 'packages/docs-test/node_modules/vitest/vitest.mjs');
const TIMEOUT_MS = 60_000;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without any ZOHO_* of the developer's shell, plus `extra`. */
export function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZOHO_')));
  return { ...env, NO_COLOR: '1', ...extra };
}

export const DEMO_ENV = {
  ZOHO_CLIENT_ID: DEMO_CREDENTIALS.clientId,
  ZOHO_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret,
  ZOHO_REFRESH_TOKEN: DEMO_CREDENTIALS.refreshToken,
};

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], signal: AbortSignal.timeout(TIMEOUT_MS) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', (err) => (err.name === 'AbortError' ? resolve({ code: null, stdout, stderr: `${stderr}\n(killed after ${TIMEOUT_MS} ms)` }) : reject(err)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `node --import <preload> file` (or vitest for a test file) in `cwd`, against the sandbox at `sandboxUrl`. */
export function runSnippet(file: string, cwd: string, sandboxUrl: string, options: { vitest?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  const env = environment({ ZCRM_SANDBOX_URL: sandboxUrl, ...(options.env ?? DEMO_ENV) });
  if (options.vitest) {
    return run(process.execPath, [VITEST, 'run', '--root', cwd, '--dir', cwd, file], cwd, { ...env, NODE_OPTIONS: `--import=${PRELOAD}` });
  }
  return run(process.execPath, ['--import', PRELOAD, file], cwd, env);
}
