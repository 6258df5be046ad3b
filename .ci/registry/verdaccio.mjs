// A throwaway Verdaccio for the registry install test: on 127.0.0.1 at a free port, its storage, config
// and users in a scratch folder. `@zcrm-sharing/*` is served only from what is published to it (no
// uplink: a name that was not published is a 404, never the real registry's package); every other name
// is proxied to the npm registry, so third-party dependencies resolve as they would for a user.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const UPLINK = 'https://registry.npmjs.org/';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const config = ({ dir, port }) => `# written by .ci/registry/verdaccio.mjs for one run
storage: ${join(dir, 'storage')}
listen: 127.0.0.1:${port}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
    max_users: 1
uplinks:
  npmjs:
    url: ${UPLINK}
    timeout: 60s
packages:
  '@zcrm-sharing/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
server:
  keepAliveTimeout: 120
web:
  enable: false
log: { type: file, path: ${join(dir, 'verdaccio.log')}, format: json, level: warn }
`;

/**
 * Starts Verdaccio with `node` (the caller's: ./dev's Node 24) from `toolDir`, and registers the one
 * user that may publish. Returns { url, token, log, stop() }; throws with Verdaccio's output when it
 * does not answer within 30 s.
 */
export async function startVerdaccio({ toolDir, dir }) {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, config({ dir, port }));
  const out = join(dir, 'verdaccio.out');
  const fd = openSync(out, 'w');
  const bin = join(toolDir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', configFile], { stdio: ['ignore', fd, fd], env: { ...process.env, NODE_ENV: 'production' } });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await fetch(`${url}-/ping`).then((r) => r.ok, () => false);
    if (answer) break;
    const early = await Promise.race([exited, new Promise((r) => setTimeout(r, 200, undefined))]);
    if (early !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`Verdaccio did not answer on ${url} (${early !== undefined ? `exited ${early}` : 'timed out'}):\n${readFileSync(out, 'utf8')}`);
    }
  }
  // The CouchDB-style user creation every npm client's `adduser` uses; the answer carries the token.
  const user = 'zcrm-ci';
  const created = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: user, password: `ci-${port}-${process.pid}` }),
  });
  const body = await created.json().catch(() => ({}));
  if (created.status !== 201 || typeof body.token !== 'string') {
    await stop();
    throw new Error(`Verdaccio refused to create the publishing user: ${created.status} ${JSON.stringify(body)}`);
  }
  return { url, token: body.token, log: join(dir, 'verdaccio.log'), stop };
}
