// What the client README's "CommonJS projects" section promises a TypeScript CommonJS consumer, compiled
// here as one (a project without "type": "module") under each setting: `module: nodenext` and
// `module: commonjs` compile and the output require()s the client and revokes against the sandbox;
// `module: node16` fails with TS1479; `moduleResolution: node10` is refused by TypeScript 6 (TS5107).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { DEMO_CREDENTIALS, demoSeed, startSandbox, type Sandbox } from '@zcrm-sharing/sandbox';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { environment, run } from '../src/execute.ts';
import { scratchProject, type Scratch } from '../src/scratch.ts';

const CONSUMER = readFileSync(new URL('./fixtures/commonjs-consumer.ts', import.meta.url), 'utf8');
let project: Scratch;
let sandbox: Sandbox;
beforeAll(async () => {
  project = scratchProject({ type: 'commonjs' });
  project.write('consumer.ts', CONSUMER);
  sandbox = await startSandbox({ seed: demoSeed({ records: 10 }) });
});
afterAll(async () => {
  await sandbox?.close();
  project?.remove();
});

function compile(settings: ts.CompilerOptions, outDir: string): { codes: number[]; text: string } {
  const program = ts.createProgram([join(project.dir, 'consumer.ts')], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    outDir: join(project.dir, outDir),
    ...settings,
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return { codes: diagnostics.map((d) => d.code), text: ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => project.dir, getNewLine: () => '\n' }) };
}

test.each([
  ['module nodenext', { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }, 'out-nodenext'],
  ['module commonjs', { module: ts.ModuleKind.CommonJS }, 'out-commonjs'],
])('%s: compiles, and the require() it emits revokes against the sandbox', async (_, settings, outDir) => {
  const { text } = compile(settings, outDir);
  expect(text).toBe('');
  const emitted = readFileSync(join(project.dir, outDir, 'consumer.js'), 'utf8');
  expect(emitted).toContain('require("@zcrm-sharing/client")');
  sandbox.reset(); // the record is shared again for each run
  const result = await run(process.execPath, [join(outDir, 'consumer.js')], project.dir, environment({ ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken, ZOHO_BASE_URL: sandbox.apiBaseUrl }));
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.trim()).toBe('SUCCESS 4150868000001148212');
});

test('module node16: TS1479 (a CommonJS file cannot require the ES module)', () => {
  expect(compile({ module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }, 'out-node16').codes).toContain(1479);
});

test('moduleResolution node10 (the old "node"): TypeScript 6 refuses it as deprecated (TS5107)', () => {
  expect(compile({ module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }, 'out-node10').codes).toContain(5107);
});
