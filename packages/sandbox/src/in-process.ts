// createSandbox(): the sandbox as a `fetch`, with no socket and no port, for the client
// (`createZohoCrmClient({ fetch: sandbox.fetch })`), MSW (msw.ts) or any code taking a fetch. It answers
// Zoho's API and accounts hosts of every data centre (hosts.ts) and its own origin, through the same
// engine as the HTTP server, so both answer alike. Any other host is refused as an unresolvable one
// would be: nothing here ever opens a connection. Portable: Node, Bun, Deno, workerd, browsers.
import { counted } from './core.js';
import { createEngine, withControls, type EngineOptions, type SandboxControls } from './engine.js';
import { ZOHO_HOSTS, servedOn, type HostKind } from './hosts.js';
import type { Reply } from './reply.js';
import { notFound } from './routes.js';
import { demoSeed, type SandboxSeed } from './seed.js';
import { FAILED, HAS_BODY, MAX_BODY_BYTES, written, type ResponseEntry } from './wire.js';

export type { ResponseEntry } from './wire.js';

export interface InProcessOptions extends EngineOptions {
  /** The starting state. Default: demoSeed(). */
  seed?: SandboxSeed;
  /** The sandbox's own origin (its `apiBaseUrl` and `tokenUrl` are under it). Default `https://zcrm-sandbox.invalid`, a name that never resolves. */
  url?: string;
  /** Called with every response the sandbox gives (tests use it to check responses against the spec). */
  onResponse?: (entry: ResponseEntry) => void;
}

export interface InProcessSandbox extends SandboxControls {
  /** A `fetch` answered by the sandbox: Zoho's API and accounts hosts (every data centre and org type) and `url`. */
  readonly fetch: typeof globalThis.fetch;
  /** Its own origin. */
  readonly url: string;
  /** `${url}/crm/v8`, for a client's `baseUrl`. Zoho's own URLs work as well. */
  readonly apiBaseUrl: string;
  /** `${url}/oauth/v2/token` */
  readonly tokenUrl: string;
  /** Every origin `fetch` answers: `url`, then Zoho's (https). */
  readonly origins: readonly string[];
}

/** The in-process sandbox's own origin unless `url` says otherwise (`.invalid`: it can never be a real host). */
export const DEFAULT_URL = 'https://zcrm-sandbox.invalid';

// Statuses whose response has no body (the Response constructor refuses one).
const NO_BODY = new Set([101, 103, 204, 205, 304]);

function originOf(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin + '/' !== parsed.href.replace(/\/?$/, '/')) {
    throw new TypeError(`createSandbox: url: expected an http(s) origin such as ${DEFAULT_URL} (no path, query or fragment), got ${JSON.stringify(url)}`);
  }
  return parsed.origin;
}

/** Rejects with the signal's reason once it aborts, as fetch does; the sandbox still finishes the call, as a server would. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The request's body as the server reads it: POST, PUT and PATCH only; none when empty or over MAX_BODY_BYTES. */
async function bodyOf(request: Request): Promise<string | undefined> {
  if (!HAS_BODY.has(request.method)) return undefined;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.length === 0 || bytes.length > MAX_BODY_BYTES ? undefined : new TextDecoder().decode(bytes);
}

/** A sandbox answering in this process, through `sandbox.fetch`. */
export function createSandbox(options: InProcessOptions = {}): InProcessSandbox {
  const origin = originOf(options.url ?? DEFAULT_URL);
  const { state, controls, handle } = createEngine(options.seed ?? demoSeed(), options);
  const own: HostKind = { kind: 'accounts', apiDomain: origin };

  async function answer(request: Request, url: URL, host: HostKind | undefined): Promise<Reply> {
    const arrived = performance.now();
    const path = url.pathname + url.search;
    if (host && !servedOn(host, url.pathname)) return counted(state, notFound(url.pathname.split('/').filter(Boolean)));
    const body = await bodyOf(request);
    const apiDomain = host?.kind === 'accounts' ? host.apiDomain : origin;
    return handle({ method: request.method, url: path, authorization: request.headers.get('authorization') ?? undefined, body, arrived, apiDomain, dataCenter: host?.dataCenter }).catch(FAILED);
  }

  const sandboxFetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    const url = new URL(request.url);
    const zoho = url.protocol === 'https:' ? ZOHO_HOSTS.get(url.host) : undefined;
    if (!zoho && url.origin !== origin) {
      const cause = Object.assign(new Error(`the in-process Zoho CRM sandbox answers ${origin} and Zoho's API and accounts hosts (https), not ${url.origin}`), { code: 'ENOTFOUND', hostname: url.hostname });
      throw new TypeError('fetch failed', { cause });
    }
    // Its own origin serves everything (the API, the token endpoint, /__sandbox), as the HTTP server does.
    const reply = await abortable(answer(request, url, url.origin === origin ? undefined : zoho), request.signal);
    const { text, headers } = written(reply);
    options.onResponse?.({ method: request.method, path: url.pathname + url.search, status: reply.status, body: reply.body, headers, example: reply.example });
    return new Response(NO_BODY.has(reply.status) || request.method === 'HEAD' || text === '' ? null : text, { status: reply.status, headers });
  };

  return withControls(controls, {
    fetch: sandboxFetch as typeof globalThis.fetch,
    url: origin,
    apiBaseUrl: `${origin}/crm/v8`,
    tokenUrl: `${origin}/oauth/v2/token`,
    origins: [origin, ...[...ZOHO_HOSTS.keys()].map((h) => `https://${h}`)],
  });
}
