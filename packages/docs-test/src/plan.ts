// What runs each README block: this package's docs test (TypeScript, JavaScript, shell), the registry
// install step (`install`), nobody (`skip (reason)`, `output`), or, for the language guides, clients/guides.py
// (run by `./dev clients:test`, CI step 30), whose own annotations say what each of their blocks is.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, allBlocks, type Block } from './blocks.ts';

export type Runner =
  | { kind: 'typescript'; vitest: boolean }
  | { kind: 'javascript' }
  | { kind: 'shell' }
  | { kind: 'install' }
  /** `checks`: the shell block above it, whose output the docs test compares with it. */
  | { kind: 'output'; checks?: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'guide'; step: string }
  /** Nothing runs it and nothing says why: the docs test fails with this message. */
  | { kind: 'problem'; message: string };

export interface Planned extends Block {
  runner: Runner;
}

const TYPESCRIPT = new Set(['ts', 'typescript', 'tsx', 'mts']);
const JAVASCRIPT = new Set(['js', 'javascript', 'mjs']);
const SHELL = new Set(['sh', 'bash', 'shell', 'console']);

/** The guides `clients/guides.sh` runs when given no argument (its `langs=(...)` default), as README paths. */
export function guideReadmes(root = ROOT): string[] {
  const script = readFileSync(join(root, 'clients/guides.sh'), 'utf8');
  const langs = /\|\|\s*langs=\(([^)]*)\)/.exec(script)?.[1]?.trim().split(/\s+/);
  if (!langs?.length) throw new Error('clients/guides.sh: no default `langs=(...)` list found');
  return langs.map((l) => `clients/${l}/README.md`);
}

/**
 * The kind of each block of `readme` as clients/guides.py itself plans it (its `plan`, which refuses a
 * block without `file=`, `run`, `output` or `not-run:`), so this test checks coverage without a second
 * parser of the guides' annotations. Keyed by the fence's line.
 */
export function guideSteps(readme: string, root = ROOT): Map<number, string> | undefined {
  const program = [
    'import json, sys',
    'from pathlib import Path',
    `sys.path.insert(0, ${JSON.stringify(join(root, 'clients'))})`,
    'import guides',
    'readme = Path(sys.argv[1])',
    'steps = guides.plan(readme, guides.blocks_of(readme), Path(sys.argv[2]))',
    'print(json.dumps([[b.line, kind] for b, kind, _ in steps]))',
  ].join('\n');
  const python = process.env.PYTHON ?? 'python3';
  const run = spawnSync(python, ['-c', program, join(root, readme), join(root, 'clients/.build/plan-only')], { encoding: 'utf8' });
  // No Python here (the foreign-clients step needs it; ./dev test on a bare machine does not): the guides'
  // coverage is then not verified, and the test says so; under CI=true that fails.
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' && !process.env.PYTHON) return undefined;
  if (run.error) throw new Error(`${readme}: cannot run ${python} to read the guide's plan (${run.error.message}); set PYTHON to a Python 3.11+`);
  if (run.status !== 0) throw new Error(`${readme}: clients/guides.py refuses the guide:\n${run.stderr}`);
  return new Map((JSON.parse(run.stdout) as [number, string][]).map(([line, kind]) => [line, kind]));
}

export function plan(root = ROOT): Planned[] {
  const guides = new Set(guideReadmes(root));
  const guideKinds = new Map<string, Map<number, string> | undefined>();
  const planned = allBlocks(root).map((block): Planned => {
    const where = `${block.readme}:${block.line}`;
    if (guides.has(block.readme)) {
      if (!guideKinds.has(block.readme)) guideKinds.set(block.readme, guideSteps(block.readme, root));
      const kinds = guideKinds.get(block.readme);
      if (!kinds) return { ...block, runner: { kind: 'guide', step: 'not verified here (no python3 to read its plan)' } };
      const step = kinds.get(block.line);
      if (!step) return { ...block, runner: { kind: 'problem', message: `${where}: clients/guides.py does not plan this block` } };
      return { ...block, runner: { kind: 'guide', step } };
    }
    if (block.marker) return { ...block, runner: block.marker };
    if (TYPESCRIPT.has(block.lang)) return { ...block, runner: { kind: 'typescript', vitest: /from ['"]vitest['"]/.test(block.text) } };
    if (JAVASCRIPT.has(block.lang)) return { ...block, runner: { kind: 'javascript' } };
    if (SHELL.has(block.lang)) return { ...block, runner: { kind: 'shell' } };
    const message =
      `${where}: a \`\`\`${block.lang || '(no language)'} block that nothing runs: make it TypeScript, JavaScript or shell, or put ` +
        '<!-- doc-test: skip (reason) -->, <!-- doc-test: output --> or <!-- doc-test: install --> on the line before its fence';
    return { ...block, runner: { kind: 'problem', message } };
  });
  // An output block right after a shell block this test runs shows that block's output: it is compared.
  planned.forEach((b, i) => {
    const above = planned[i - 1];
    if (b.runner.kind === 'output' && above?.readme === b.readme && above.runner.kind === 'shell') b.runner = { kind: 'output', checks: `${above.readme}:${above.line}` };
  });
  return planned;
}

export function describe(runner: Runner): string {
  switch (runner.kind) {
    case 'typescript':
      return runner.vitest
        ? 'docs test: tsc --strict (node16, nodenext, bundler), then vitest against the sandbox'
        : 'docs test: tsc --strict (node16, nodenext, bundler), then node against the sandbox';
    case 'javascript':
      return 'docs test: node against the sandbox';
    case 'shell':
      return 'docs test: bash in a scratch folder (the checkout\'s apps/, packages/, openapi/ linked) against the servers it addresses';
    case 'install':
      return 'registry install step (.ci/steps/*-registry*.sh), as printed';
    case 'output':
      return runner.checks ? `docs test: the output of ${runner.checks}, compared` : 'not run: shows output';
    case 'skip':
      return `not run: ${runner.reason}`;
    case 'guide':
      return `clients/guides.py (./dev clients:test, CI step 30): ${runner.step}`;
    case 'problem':
      return `FAILS: ${runner.message}`;
  }
}
