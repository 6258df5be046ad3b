// Type-checks snippets as a user's project would: `tsc --strict` under each module setting a consumer
// uses, resolving our packages through their package.json `exports` (their built `dist/`), never the
// sources. One program per setting holds every snippet (each is its own module), so the libraries'
// declarations are read three times, not three times per block.
import ts from 'typescript';

export const MODULE_SETTINGS = {
  node16: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
  nodenext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
} as const;

export type ModuleSetting = keyof typeof MODULE_SETTINGS;

const format: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };

/** A snippet that imports MSW: compiled with the DOM's types, which MSW's declarations need. */
export const needsDom = (source: string): boolean => /from\s+['"](msw(\/[\w-]+)?|@zcrm-sharing\/sandbox\/msw)['"]/.test(source);

/** Each file's diagnostics (empty when it compiles), formatted as tsc prints them; library errors under the key ''. */
export function typeErrors(files: string[], setting: ModuleSetting, { dom = false } = {}): Map<string, string> {
  const options: ts.CompilerOptions = {
    ...MODULE_SETTINGS[setting],
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    // `dom` for snippets that import MSW, whose declarations name DOM types (as the sandbox README says).
    lib: dom ? ['lib.es2022.d.ts', 'lib.dom.d.ts'] : ['lib.es2022.d.ts'],
    types: ['node'],
    skipLibCheck: false,
  };
  const program = ts.createProgram(files, options);
  const byFile = new Map<string, ts.Diagnostic[]>(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const key = d.file && byFile.has(d.file.fileName) ? d.file.fileName : '';
    byFile.set(key, [...(byFile.get(key) ?? []), d]);
  }
  return new Map([...byFile].map(([f, ds]) => [f, ts.formatDiagnostics(ds, format)]));
}
