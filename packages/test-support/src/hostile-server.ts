// A deliberately hostile stand-in for Zoho (API and token URL), one mode per way a server, a proxy
// or a wrong --base-url can lie: HTML or empty 200s, JSON without the envelope, numeric or other
// records' ids, redirects to a second listener, bodies that are huge or never end, absurd
// Retry-After values, secrets echoed back, 401 forever, 200s with an error code and status success,
// JSON with a key repeated, plain JSON labelled with a Content-Encoding. The second listener (`elsewhere`) records
// anything it receives: a client that follows a redirect shows up there.
// Used by the client's, the CLI's and the example server's hostile suites.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const HOSTILE_MODES = [
  'success', // control: Zoho's documented success for each operation
  'html-200',
  'empty-200',
  'no-content-204',
  'invalid-json',
  'no-envelope',
  'numeric-id',
  'mismatched-id',
  'redirect-301',
  'redirect-302',
  'redirect-307',
  'token-redirect-301',
  'token-redirect-302',
  'token-redirect-307',
  'huge-body', // 100 MB, chunked
  'huge-body-declared', // 100 MB with its Content-Length
  'endless-body', // a JSON start, then a byte every 100 ms, forever
  'retry-after-huge', // 429, Retry-After: 999999 (11.6 days)
  'retry-after-overflow', // 429, Retry-After: 99999999999 (past a 32-bit timer)
  'retry-after-date', // 429, Retry-After: an HTTP date a year ahead
  'rate-limited-bare', // a proxy's 429: text/plain, no Zoho body, no Retry-After
  'echo-message', // 400, the Authorization header in `message`
  'echo-details', // 400, the Authorization header in `details`
  'echo-code', // 400, the token as the `code`
  'echo-body', // 502 HTML page echoing the request headers
  'token-echo', // the token URL echoes the form it received in `error`
  'unauthorized-forever', // 401 INVALID_TOKEN on every API call; the token URL keeps minting
  'gateway-401', // a gateway's 401 HTML page
  // 200s that pass a check of `status` and the id but are not Zoho's success (issue 22): the status
  // object of each operation's envelope with this `code` and `status: "success"`.
  'code-no-permission-200',
  'code-internal-error-200',
  'code-invalid-data-200',
  'code-lowercase-success-200', // "code":"success"
  'code-cannot-process-200', // CANNOT_PROCESS: the rerun scheduler is busy, never "scheduled"
  // Ambiguous JSON (JSON.parse keeps the last of two equal keys): each ends on the success.
  'duplicate-status', // "status":"error","status":"success" in the status object
  'duplicate-envelope', // two `share` (or `sharing_rules`...) members, an error then the success
  'duplicate-id', // two `id`s, another record's then the one sent (a rerun: two `code`s)
  // The documented success as plain JSON, labelled with a Content-Encoding it is not in.
  'coding-gzip',
  'coding-br',
  'coding-unknown', // x-zoho-custom: no transport decodes it
] as const;

export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HostileServer {
  origin: string;
  /** `${origin}/crm/v8` */
  apiBaseUrl: string;
  /** `${origin}/oauth/v2/token` */
  tokenUrl: string;
  mode: HostileMode;
  /** Every request this server received. */
  requests: Received[];
  /** Access tokens the token URL handed out (they are secrets too). */
  minted: string[];
  /** Bytes of huge or endless bodies written, and how many of those connections the client dropped. */
  stats: { bodyBytesSent: number; droppedByClient: number };
  /** The redirect target: a second listener that records anything it receives and answers 200 success. */
  elsewhere: { origin: string; requests: Received[] };
  close(): Promise<void>;
}

/** Every form in which an echoed secret can come back: as sent, URL-encoded (path or form style), JSON-escaped. */
export function echoForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
}

const HUNDRED_MB = 100 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');
const LOGIN_PAGE = '<!doctype html><html><head><title>Sign in</title></head><body><form action="/login">Sign in to continue</form></body></html>';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function record(req: IncomingMessage, into: Received[]): Promise<Received> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      if (body.length < 1 << 20) body += c; // a bounded record
    });
    req.on('end', () => {
      const r: Received = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      into.push(r);
      resolve(r);
    });
  });
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
};

/** Zoho's documented success body for the operation the request names (revoke, rerun or summary). */
function successBody(r: Received): string {
  const revoke = /\/([^/]+)\/([0-9]+)\/actions\/share$/.exec(r.path);
  if (r.method === 'DELETE' && revoke) {
    return JSON.stringify({ share: { code: 'SUCCESS', details: { id: revoke[2] }, message: 'Sharing Revoked', status: 'success' } });
  }
  if (r.method === 'POST' && r.path.includes('/actions/run')) {
    return JSON.stringify({ sharing_rules: [{ code: 'SCHEDULED', details: {}, message: 'Rerun successfully scheduled', status: 'success' }] });
  }
  const module = new URL(r.path, 'http://x').searchParams.get('module') ?? 'Leads';
  return JSON.stringify({ sharing_rules_summary: [{ module: { api_name: module, id: '4150868000000002175' }, rule_computation_status: false, rule_count: 3 }] });
}

