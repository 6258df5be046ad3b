import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';

export interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
  redirect: RequestInit['redirect'];
}

type Step = Response | Error | ((call: RecordedCall) => Response | Promise<Response>);

/** A fetch that answers from a script (one step per call; the last step repeats) and records every call. */
export function scriptedFetch(...steps: Step[]) {
  const calls: RecordedCall[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const call: RecordedCall = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: init.body === undefined || init.body === null ? undefined : String(init.body),
      signal: init.signal ?? undefined,
      redirect: init.redirect,
    };
    calls.push(call);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!;
    if (step instanceof Error) throw step;
    const res = typeof step === 'function' ? await step(call) : step.clone();
    return res;
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The spec's named examples, from @zcrm-sharing/openapi (its JSON form). */
const spec = createRequire(import.meta.url)('@zcrm-sharing/openapi/openapi.json');
export function specExample(operationId: string, status: string, name: string): unknown {
  for (const item of Object.values<any>(spec.paths)) {
    for (const op of Object.values<any>(item)) {
      if (op.operationId !== operationId) continue;
      const res = op.responses[status].$ref ? resolve(op.responses[status].$ref) : op.responses[status];
      const ex = res.content['application/json'].examples[name];
      return resolve(ex.$ref).value;
    }
  }
  throw new Error(`no example ${operationId} ${status} ${name}`);
}
function resolve(ref: string): any {
  return ref.replace(/^#\//, '').split('/').reduce((acc: any, k: string) => acc[k], spec);
}

// The client secret and refresh token hold characters that change under URL-encoding and JSON-escaping.
export const SECRETS = {
  accessToken: '1000.secret-access-token.abcdef',
  clientSecret: 'client-secret+do/not"print',
  refreshToken: '1000.refresh-token do-not-print&=',
};

/** Every way an error can be rendered: message, stack, JSON, util.inspect with hidden properties. */
export function renderings(err: unknown): string[] {
  return [String(err), (err as Error)?.stack ?? '', JSON.stringify(err) ?? '', inspect(err, { depth: 10, showHidden: true })];
}

/** Documented answers of the spec, used across the behaviour tests. */
export const EXAMPLES = {
  scheduled: specExample('rerunDataSharingRules', '200', 'SCHEDULED'),
  revoked: specExample('revokeSharedRecord', '200', 'SUCCESS'),
  internal: specExample('revokeSharedRecord', '500', 'INTERNAL_ERROR'),
  tooMany: specExample('revokeSharedRecord', '429', 'TOO_MANY_REQUESTS'),
  busy: specExample('rerunDataSharingRules', '400', 'CANNOT_PROCESS'),
  invalidToken: specExample('revokeSharedRecord', '401', 'INVALID_TOKEN'),
};

/** Local HTTP servers on 127.0.0.1 for one test file; `closeAll` in afterEach. */
export function localServers() {
  const servers: Server[] = [];
  return {
    async listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    /** Closes the last server opened: nothing listens on its port afterwards. */
    closeLast: () => new Promise<void>((r) => servers.pop()!.close(() => r())),
    closeAll: () => Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r()))))),
  };
}
