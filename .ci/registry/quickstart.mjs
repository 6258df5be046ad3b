// The client README's quick start, run as printed in a cell, with the client that cell installed,
// against a sandbox started from the @zcrm-sharing/sandbox that cell installed: Zoho's hosts routed
// to it by scripts/zoho-hosts-to-sandbox.mjs (preloaded), the sandbox's demo credentials (read from
// the installed package) in ZOHO_CLIENT_ID / ZOHO_CLIENT_SECRET / ZOHO_REFRESH_TOKEN. On a Node line
// that runs TypeScript (type stripping) the block runs as quickstart.mts; on Node 20, which has none,
// its types are erased by the workspace's TypeScript first (transpileModule: nothing else changes).
// Proof that it ran against the sandbox, not only that it exited 0: the sandbox counts the quick
// start's revoke of its record.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { run, startServer } from './processes.mjs';

const README = 'packages/client/README.md';

/** The first ```ts block under the `## Quick start` heading. */
export function quickStartBlock(root) {
  const text = readFileSync(join(root, README), 'utf8');
  const m = /^## Quick start\n[\s\S]*?^```ts\n([\s\S]*?)^```$/m.exec(text);
  if (!m) throw new Error(`${README}: no \`\`\`ts block under "## Quick start"`);
  return m[1];
}

export function clientQuickStart(root) {
  const source = quickStartBlock(root);
  const erased = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const preload = join(root, 'scripts', 'zoho-hosts-to-sandbox.mjs');
  const recordId = /recordId: '(\d+)' }\); \/\/ \{ code: 'SUCCESS'/.exec(source)?.[1];
  if (!recordId) throw new Error(`${README}: the quick start's revokeSharedRecord line was not found`);
  return {
    name: `${README} quick start`,
    async run({ dirs, env }) {
      const clientDir = dirs['packages/client/README.md'];
      const sandboxDir = dirs['packages/sandbox/README.md'];
      if (!clientDir || !sandboxDir) return { failure: 'the client and sandbox READMEs were not both installed in this cell' };
      const creds = await run('node', ['--input-type=module', '-e', "const { DEMO_CREDENTIALS: c } = await import('@zcrm-sharing/sandbox'); console.log(JSON.stringify(c))"], { cwd: sandboxDir, env, timeoutMs: 30_000 });
      if (!creds.ok) return { failure: `reading DEMO_CREDENTIALS from the installed sandbox failed:\n${creds.out}` };
      const demo = JSON.parse(creds.out.trim().split('\n').at(-1));
      const sandbox = await startServer(join(sandboxDir, 'node_modules', '.bin', 'zcrm-sandbox'), ['--port', '0'], { cwd: sandboxDir, env });
      try {
        const hasTypeScript = await run('node', ['-p', 'process.features.typescript ? 1 : 0'], { cwd: clientDir, env, timeoutMs: 10_000 });
        const file = hasTypeScript.out.trim() === '1' ? 'quickstart.mts' : 'quickstart.mjs';
        writeFileSync(join(clientDir, file), file.endsWith('.mts') ? source : erased);
        const quickEnv = {
          ...env,
          ZCRM_SANDBOX_URL: sandbox.url,
          ZOHO_CLIENT_ID: demo.clientId,
          ZOHO_CLIENT_SECRET: demo.clientSecret,
          ZOHO_REFRESH_TOKEN: demo.refreshToken,
        };
        const r = await run('node', ['--import', preload, file], { cwd: clientDir, env: quickEnv, timeoutMs: 60_000 });
        if (!r.ok) return { failure: `node --import zoho-hosts-to-sandbox.mjs ${file}: exit ${r.code}\n${r.out}` };
        // A warning the reader would see is a defect too; Node 22's notice that type stripping is experimental is Node's own.
        const warnings = r.out.split('\n').filter((l) => /Warning/.test(l) && !/ExperimentalWarning: Type Stripping/i.test(l));
        if (warnings.length) return { failure: `the quick start made Node warn:\n${r.out}` };
        const record = await fetch(`${sandbox.url}/__sandbox/records/Contacts/${recordId}`).then((x) => x.json());
        if (record.revokeCalls !== 1) return { failure: `the quick start exited 0 but the sandbox counted ${record.revokeCalls} revoke calls of Contacts ${recordId} (expected 1)` };
        return { note: file.endsWith('.mts') ? 'as .mts' : 'types erased' };
      } finally {
        await sandbox.stop();
      }
    },
  };
}
