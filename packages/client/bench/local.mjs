// What the client's benchmarks share: a local server answering Zoho's revoke success, in its own
// process (so the caller's CPU is measured alone), and the paired ratio of two ways to make a call.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export const ID = '4150868000001148212';

/** Starts the server; `base` is its API base (`.../crm/v8`), `url` the revoke URL of `ID`. */
export async function startRevokeServer() {
  const serverScript = `
    const body = JSON.stringify({ share: { code: 'SUCCESS', details: { id: '${ID}' }, message: 'Sharing Revoked', status: 'success' } });
    const server = require('node:http').createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body));
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', serverScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = await once(child.stdout, 'data');
  const base = `http://127.0.0.1:${String(port).trim()}/crm/v8`;
  return { base, url: `${base}/Contacts/${ID}/actions/share`, stop: () => child.kill() };
}

/**
 * Time of `b` over `a`, paired call by call: they alternate (the order flipped each pair), so both
 * meet the same load however fast it changes; pairs where either call stalled (past its 90th
 * percentile: a descheduled process) are left out. Steadier than rounds on a busy machine.
 */
export async function paired(a, b, pairs = 6000) {
  for (let i = 0; i < 300; i++) await a(), await b();
  const ta = [];
  const tb = [];
  for (let i = 0; i < pairs; i++) {
    for (const fn of i % 2 ? [a, b] : [b, a]) {
      const t = performance.now();
      await fn();
      (fn === a ? ta : tb).push(performance.now() - t);
    }
  }
  const p90 = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length * 0.9)];
  const [ca, cb] = [p90(ta), p90(tb)];
  let [sa, sb] = [0, 0];
  for (let i = 0; i < pairs; i++) if (ta[i] <= ca && tb[i] <= cb) [sa, sb] = [sa + ta[i], sb + tb[i]];
  return +(sb / sa).toFixed(3);
}
