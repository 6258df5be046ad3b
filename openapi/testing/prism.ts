// Starts Prism (`mock`, or `proxy` in front of an upstream) on a free 127.0.0.1 port and stops it.
// Shared by the spec's, the client's and the sandbox's tests: `@zcrm-sharing/openapi/testing/prism`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const prismBin = fileURLToPath(new URL('../node_modules/.bin/prism', import.meta.url));
export const specPath = fileURLToPath(new URL('../zoho-crm-sharing.yaml', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface PrismMock {
  url: string;
  /** The Prism process (benchmarks read its CPU time). */
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** `startPrism()` mocks the spec; `startPrism({ upstream })` proxies to `upstream`, validating the traffic. */
export async function startPrism(options: { upstream?: string; args?: string[] } = {}): Promise<PrismMock> {
  const port = await freePort();
  const mode = options.upstream ? ['proxy', specPath, options.upstream] : ['mock', specPath];
  const child: ChildProcess = spawn(prismBin, [...mode, '--host', '127.0.0.1', '--port', String(port), ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited early (${child.exitCode}):\n${log}`);
    // Prism prints this once every route is mounted.
    if (log.includes('Prism is listening')) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`prism did not start within 45 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
