// The local servers a README's shell block talks to, at the origins the README prints (the sandbox on
// 4011, Prism on 4010, the example server on 3000), started here on free ports instead: the block's curl
// goes through a wrapper that rewrites those origins (as the preload does for Zoho's hosts), so the
// block runs as printed without taking a fixed port on a shared machine.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startPrism } from '@zcrm-sharing/openapi/testing/prism';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';
import { createExampleServer } from '@zcrm-sharing/example-server';

export interface Servers {
  /** `http://127.0.0.1:<printed port>` → the origin started for it. */
  routes: Map<string, string>;
  /** Variables the block's README sets in an earlier block (the webhook secret). */
  env: Record<string, string>;
  close(): Promise<void>;
}

const SANDBOX = 'http://127.0.0.1:4011';
const PRISM = 'http://127.0.0.1:4010';
const EXAMPLE_SERVER = 'http://127.0.0.1:3000';

/** Starts what `text` addresses; `dataDir` is the example server's store (the block's scratch folder). */
export async function serversFor(text: string, dataDir: string): Promise<Servers> {
  const routes = new Map<string, string>();
  const env: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    if (text.includes(SANDBOX) || text.includes(EXAMPLE_SERVER)) {
      const sandbox = await startSandbox({ seed: demoSeed() });
      closers.push(() => sandbox.close());
      routes.set(SANDBOX, sandbox.url);
      if (text.includes(EXAMPLE_SERVER)) {
        env.WEBHOOK_SECRET = randomBytes(32).toString('hex');
        const server = await createExampleServer({
          zoho: { auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: sandbox.apiBaseUrl },
          mode: 'sandbox',
          webhookSecret: env.WEBHOOK_SECRET,
          dataDir: join(dataDir, 'data'),
          log: () => {},
        });
        closers.push(() => server.close());
        routes.set(EXAMPLE_SERVER, server.url.replace(/\/$/, ''));
      }
    }
    if (text.includes(PRISM)) {
      const prism = await startPrism();
      closers.push(() => prism.stop());
      routes.set(PRISM, prism.url);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { routes, env, close };
}

/** A `curl` in `binDir` that rewrites the routed origins in its arguments, then runs the real one. */
export function routedCurl(binDir: string, routes: Map<string, string>, realCurl = execFileSync('bash', ['-c', 'command -v curl'], { encoding: 'utf8' }).trim()): void {
  mkdirSync(binDir, { recursive: true });
  const rewrites = [...routes].map(([from, to]) => `  from='${from}' to='${to}'; a="\${a//"$from"/"$to"}"`).join('\n');
  const script = `#!/usr/bin/env bash\nargs=()\nfor a in "$@"; do\n${rewrites}\n  args+=("$a")\ndone\nexec ${realCurl} "\${args[@]}"\n`;
  writeFileSync(join(binDir, 'curl'), script);
  chmodSync(join(binDir, 'curl'), 0o755);
}
