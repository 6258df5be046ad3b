// The READMEs' install blocks, read as printed: a fenced block whose previous line is
// `<!-- doc-test: install -->` (the README code block convention, GUIDE.md). Each line is kept
// verbatim (comments included: the shell runs it as a reader would paste it) and tagged with the
// package manager its first word names (npm, pnpm, yarn). A line naming none runs in every cell that
// runs the block, after that manager's lines: `zcrm-sharing ...` after the global install, and `npx`,
// which every Node install has whatever manager a project uses.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MARKER = '<!-- doc-test: install -->';
const MANAGER_OF = { npm: 'npm', pnpm: 'pnpm', pnpx: 'pnpm', yarn: 'yarn' };

/** The manager a line runs with ('npm' | 'pnpm' | 'yarn'), or null for a line that names none. */
export const managerOf = (line) => MANAGER_OF[line.trim().split(/\s+/)[0]] ?? null;

/** Whether a line installs globally (`npm install --global`, `pnpm add -g`, `yarn global add`). */
export const isGlobal = (line) => /(^|\s)(-g|--global)(\s|$)/.test(line.replace(/#.*$/, '')) || /^yarn\s+global\s+add\b/.test(line.trim());

/** The `@zcrm-sharing/*` packages a line names (before its comment). */
export const packagesOf = (line) => [...line.replace(/#.*$/, '').matchAll(/@zcrm-sharing\/[a-z-]+/g)].map((m) => m[0]);

/**
 * Every install block of one README: [{ readme, line (1-based, of the fence), commands: [{ text, manager }] }].
 * Throws when a marker is not followed by a fence, so a misplaced marker cannot hide a block.
 */
export function installBlocks(root, readme) {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== MARKER) continue;
    const fence = lines[i + 1] ?? '';
    if (!/^```(sh|bash|shell)?\s*$/.test(fence)) throw new Error(`${readme}:${i + 1}: ${MARKER} must be followed by a \`\`\`sh fence, found ${JSON.stringify(fence)}`);
    const commands = [];
    let j = i + 2;
    for (; j < lines.length && !/^```\s*$/.test(lines[j]); j++) {
      let text = lines[j];
      while (/\\$/.test(text) && j + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++j].trim()}`;
      if (text.trim() === '' || text.trim().startsWith('#')) continue;
      commands.push({ text, manager: managerOf(text) });
    }
    if (j === lines.length) throw new Error(`${readme}:${i + 2}: the install block is never closed`);
    blocks.push({ readme, line: i + 2, commands });
  }
  return blocks;
}

/** Every README.md the repository tracks (paths relative to root). */
export const trackedReadmes = (root) =>
  spawnSync('git', ['ls-files', '--', 'README.md', '*/README.md'], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

/** The install blocks of every tracked README. */
export const allInstallBlocks = (root) => trackedReadmes(root).flatMap((readme) => installBlocks(root, readme));
