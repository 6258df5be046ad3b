// The runtime test (.ci/steps/50-runtimes.sh): the built client (packages/client/dist) calling the sandbox
// from Bun, Deno and workerd, each from the npm registry (package.json beside this file), twice:
//   - over HTTP: the sandbox runs here, in Node, on 127.0.0.1; every runtime runs checks.mjs: a token
//     refresh, a rerun, the summary (of one module and of all), a record's shares, its revoke and its
//     repeat, its shares after, and a refused connection, which must come back as ConnectionError with
//     `refused: true` (the client retries a rerun POST only then; workerd cannot tell, see below). For each
//     refused check the error's cause chain is printed, since what a runtime's fetch throws there is what
//     the client has to recognise;
//   - in process: the built `@zcrm-sharing/sandbox/fetch` inside the runtime, `createSandbox().fetch` given
//     to the client, which calls Zoho's EU URLs unchanged: the same checks, another host refused without
//     the network, and the sandbox's state after. With the network denied: Deno `--deny-net`, workerd with
//     no outbound network at all. (Chromium: packages/sandbox/test/browser.test.ts, in ./dev test.)
//   - msw2: the sandbox's MSW handlers under MSW 2 on Node 20 (its peer range is ^2 || ^3; the workspace
//     tests MSW 3, which needs Node 22.12+), the client on the global fetch and Zoho's EU URLs (msw2-check.mjs).
// Run from the repository root with the workspace's Node (`./dev env`) after `./dev build`:
//   node .ci/runtimes/test.mjs [--only bun,deno,workerd] [--expected-failure RUNTIME:CHECK-ID ...]
// (check ids: refresh, rerun, summary, summary-all, shares, revoke, revoke-again, shares-after, refused; in
// process other-host and state instead of refused; see checks.mjs; RUNTIME is bun, deno, workerd or
// bun-in-process, deno-in-process, workerd-in-process)
// An expected failure that passes fails the run, so the mark is removed once the fix lands.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createReport, installTools } from '../lib/tools.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({
  options: { only: { type: 'string', default: 'bun,deno,workerd,msw2' }, 'expected-failure': { type: 'string', multiple: true, default: [] } },
});
const report = createReport('runtimes');
const { fail, run } = report;

const toolDir = installTools(report, root, 'runtimes', here);
if (!toolDir) process.exit(1);
const bin = {
  bun: join(toolDir, 'node_modules', 'bun', 'bin', 'bun.exe'),
  deno: join(toolDir, 'node_modules', '.bin', 'deno'),
  workerd: join(toolDir, 'node_modules', 'workerd', 'bin', 'workerd'),
};
// MSW 2 is for the Node lines MSW 3 does not run on: checked on Node 20.
const node20 = join(toolDir, 'node_modules', 'node20', 'bin', 'node');

const work = mkdtempSync(join(tmpdir(), 'zcrm-runtimes-'));
const clientEntry = join(root, 'packages', 'client', 'dist', 'index.js');
const sandboxFetchEntry = join(root, 'packages', 'sandbox', 'dist', 'fetch.js');
const { startSandbox, demoSeed, DEMO_CREDENTIALS } = await import(pathToFileURL(join(root, 'packages', 'sandbox', 'dist', 'index.js')).href);

const freePort = async () => {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
};

const seed = demoSeed({ records: 30 });
const sharedIds = seed.records.filter((r) => r.module === 'Contacts' && r.shares.length > 0).map((r) => r.id);
// Long enough that each runtime's summary sees its own rerun still computing.
const sandbox = await startSandbox({ seed, rerunDurationMs: 600_000 });
// A port nothing listens on: connections to it are refused.
const refusedUrl = `http://127.0.0.1:${await freePort()}/crm/v8`;
const { clientId, clientSecret, refreshToken } = DEMO_CREDENTIALS;
const paramsFor = (i) => ({
  clientUrl: pathToFileURL(clientEntry).href,
  apiBaseUrl: sandbox.apiBaseUrl,
  tokenUrl: sandbox.tokenUrl,
  refusedUrl,
  credentials: { clientId, clientSecret, refreshToken },
  accessToken: DEMO_CREDENTIALS.accessToken,
  // Each runtime its own module and record: the runs are independent.
  module: ['Leads', 'Accounts', 'Deals'][i],
  recordId: sharedIds[i],
});