function success(res: ServerResponse, r: Received): void {
  json(res, 200, successBody(r));
}

/**
 * The operation's success status object with `code` (and `status: "success"`), in its envelope: `share`
 * for a revoke, `sharing_rules[]` for a rerun, a bare status object for anything else. `inner` edits
 * the status object's JSON text (to repeat a key).
 */
function statusSuccess(r: Received, code: string, inner = (t: string) => t): string {
  const revoke = /\/([0-9]+)\/actions\/share$/.exec(r.path);
  const details = revoke ? `{"id":"${revoke[1]}"}` : '{}';
  const message = revoke ? 'Sharing Revoked' : 'Rerun successfully scheduled';
  const status = inner(`{"code":"${code}","details":${details},"message":"${message}","status":"success"}`);
  if (r.method === 'DELETE') return `{"share":${status}}`;
  if (r.method === 'POST') return `{"sharing_rules":[${status}]}`;
  return status;
}

/** Writes up to 100 MB, as fast as the client reads, until it hangs up. */
function stream(req: IncomingMessage, res: ServerResponse, declared: boolean, stats: HostileServer['stats']): void {
  res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': String(HUNDRED_MB) } : {}) });
  let sent = 0;
  let closed = false;
  res.on('close', () => {
    closed = true;
    if (sent < HUNDRED_MB) stats.droppedByClient++;
  });
  const pump = () => {
    while (!closed && sent < HUNDRED_MB) {
      sent += CHUNK.length;
      stats.bodyBytesSent += CHUNK.length;
      if (!res.write(CHUNK)) return void res.once('drain', pump);
    }
    if (!closed) res.end();
  };
  req.resume();
  pump();
}

