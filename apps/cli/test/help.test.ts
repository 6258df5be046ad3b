// --help per command and --version, through the built bin: what a command's help lists is exactly what
// that command accepts, and the help of each command is its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_CENTER_CODES } from '@zcrm-sharing/client';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { demoSteps } from '../src/demo-steps.ts';
import { GRACE_MS } from '../src/interrupt.ts';

const BIN = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
const COMMANDS = ['rules rerun', 'rules status', 'share revoke', 'share show', 'config set'];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'zcrm-cli-help-'));
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH!, HOME: home, XDG_CONFIG_HOME: home, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr })));
}

/** The options a help page lists, with whether each takes a value: `--name VALUE` or `--name`. */
function listedOptions(help: string): Map<string, boolean> {
  const options = new Map<string, boolean>();
  for (const m of help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)( [A-Z]+)?(?= {2}| *$)/gm)) options.set(m[1]!, Boolean(m[2]));
  return options;
}

const helpOf = async (command: string) => {
  const r = await run([...command.split(' '), '--help']);
  expect(r.code, `${command} --help`).toBe(EXIT.OK);
  return r.stdout;
};

describe('the fast path', () => {
  it('--help and --version load no HTTP stack (node:http, tls, undici, readline): the commands chunk stays unloaded', async () => {
    // Node's own list of the builtins it loaded, printed as the process exits.
    const probe = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nLOADED '+JSON.stringify(process.moduleLoadList)))`;
    for (const args of [['--help'], ['--version'], ['share', 'revoke', '--help']]) {
      const child = spawn(process.execPath, ['--import', probe, BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise((r) => child.on('close', r));
      const loaded: string[] = JSON.parse(stderr.slice(stderr.lastIndexOf('LOADED ') + 7));
      expect(loaded, 'the probe sees builtins').toContain('NativeModule fs');
      expect(loaded.filter((m) => /^NativeModule (https?|tls|_http_\w+|internal\/deps\/undici\/.*|readline.*)$/.test(m)), args.join(' ')).toEqual([]);
    }
  });
});

describe('--version', () => {
  it("prints the package's version, exit 0", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const args of [['--version'], ['-v'], ['share', 'revoke', '--version']]) {
      const r = await run(args);
      expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
  });
});

describe('<command> --help', () => {
  it('is that command\'s own page: its usage and options, not the global help', async () => {
    const global = (await run(['--help'])).stdout;
    for (const command of COMMANDS) {
      const help = await helpOf(command);
      expect(help).not.toBe(global);
      expect(help.split('\n')[0]).toMatch(new RegExp(`^zcrm-sharing ${command}: `));
      expect(help).toContain(`Usage:\n  zcrm-sharing ${command} `);
    }
    expect(global).toContain('zcrm-sharing <command> --help');
  });

  it('lists the --sandbox-* options on every command that talks to Zoho, and --poll-interval-ms on rules rerun', async () => {
    for (const command of ['rules rerun', 'rules status', 'share revoke']) {
      const options = listedOptions(await helpOf(command));
      for (const o of ['--sandbox', '--sandbox-latency-ms', '--sandbox-concurrency-limit', '--dc', '--base-url', '--json']) {
        expect(options.has(o), `${command} --help lists ${o}`).toBe(true);
      }
    }
    expect(listedOptions(await helpOf('rules rerun')).has('--poll-interval-ms')).toBe(true);
  });

  it('share revoke --help says what Ctrl-C does: calls in flight get the grace period, then are cancelled', async () => {
    const help = await helpOf('share revoke');
    expect(help.replace(/\s+/g, ' ')).toContain(`Ctrl-C: no new calls; calls in flight get ${GRACE_MS / 1000} s to finish and be journalled, then are cancelled; exit ${EXIT.INTERRUPTED}`);
    expect(help).not.toMatch(/finishes the\s+calls in flight/);
  });

  it('names every data centre the client knows under --dc', async () => {
    const help = await helpOf('rules rerun');
    const dc = help.slice(help.indexOf('--dc')).split('\n--')[0]!;
    for (const code of DATA_CENTER_CODES) expect(dc).toMatch(new RegExp(`\\b${code}\\b`));
  });

  it('a command accepts exactly the options its help lists; another command\'s option is refused, naming the command', { timeout: 120_000 }, async () => {
    const pages = new Map<string, Map<string, boolean>>();
    for (const command of COMMANDS) pages.set(command, listedOptions(await helpOf(command)));
    const every = new Map([...pages.values()].flatMap((p) => [...p]));
    every.delete('--help');
    expect(every.size).toBeGreaterThan(15);
    const cases = COMMANDS.flatMap((command) => [...every].map(([option, takesValue]) => ({ command, option, takesValue })));
    const results: { command: string; option: string; refused: boolean; code: number | null }[] = [];
    // A few processes at a time: the machine is shared.
    const queue = [...cases];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          // Without its required inputs the command stops at a usage error of its own, so nothing runs;
          // an option it does not take is refused before that.
          const r = await run([...c.command.split(' '), c.option, ...(c.takesValue ? ['1'] : [])]);
          results.push({ command: c.command, option: c.option, refused: r.stderr.includes(`${c.option} is not an option of ${c.command}`), code: r.code });
        }
      }),
    );
    expect(results).toHaveLength(cases.length);
    for (const r of results) {
      expect(r.refused, `${r.command} ${r.option}: refused`).toBe(!pages.get(r.command)!.has(r.option));
      expect(r.code, `${r.command} ${r.option}: exit code`).toBe(EXIT.USAGE);
    }
  });

  it('./dev demo uses only flags that its commands\' --help lists', async () => {
    const steps = demoSteps('ids.txt', 3);
    expect(steps.length).toBeGreaterThan(1);
    for (const [, args] of steps) {
      const command = args.slice(0, 2).join(' ');
      const listed = listedOptions(await helpOf(command));
      const flags = args.filter((a) => a.startsWith('--'));
      expect(flags.length).toBeGreaterThan(2);
      for (const flag of flags) expect(listed.has(flag), `${command} --help lists ${flag}`).toBe(true);
    }
  });

  it('a group without its command lists the group\'s commands, a usage error', async () => {
    const r = await run(['rules']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/zcrm-sharing rules rerun .*\n.*zcrm-sharing rules status /);
  });
});
