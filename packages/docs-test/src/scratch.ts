// A scratch project for one block: an empty folder outside the repository whose node_modules is this
// package's (the workspace's built packages, resolved through their `exports`), as a user's project has.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url));

export interface Scratch {
  dir: string;
  write(name: string, text: string): string;
  remove(): void;
}

/** `type`: the project's package.json `type` (a snippet's default is an ES module project). */
export function scratchProject(options: { type?: 'module' | 'commonjs' } = {}): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-docs-'));
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'docs-snippet', private: true, type: options.type ?? 'module' })}\n`);
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