export async function startHostileServer(options: { mode?: HostileMode } = {}): Promise<HostileServer> {
  const elsewhereRequests: Received[] = [];
  const elsewhere = await listen((req, res) => {
    void record(req, elsewhereRequests).then((r) => (r.path.includes('/oauth/') ? json(res, 200, { access_token: 'elsewhere-token', expires_in: 3600 }) : success(res, r)));
  });
  const requests: Received[] = [];
  const minted: string[] = [];
  const stats = { bodyBytesSent: 0, droppedByClient: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const hostile = await listen((req, res) => {
    // Streaming modes answer before the request body is read (there is none on API calls).
    if (!req.url?.includes('/oauth/') && (server.mode === 'huge-body' || server.mode === 'huge-body-declared')) {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: '' });
      return stream(req, res, server.mode === 'huge-body-declared', stats);
    }
    void record(req, requests).then((r) => {
      const mode = server.mode;
      const auth = String(r.headers.authorization ?? '');
      const token = auth.replace(/^Zoho-oauthtoken /, '');
      if (r.path.startsWith('/oauth/')) {
        const redirect = /^token-redirect-(\d+)$/.exec(mode);
        if (redirect) {
          res.writeHead(Number(redirect[1]), { location: `${elsewhere.origin}${r.path}` }).end();
          return;
        }
        if (mode === 'token-echo') return json(res, 400, { error: r.body, error_description: `received ${r.body}` });
        const access = `1000.hostile-access.${minted.length + 1}`;
        minted.push(access);
        return json(res, 200, { access_token: access, api_domain: 'https://www.zohoapis.com', token_type: 'Bearer', expires_in: 3600 });
      }
      const revoke = /\/([0-9]+)\/actions\/share$/.exec(r.path);
      const id = revoke?.[1] ?? '4150868000000002175';
      const zohoError = (status: number, code: string, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
        json(res, status, { code, details, message, status: 'error' }, headers);
      switch (mode) {
        case 'success':
        case 'token-redirect-301':
        case 'token-redirect-302':
        case 'token-redirect-307':
        case 'token-echo':
          return success(res, r);
        case 'html-200':
          return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE);
        case 'empty-200':
          return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' }).end();
        case 'no-content-204':
          return void res.writeHead(204).end();
        case 'invalid-json':
          return json(res, 200, '{"share":{"code":"SUCCESS","details":{"id":');
        case 'no-envelope':
          return json(res, 200, { status: 'success', message: 'ok', data: [{ id }] });
        case 'numeric-id':
          // The id unquoted, as Zoho's old int64 OAS would have it: JSON.parse turns it into a rounded double.
          if (revoke) return json(res, 200, `{"share":{"code":"SUCCESS","details":{"id":${id}},"message":"Sharing Revoked","status":"success"}}`);
          if (r.method === 'POST') return json(res, 200, `{"sharing_rules":[{"code":"SCHEDULED","details":{"id":${id}},"message":"Rerun successfully scheduled","status":"success"}]}`);
          return json(res, 200, `{"sharing_rules_summary":[{"module":{"api_name":"Leads","id":${id}},"rule_computation_status":false,"rule_count":3}]}`);
        case 'mismatched-id':
          if (revoke) return json(res, 200, { share: { code: 'SUCCESS', details: { id: String(BigInt(id) + 1n) }, message: 'Sharing Revoked', status: 'success' } });
          if (r.method === 'POST') return json(res, 200, { sharing_rules: [] });
          return json(res, 200, { sharing_rules_summary: [{ module: { api_name: 'Some_Other_Module', id }, rule_computation_status: false, rule_count: 3 }] });
        case 'redirect-301':
        case 'redirect-302':
        case 'redirect-307':
          return void res.writeHead(Number(mode.slice(-3)), { location: `${elsewhere.origin}${r.path}` }).end();
        case 'endless-body': {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"share":');
          const timer = setInterval(() => {
            stats.bodyBytesSent++;
            res.write(' ');
          }, 100);
          timers.add(timer);
          res.on('close', () => {
            clearInterval(timer);
            timers.delete(timer);
            stats.droppedByClient++;
          });
          return;
        }
        case 'retry-after-huge':
          return zohoError(429, 'TOO_MANY_REQUESTS', 'Too many requests', {}, { 'retry-after': '999999' });
        case 'retry-after-overflow':
          return zohoError(429, 'TOO_MANY_REQUESTS', 'Too many requests', {}, { 'retry-after': '99999999999' });
        case 'retry-after-date':
          return zohoError(429, 'TOO_MANY_REQUESTS', 'Too many requests', {}, { 'retry-after': new Date(Date.now() + 365 * 86_400_000).toUTCString() });
        case 'rate-limited-bare':
          return void res.writeHead(429, { 'content-type': 'text/plain' }).end('Too Many Requests');
        case 'echo-message':
          return zohoError(400, 'INVALID_DATA', `the token ${token} (sent as "${auth}") is not valid here`);
        case 'echo-details':
          return zohoError(400, 'INVALID_DATA', 'invalid data', { authorization: auth, token, encoded: encodeURIComponent(token) });
        case 'echo-code':
          return zohoError(400, token, 'invalid data');
        case 'echo-body':
          return void res
            .writeHead(502, { 'content-type': 'text/html' })
            .end(`<html><body><h1>Bad gateway</h1><pre>${JSON.stringify(r.headers)}\n${r.body}</pre></body></html>`);
        case 'unauthorized-forever':
          return zohoError(401, 'INVALID_TOKEN', `invalid oauth token ${token}`);
        case 'gateway-401':
          return void res.writeHead(401, { 'content-type': 'text/html' }).end(`<html><body>401 Authorization Required (got ${auth})</body></html>`);
        case 'code-no-permission-200':
          return json(res, 200, statusSuccess(r, 'NO_PERMISSION'));
        case 'code-internal-error-200':
          return json(res, 200, statusSuccess(r, 'INTERNAL_ERROR'));
        case 'code-invalid-data-200':
          return json(res, 200, statusSuccess(r, 'INVALID_DATA'));
        case 'code-lowercase-success-200':
          return json(res, 200, statusSuccess(r, 'success'));
        case 'code-cannot-process-200':
          return json(res, 200, statusSuccess(r, 'CANNOT_PROCESS'));
        case 'duplicate-status':
          return json(res, 200, statusSuccess(r, r.method === 'POST' ? 'SCHEDULED' : 'SUCCESS', (t) => t.replace('"status":"success"', '"status":"error","status":"success"')));
        case 'duplicate-envelope': {
          const body = r.method === 'DELETE' || r.method === 'POST' ? statusSuccess(r, r.method === 'POST' ? 'SCHEDULED' : 'SUCCESS') : successBody(r);
          // The envelope's one member twice: first an error, then the success.
          return json(res, 200, body.replace(/^\{"([a-z_]+)":/, (_m, key: string) => `{"${key}":${key === 'share' ? '{"code":"NO_PERMISSION","details":{},"message":"permission denied","status":"error"}' : '[{"code":"NO_PERMISSION","details":{},"message":"permission denied","status":"error"}]'},"${key}":`));
        }
        case 'duplicate-id':
          if (revoke) return json(res, 200, statusSuccess(r, 'SUCCESS', (t) => t.replace(`{"id":"${id}"}`, `{"id":"${BigInt(id) + 1n}","id":"${id}"}`)));
          // A rerun's answer has no id: its `code` twice instead, an error's then the success's.
          if (r.method === 'POST') return json(res, 200, statusSuccess(r, 'SCHEDULED', (t) => t.replace('"code":', '"code":"CANNOT_PROCESS","code":')));
          return json(res, 200, successBody(r).replace('"id":', '"id":"1","id":'));
        case 'coding-gzip':
        case 'coding-br':
        case 'coding-unknown':
          return json(res, 200, successBody(r), { 'content-encoding': { 'coding-gzip': 'gzip', 'coding-br': 'br', 'coding-unknown': 'x-zoho-custom' }[mode] });
      }
    });
  });

  const server: HostileServer = {
    origin: hostile.origin,
    apiBaseUrl: `${hostile.origin}/crm/v8`,
    tokenUrl: `${hostile.origin}/oauth/v2/token`,
    mode: options.mode ?? 'success',
    requests,
    minted,
    stats,
    elsewhere: { origin: elsewhere.origin, requests: elsewhereRequests },
    async close() {
      for (const t of timers) clearInterval(t);
      await Promise.all(
        [hostile.server, elsewhere.server].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
  return server;
}