/** Spawns a command and collects its output (async, so the sandbox in this process keeps answering). */
function spawnCollect(cmd, args, options) {
  const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Bun and Deno run run-checks.mjs directly; returns the parsed results or throws with the output. */
async function viaScript(name, args, env = {}, cwd = work) {
  const r = await spawnCollect(bin[name] ?? name, args, { cwd, env: { ...process.env, ...env }, timeout: 120_000 }).done;
  const last = r.stdout.trim().split('\n').at(-1);
  if (r.code !== 0 || !last?.startsWith('[')) throw new Error(`${name} exited ${r.code ?? r.signal}\n${r.stdout}${r.stderr}`);
  return JSON.parse(last);
}

const runtimes = {
  bun: {
    version: () => run('bun --version', bin.bun, ['--version'])?.stdout.trim(),
    checks: (params) => viaScript('bun', [join(here, 'run-checks.mjs'), JSON.stringify(params)]),
    inProcess: (params) => viaScript('bun', [join(here, 'run-checks.mjs'), JSON.stringify(inProcessParams(params))]),
  },
  deno: {
    version: () => run('deno --version', bin.deno, ['--version'])?.stdout.split('\n')[0],
    checks: (params) =>
      viaScript(
        'deno',
        ['run', '--no-config', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${root}`, join(here, 'run-checks.mjs'), JSON.stringify(params)],
        { DENO_DIR: join(work, 'deno-dir'), NO_COLOR: '1' },
      ),
    // No network at all: a fetch that opened a socket would fail with PermissionDenied.
    inProcess: (params) =>
      viaScript(
        'deno',
        ['run', '--no-config', '--no-lock', '--no-prompt', '--deny-net', `--allow-read=${root}`, join(here, 'run-checks.mjs'), JSON.stringify(inProcessParams(params))],
        { DENO_DIR: join(work, 'deno-dir'), NO_COLOR: '1' },
      ),
  },
  workerd: {
    version: () => run('workerd --version', bin.workerd, ['--version'])?.stdout.trim(),
    // workerd's fetch rejects with `Error: Network connection lost.` (retryable: true) whether the
    // connection was refused, reset or closed early (its log alone says which), so no client can tell.
    checks: (params) => viaWorkerd({ ...params, refusedIsKnowable: false }, 'loopback'),
    // The worker's only outbound network allows no address: the in-process sandbox must need none.
    inProcess: (params) => viaWorkerd({ ...inProcessParams(params), inProcess: true }, 'nowhere'),
  },
  msw2: {
    version: () => `msw ${JSON.parse(readFileSync(join(toolDir, 'node_modules', 'msw2', 'package.json'), 'utf8')).version} on Node ${run('node20 --version', node20, ['--version'])?.stdout.trim()}`,
    modes: [['MSW 2 handlers (setupServer), the client on the global fetch', (params) => viaMsw2(params), 'msw2']],
  },
};

/** A scratch project whose `msw` is MSW 2 from the tools and whose @zcrm-sharing packages are the built ones. */
function viaMsw2(params) {
  const dir = join(work, 'msw2');
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@zcrm-sharing'), { recursive: true });
  symlinkSync(join(toolDir, 'node_modules', 'msw2'), join(modules, 'msw'));
  for (const name of ['client', 'sandbox']) {
    for (const f of ['package.json', 'dist']) cpSync(join(root, 'packages', name, f), join(modules, '@zcrm-sharing', name, f), { recursive: true });
  }
  for (const f of ['checks.mjs', 'msw2-check.mjs']) cpSync(join(here, f), join(dir, f));
  const { apiBaseUrl: _a, tokenUrl: _t, refusedUrl: _r, ...rest } = params;
  return viaScript(node20, [join(dir, 'msw2-check.mjs'), JSON.stringify(rest)], {}, dir);
}

/** The in-process run's parameters: no sandbox server, the built in-process entry instead. */
function inProcessParams(params) {
  const { apiBaseUrl: _a, tokenUrl: _t, refusedUrl: _r, ...rest } = params;
  return { ...rest, sandboxUrl: pathToFileURL(sandboxFetchEntry).href };
}

let bundled;
/** workerd runs worker.mjs bundled with the built client and in-process sandbox (esbuild, browser-style conditions, as wrangler would). */
async function viaWorkerd(params, outbound) {
  bundled ??= createRequire(join(root, 'packages', 'client', 'package.json'))('esbuild').build({
    entryPoints: [join(here, 'worker.mjs')],
    outfile: join(work, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    alias: { '@zcrm-sharing/client': clientEntry, '@zcrm-sharing/sandbox/fetch': sandboxFetchEntry },
    logLevel: 'warning',
  });
  await bundled;
  const port = await freePort();
  // The compatibility date of the pinned workerd (its version is 1.YYYYMMDD.N).
  const date = /^1\.(\d{4})(\d{2})(\d{2})\./.exec(JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies.workerd).slice(1).join('-');
  const config = join(work, `config-${outbound}.capnp`);
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .checks),
    # The default outbound network allows only public addresses; the sandbox is on 127.0.0.1.
    (name = "loopback", network = (allow = ["public", "local"])),
    # No address at all.
    (name = "nowhere", network = (allow = [])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const checks :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${date}",
  globalOutbound = "${outbound}",
);
`,
  );
  const server = spawnCollect(bin.workerd, ['serve', config], { cwd: work });
  try {
    await listening(port, server);
    const res = await fetch(`http://127.0.0.1:${port}/?params=${encodeURIComponent(JSON.stringify(params))}`, { signal: AbortSignal.timeout(120_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`workerd answered ${res.status}: ${text}`);
    return JSON.parse(text);
  } finally {
    server.child.kill('SIGTERM');
    const r = await server.done;
    if (r.stderr.trim()) console.log(`  workerd's log:\n${r.stderr.trimEnd().replace(/^/gm, '    ')}`);
  }
}

/** Resolves once `port` accepts connections; rejects if the server exits first or after 60 s. */
async function listening(port, server) {
  let exited = false;
  server.done.then(() => (exited = true));
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (exited) throw new Error(`workerd exited before listening:\n${(await server.done).stderr}`);
    const ok = await new Promise((r) => {
      const s = connect(port, '127.0.0.1', () => (s.end(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`workerd did not listen on ${port} within 60 s`);
}

const expected = new Set(values['expected-failure']);
const names = values.only.split(',');
const summary = [];
try {
  for (const [i, name] of names.entries()) {
    const runtime = runtimes[name];
    if (!runtime) {
      fail(`unknown runtime ${name}`);
      continue;
    }
    const version = runtime.version();
    const modes = runtime.modes ?? [['over HTTP', runtime.checks, name], ['in process', runtime.inProcess, `${name}-in-process`]];
    for (const [mode, run, key] of modes) {
      console.log(`\nruntimes: ${name} (${version}), ${mode}`);
      let results;
      try {
        results = await run(paramsFor(i % 3));
      } catch (err) {
        fail(`${key}: the checks did not run`, err.stack ?? String(err));
        continue;
      }
      for (const r of results) {
        const mark = expected.has(`${key}:${r.id}`) ? `${key}:${r.id}` : undefined;
        const chain = Array.isArray(r.detail) ? `\n${r.detail.map((e, d) => `${'  '.repeat(d)}${d ? 'cause: ' : ''}${JSON.stringify(e)}`).join('\n').replace(/^/gm, '      ')}` : ` (${JSON.stringify(r.detail)})`;
        if (r.ok && mark) fail(`${key}: "${r.check}" passes but is marked as an expected failure (${mark}): remove the mark`, chain);
        else if (r.ok) console.log(`  ok    ${r.id}: ${r.check}${chain}`);
        else if (mark) console.log(`  XFAIL ${r.id}: ${r.check} (marked as an expected failure)${chain}`);
        else fail(`${key}: ${r.id}: ${r.check}`, chain);
      }
      summary.push(`${name} ${version} ${mode}: ${results.filter((r) => r.ok).length}/${results.length} checks passed`);
    }
  }
} finally {
  await sandbox.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(`\nruntimes: ${summary.join('; ')}`);
if (report.failures.length) {
  console.error(`runtimes: ${report.failures.length} failure(s):\n  ${report.failures.join('\n  ')}`);
  process.exit(1);
}
console.log('runtimes: all as expected');
