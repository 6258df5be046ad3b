// One cell of the matrix: one package manager on one Node line. Each README install block that has a
// line for this manager runs in an empty folder of its own, its lines as printed (the manager's lines,
// then the lines that name no manager); then what those lines installed is checked:
//   - each package installed into the folder has the published version, its lockfile records the
//     integrity of the tarball Verdaccio holds (so it came from there), and it loads (import, or its
//     files resolve for the spec package);
//   - a global install puts `zcrm-sharing` on PATH, answering the published version.
// Then the quick starts (quickstart.mjs: run({ dirs, env }) resolves { failure } or { note }).
// Resolves { ok, ms, blocks: [{ where, ok, ms, failure? }] }.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGlobal, packagesOf } from './install-blocks.mjs';
import { run, runLine, runLineMaybeServer } from './processes.mjs';

const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];

/** Checks an install folder; returns a failure message or null. */
async function checkInstalled({ dir, names, published, env }) {
  const lock = LOCKFILES.map((f) => join(dir, f)).find(existsSync);
  if (!lock) return `no lockfile (${LOCKFILES.join(', ')}) was written in ${dir}`;
  const lockText = readFileSync(lock, 'utf8');
  for (const name of names) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (!existsSync(manifest)) return `${name} is not in node_modules`;
    const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
    if (version !== published[name].version) return `${name} is ${version}, published ${published[name].version}`;
    if (!lockText.includes(published[name].integrity)) return `${lock.slice(dir.length + 1)} does not record the integrity of the tarball published to the local registry for ${name}`;
  }
  // Loaded by the cell's Node from the folder, as the user's code would.
  const load = `for (const n of ${JSON.stringify(names)}) { const m = await import(n + '/package.json', { with: { type: 'json' } }); ` +
    `if (m.default.exports?.['.']) await import(n); else for (const k of Object.keys(m.default.exports ?? {})) import.meta.resolve(n + k.slice(1)); }`;
  const loaded = await run('node', ['--input-type=module', '-e', load], { cwd: dir, env, timeoutMs: 30_000 });
  return loaded.ok ? null : `loading ${names.join(', ')} failed:\n${loaded.out}`;
}

export async function runCell({ manager, blocks, base, env, published, cliVersion, lock, quickstarts }) {
  const t0 = Date.now();
  const results = [];
  const failed = (where, failure, ms) => results.push({ where, ok: false, ms, failure });
  const dirs = {};
  for (const block of blocks) {
    const mine = block.commands.filter((c) => c.manager === manager);
    if (mine.length === 0) continue;
    const where = `${block.readme}:${block.line}`;
    const commands = block.commands.filter((c) => c.manager === manager || c.manager === null);
    const dir = join(base, `${block.readme.replace(/\/?README\.md$/, '').replace(/\//g, '-') || 'root'}-${block.line}`);
    mkdirSync(dir, { recursive: true });
    const b0 = Date.now();
    let failure = null;
    for (const { text } of commands) {
      // A line may start a server on a fixed port (`npx zcrm-sandbox --port 4011`): one cell at a time.
      const r = /--port\s+\d+/.test(text)
        ? await lock(() => runLineMaybeServer(text, { cwd: dir, env, probe: async (url) => (await fetch(`${url}/__sandbox/stats`)).status === 200 }))
        : await runLine(text, { cwd: dir, env });
      appendFileSync(join(base, 'lines.log'), `--- ${where} (${manager}) in ${dir}\n$ ${text}\nexit ${r.code} in ${r.ms} ms\n${r.out}\n`);
      if (!r.ok) {
        failure = `\`${text}\` exit ${r.code}\n${r.out}`;
        break;
      }
      // A manager that installs despite `engines` only warns: a Node line the package does not declare fails here.
      const engine = r.out.split('\n').filter((l) => /EBADENGINE|Unsupported engine|engine "node" is incompatible/i.test(l));
      if (engine.length) {
        failure = `\`${text}\` warned about the Node line:\n${engine.join('\n')}`;
        break;
      }
    }
    const locals = [...new Set(mine.filter((c) => !isGlobal(c.text)).flatMap((c) => packagesOf(c.text)))];
    if (!failure && !mine.some((c) => packagesOf(c.text).length)) failure = `no ${manager} line of the block installs a @zcrm-sharing package`;
    if (!failure && locals.length) failure = await checkInstalled({ dir, names: locals, published, env });
    if (!failure && mine.some((c) => isGlobal(c.text))) {
      const v = await run('zcrm-sharing', ['--version'], { cwd: dir, env, timeoutMs: 30_000 });
      // Where the command resolves to, symlinks followed: inside this cell's home, or the install leaked.
      const at = await run('bash', ['-c', 'readlink -f "$(command -v zcrm-sharing)"'], { cwd: dir, env, timeoutMs: 10_000 });
      if (!v.ok || v.out.trim() !== cliVersion) failure = `after the global install, \`zcrm-sharing --version\` answered ${JSON.stringify(v.out.trim())} (exit ${v.code}), expected ${cliVersion}`;
      else if (!at.out.trim().startsWith(`${env.HOME}/`)) failure = `the global install is outside the cell's home: zcrm-sharing is ${at.out.trim()}`;
    }
    if (failure) failed(where, failure, Date.now() - b0);
    else results.push({ where, ok: true, ms: Date.now() - b0 });
    dirs[block.readme] ??= dir; // the quick starts use a README's first install block
  }
  for (const quickstart of quickstarts) {
    const q0 = Date.now();
    const { failure, note } = await quickstart.run({ dirs, env, base }).catch((e) => ({ failure: e.stack }));
    if (failure) failed(quickstart.name, failure, Date.now() - q0);
    else results.push({ where: note ? `${quickstart.name} (${note})` : quickstart.name, ok: true, ms: Date.now() - q0 });
  }
  return { ok: results.every((r) => r.ok), ms: Date.now() - t0, blocks: results };
}
