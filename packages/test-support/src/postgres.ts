// A throwaway PostgreSQL cluster for one test run: initdb into a temporary folder, pg_ctl start on a
// free 127.0.0.1 port, stop and delete on stop(). Root cannot run initdb, so as root the server runs as
// the `postgres` user (runuser), which Debian's package creates. Find the binaries with
// prerequisite('postgres') first (PG_BIN, Debian's /usr/lib/postgresql/<major>/bin, PATH).
// For fault tests the cluster can be restarted (`pg_ctl restart -m immediate`: every connection drops,
// as after a crash) or stopped and started again on the same port and data while the code under test
// runs; these are asynchronous so that code keeps running in the test's own process meanwhile.
// Written in plain, erasable TypeScript like prerequisites.ts.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Postgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, local only). */
  url: string;
  port: number;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): string;
  /** Restarts the server in immediate mode (no checkpoint, every connection dropped), on the same port and data. */
  restart(): Promise<void>;
  /** Stops the server in immediate mode, keeping its data: connections are refused until startServer(). */
  stopServer(): Promise<void>;
  /** Starts the stopped server again on the same port and data. */
  startServer(): Promise<void>;
  /** Stops the server (immediate mode) and deletes its folder. Safe to call twice. */
  stop(): void;
}

export interface StartPostgresOptions {
  /** The folder holding initdb, pg_ctl and psql (prerequisite('postgres').path). */
  binDir: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a fresh cluster. Durability is off (fsync=off): it is a test database, deleted at stop(). */
export async function startPostgres(options: StartPostgresOptions): Promise<Postgres> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  // runuser lives in /usr/sbin (util-linux), which a root shell's PATH may lack (sudo, cron, a CI runner).
  const runuser = asRoot ? (['/usr/sbin/runuser', '/sbin/runuser'].find((f) => existsSync(f)) ?? 'runuser') : '';
  const command = (tool: string, args: string[]): [string, string[]] => {
    const file = join(options.binDir, tool);
    return asRoot ? [runuser, ['-u', 'postgres', '--', file, ...args]] : [file, args];
  };
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = command(tool, args);
    return execFileSync(cmd, argv, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const runAsync = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [cmd, argv] = command(tool, args);
      execFile(cmd, argv, { cwd: dir, encoding: 'utf8' }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        reject(new Error(`pg_ctl ${args.at(-1)} failed: ${err.message}\n${stderr}${serverLog()}`));
      });
    });
  const serverLog = () => {
    try {
      return readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000);
    } catch {
      return ''; // no log yet
    }
  };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // not running (start failed, or already gone)
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    // A free port can be taken between the probe and the start: try a few.
    let port = 0;
    let startArgs: string[] = [];
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const settings = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=200`;
      startArgs = ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60'];
      try {
        run('pg_ctl', [...startArgs, 'start']);
        break;
      } catch (err) {
        if (attempt >= 2) throw new Error(`pg_ctl start failed: ${(err as Error).message}\n${serverLog()}`);
      }
    }
    const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
    return {
      url: urlFor('postgres'),
      port,
      createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new TypeError(`database name: expected a lower-case identifier, got ${JSON.stringify(name)}`);
        run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', `CREATE DATABASE ${name}`]);
        return urlFor(name);
      },
      restart: () => runAsync('pg_ctl', [...startArgs, '-m', 'immediate', 'restart']),
      stopServer: () => runAsync('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
      startServer: () => runAsync('pg_ctl', [...startArgs, 'start']),
      stop,
    };
  } catch (err) {
    stop();
    throw err;
  }
}
