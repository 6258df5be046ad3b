import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, demoSeed, startSandbox, type Sandbox, type SandboxOptions } from '@zcrm-sharing/sandbox';
import type { ClientOptions } from '@zcrm-sharing/client';
import { createExampleServer, type ExampleServer, type ExampleServerOptions } from '../src/index.ts';

export const SECRET = 'test-webhook-secret-5f1c9a7e2b';
export const FIRST_CONTACT = 4150868000001148212n;
/** The i-th seeded Contacts record (every 10th, i % 10 === 9, starts unshared). */
export const contactId = (i: number) => String(FIRST_CONTACT + BigInt(i));
export const FIRST_LEAD = 4150868000002000000n;
export const leadId = (i: number) => String(FIRST_LEAD + BigInt(i));

export interface Harness {
  sandbox: Sandbox;
  server: ExampleServer;
  url: string;
  /** Every log line the server wrote, parsed. */
  logs: Record<string, any>[];
  rawLogs: string[];
  /** The SQLite store's folder (a temporary one, deleted by close() unless `keepData`). */
  dataDir: string;
  /** Starts another server on the same sandbox and store (after close(): a restart). */
  restart(options?: HarnessOptions): Promise<ExampleServer>;
  close(): Promise<void>;
}

/** A temporary DATA_DIR, deleted at the end of the test file's harnesses. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'zcrm-example-data-'));
}

const open: Harness[] = [];

/** Closes every harness started by the current test (call from afterEach). */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((h) => h.close()));
}

export interface HarnessOptions {
  sandbox?: SandboxOptions;
  /** Merged into the client options (auth, fetch, maxRetries...). Default auth: the demo access token. */
  zoho?: Partial<ClientOptions>;
  server?: Partial<Omit<ExampleServerOptions, 'zoho'>>;
  /** An existing sandbox to use (not closed by the harness). */
  sandboxInstance?: Sandbox;
}

/** A real sandbox and the example server in front of it, both on 127.0.0.1 random ports, jobs in a temporary DATA_DIR. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = options.sandboxInstance ?? (await startSandbox({ seed: demoSeed({ records: 1000 }), rerunDurationMs: 500, ...options.sandbox }));
  const rawLogs: string[] = [];
  const logs: Record<string, any>[] = [];
  const dataDir = options.server?.dataDir ?? tempDataDir();
  const servers: ExampleServer[] = [];
  const startServer = async (o: HarnessOptions) => {
    const server = await createExampleServer({
      webhookSecret: SECRET,
      mode: 'sandbox',
      shutdownGraceMs: 2_000,
      dataDir,
      ...o.server,
      zoho: { auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: sandbox.apiBaseUrl, tokenUrl: sandbox.tokenUrl, ...o.zoho },
      log: (line) => {
        rawLogs.push(line);
        logs.push(JSON.parse(line));
      },
    });
    servers.push(server);
    return server;
  };
  let server: ExampleServer;
  try {
    server = await startServer(options);
  } catch (err) {
    if (!options.sandboxInstance) await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const h: Harness = {
    sandbox,
    server,
    url: server.url,
    logs,
    rawLogs,
    dataDir,
    restart: async (o = {}) => {
      const next = await startServer({ ...options, ...o, server: { ...options.server, ...o.server } });
      h.server = next;
      h.url = next.url;
      return next;
    },
    close: async () => {
      for (const s of servers) await s.close();
      if (!options.sandboxInstance) await sandbox.close();
      if (!options.server?.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  open.push(h);
  return h;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function answer(res: Response): Promise<Answer> {
  return answerOf(res.status, res.headers, await res.text());
}

function answerOf(status: number, headers: Headers, text: string): Answer {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status, headers, body };
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const headers = (init.headers ?? {}) as Record<string, string>;
  // fetch may not set Host (a forbidden header): a request that must lie about it goes through node:http.
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'host')) return hostRequest(url, init.method ?? 'GET', headers);
  return answer(await fetch(url, init));
}

function hostRequest(url: string, method: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve(answerOf(res.statusCode!, h, text));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface DeliverOptions {
  /** Default SECRET; null sends none. */
  secret?: string | null;
  /** Default `form`. */
  as?: 'form' | 'json' | 'raw';
  contentType?: string;
  headers?: Record<string, string>;
}

/** One webhook delivery, as Zoho's workflow webhook would send it. */
export async function deliver(base: string, fields: Record<string, unknown> | string, options: DeliverOptions = {}): Promise<Answer> {
  const as = options.as ?? 'form';
  const headers: Record<string, string> = { ...options.headers };
  const secret = options.secret === undefined ? SECRET : options.secret;
  if (secret !== null) headers['x-webhook-secret'] = secret;
  let body: string;
  if (typeof fields === 'string') body = fields;
  else if (as === 'json') body = JSON.stringify(fields);
  else body = new URLSearchParams(fields as Record<string, string>).toString();
  headers['content-type'] = options.contentType ?? (as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded');
  return request(`${base}/webhooks/zoho/revoke-sharing`, { method: 'POST', headers, body });
}

/**
 * A fetch that holds every Zoho API call until released, so a test can observe jobs "queued" and
 * "in flight" without depending on timing. Calls to the token URL pass straight through.
 */
export function gate() {
  const held: { url: string; release: () => void }[] = [];
  const seen: string[] = [];
  let opened = false;
  const gatedFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.includes('/oauth/')) {
      seen.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      if (!opened) {
        // Like a real fetch, a held call gives up when its signal aborts (timeouts, shutdown).
        await new Promise<void>((release, reject) => {
          const signal = init?.signal;
          if (signal?.aborted) return reject(signal.reason);
          const entry = { url, release };
          held.push(entry);
          signal?.addEventListener('abort', () => {
            const i = held.indexOf(entry);
            if (i >= 0) held.splice(i, 1);
            reject(signal.reason);
          }, { once: true });
        });
      }
    }
    return fetch(input, init);
  };
  return {
    fetch: gatedFetch,
    /** Zoho calls made so far, in order, as "METHOD /path". */
    seen,
    get held() {
      return held.length;
    },
    /** Resolves once at least `n` calls are being held. */
    async holding(n: number): Promise<void> {
      while (held.length < n) await new Promise((r) => setTimeout(r, 2));
    },
    releaseOne(): void {
      held.shift()?.release();
    },
    open(): void {
      opened = true;
      for (const h of held.splice(0)) h.release();
    },
  };
}

/**
 * A sandbox latency you release by hand (the sandbox's `delay` option): calls wait inside the sandbox,
 * counted in flight there, until released, so tests see real overlap without depending on timing.
 */
export function sandboxGate() {
  const held: (() => void)[] = [];
  let opened = false;
  return {
    /** Pass as startSandbox's `delay` (with a `latencyMs` above 0). */
    delay: () => (opened ? Promise.resolve() : new Promise<void>((release) => held.push(release))),
    get held() {
      return held.length;
    },
    async holding(n: number): Promise<void> {
      while (held.length < n) await new Promise((r) => setTimeout(r, 2));
    },
    releaseAll(): void {
      for (const release of held.splice(0)) release();
    },
    open(): void {
      opened = true;
      for (const release of held.splice(0)) release();
    },
  };
}

/** Let pending I/O callbacks and promise jobs run (no timing is asserted on it). */
export const settle = () => new Promise((r) => setTimeout(r, 20));
