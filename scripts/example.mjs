// `./dev example`: builds the example server and what it uses (turbo), then runs it in the foreground
// (`--skip-build` starts it as built). Run by ./dev directly, not through pnpm: pnpm dies of the same
// Ctrl-C the server handles, so a clean stop ended in ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL and exit 130.
// This process only waits. The terminal's Ctrl-C reaches the server itself (same process group), so
// SIGINT is not passed on (the server would take a second one as "exit now"); SIGTERM and SIGHUP sent
// here are. The exit code is the server's: 0 after a clean stop.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
if (!args.includes('--skip-build')) {
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  const build = spawnSync(turbo, ['run', 'build', '--filter=@zcrm-sharing/example-server...', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, ['dist/main.js'], { cwd: join(root, 'apps', 'example-server'), stdio: 'inherit' });
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
