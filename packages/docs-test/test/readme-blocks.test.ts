// Every fenced block of every README is run here, run by another CI step (install lines, the language
// guides), or marked with the reason it is not run. TypeScript compiles with tsc --strict under node16,
// nodenext and bundler resolution against the built packages, then runs against a fresh sandbox.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoSeed, startSandbox, type Sandbox } from '@zcrm-sharing/sandbox';
import { MODULE_SETTINGS, needsDom, typeErrors, type ModuleSetting } from '../src/compile.ts';
import { DEMO_ENV, environment, run, runSnippet } from '../src/execute.ts';
import { routedCurl, serversFor } from '../src/servers.ts';
import { ROOT } from '../src/blocks.ts';
import { plan, type Planned } from '../src/plan.ts';
import { scratchProject, type Scratch } from '../src/scratch.ts';

const planned = plan();
const name = (b: Planned) => `${b.readme}:${b.line}`;
const ofKind = <K extends Planned['runner']['kind']>(kind: K) => planned.filter((b) => b.runner.kind === kind);
const failure = (what: string, r: { code: number | null; stdout: string; stderr: string }) =>
  `${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

test('every README block is run, run by another step, or marked with the reason it is not', () => {
  expect(planned.length).toBeGreaterThan(0);
  expect(ofKind('problem').map((b) => (b.runner as { message: string }).message)).toEqual([]);
});

test('the language guides\' blocks are each planned by clients/guides.py (python3 found; required under CI=true)', (context) => {
  const unverified = ofKind('guide').filter((b) => b.runner.kind === 'guide' && b.runner.step.startsWith('not verified'));
  if (unverified.length && process.env.CI !== 'true') context.skip('no python3: the guides\' coverage is checked by CI');
  expect(unverified.map(name)).toEqual([]);
});

const typescript = ofKind('typescript');
const projects = new Map<Planned, { project: Scratch; file: string }>();
const compiled = new Map<string, Map<string, string>>();
/**
 * Every TypeScript block compiled together, once per module setting (lazily: the first test asking);
 * blocks that import MSW in a second program with the DOM's types (MSW's declarations need them).
 */
function errorsOf(block: Planned, setting: ModuleSetting): string {
  const dom = needsDom(block.text);
  const key = `${setting}${dom ? '+dom' : ''}`;
  let result = compiled.get(key);
  if (!result) {
    const files = [...projects].filter(([b]) => needsDom(b.text) === dom).map(([, p]) => p.file);
    compiled.set(key, (result = typeErrors(files, setting, { dom })));
  }
  return `${result.get('') ?? ''}${result.get(projects.get(block)!.file) ?? ''}`;
}
beforeAll(() => {
  for (const block of typescript) {
    const project = scratchProject();
    const vitest = block.runner.kind === 'typescript' && block.runner.vitest;
    projects.set(block, { project, file: project.write(vitest ? 'snippet.test.ts' : 'snippet.ts', block.text) });
  }
});
afterAll(() => {
  for (const { project } of projects.values()) project.remove();
});

describe.each(typescript.map((b) => [name(b), b] as const))('%s (TypeScript)', (_, block) => {
  let sandbox: Sandbox;
  const vitest = block.runner.kind === 'typescript' && block.runner.vitest;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: demoSeed() });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  test.each(Object.keys(MODULE_SETTINGS) as ModuleSetting[])('compiles with tsc --strict, module %s', (setting) => {
    expect(errorsOf(block, setting)).toBe('');
  });

  test('runs against the sandbox', async () => {
    const { project, file } = projects.get(block)!;
    const result = await runSnippet(file, project.dir, sandbox.url, { vitest });
    expect(result.code, failure(name(block), result)).toBe(0);
    // A snippet written for Zoho (one that does not start its own sandbox) must have reached this one.
    if (/@zcrm-sharing\/client['"]/.test(block.text) && !/\b(startSandbox|createSandbox)\(/.test(block.text)) {
      expect(sandbox.stats().requests, 'the snippet reached the sandbox').toBeGreaterThan(0);
    }
  });

  if (block.text.includes('credentialsFromEnv(')) {
    test('without ZOHO_* set, fails with an error naming the variables', async () => {
      const { project, file } = projects.get(block)!;
      const result = await runSnippet(file, project.dir, sandbox.url, { env: {} });
      expect(result.code).not.toBe(0);
      for (const variable of ['ZOHO_ACCESS_TOKEN', 'ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN']) {
        expect(result.stderr, failure(name(block), result)).toContain(variable);
      }
    });
  }
});

describe.each(ofKind('javascript').map((b) => [name(b), b] as const))('%s (JavaScript)', (_, block) => {
  test('runs against the sandbox', async () => {
    const project = scratchProject();
    const sandbox = await startSandbox({ seed: demoSeed() });
    try {
      const result = await runSnippet(project.write('snippet.mjs', block.text), project.dir, sandbox.url);
      expect(result.code, failure(name(block), result)).toBe(0);
    } finally {
      await sandbox.close();
      project.remove();
    }
  });
});

describe.each(ofKind('shell').map((b) => [name(b), b] as const))('%s (shell)', (_, block) => {
  test('runs in a scratch folder against the servers it addresses', async () => {
    const project = scratchProject();
    // Shaped like the checkout (its apps/, packages/ and openapi/ linked), so a block's repository paths
    // (`node apps/cli/bin/zcrm-sharing.js`) resolve while the files it writes stay in the scratch folder.
    for (const dir of ['apps', 'packages', 'openapi']) symlinkSync(join(ROOT, dir), join(project.dir, dir), 'dir');
    const servers = await serversFor(block.text, project.dir);
    try {
      routedCurl(join(project.dir, '.bin'), servers.routes);
      const env = environment({ ...DEMO_ENV, ...servers.env, PATH: `${join(project.dir, '.bin')}:${process.env.PATH}` });
      const sandbox = servers.routes.get('http://127.0.0.1:4011');
      if (sandbox) env.ZCRM_SANDBOX_URL = sandbox;
      const result = await run('bash', ['-euo', 'pipefail', '-c', block.text], project.dir, env);
      expect(result.code, failure(name(block), result)).toBe(0);
      // An output block right after the command shows what it prints: it must be exactly that.
      const next = planned[planned.indexOf(block) + 1];
      if (next?.runner.kind === 'output' && next.runner.checks === name(block)) expect(result.stdout.trimEnd(), `${name(next)} shows this block's output`).toBe(next.text.trimEnd());
    } finally {
      await servers.close();
      project.remove();
    }
  });
});
