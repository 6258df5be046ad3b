// Every fenced code block of every README, with the doc-test marker on the line before its fence
// (GUIDE's "README code blocks" convention): `install`, `skip (reason)`, `output`, or none (run).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type Marker = { kind: 'install' } | { kind: 'output' } | { kind: 'skip'; reason: string };

export interface Block {
  /** Path from the repository root. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word, lower-cased ('' for none). */
  lang: string;
  /** The rest of the info string (the language guides' annotations live there). */
  info: string;
  text: string;
  marker: Marker | undefined;
}

/** Folders that hold no README of ours: dependencies, build output, generated code (clients/generated/). */
const NOT_OURS = new Set(['node_modules', 'dist', 'generated', 'coverage', 'artifacts']);

/** The documents whose blocks are tested: every README.md in the repository, and the root's CONTRIBUTING and SECURITY. */
export function readmes(root = ROOT): string[] {
  const found = ['CONTRIBUTING.md', 'SECURITY.md'].filter((f) => existsSync(join(root, f)));
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      // Dot folders are tools' (a venv, caches), except the changesets'.
      if (entry.isDirectory() && !NOT_OURS.has(entry.name) && (!entry.name.startsWith('.') || entry.name === '.changeset')) walk(path);
      else if (entry.isFile() && entry.name === 'README.md') found.push(path);
    }
  };
  walk('');
  return found.sort();
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const MARKER = /^<!--\s*doc-test:\s*(.*?)\s*-->\s*$/;

export function parseMarker(text: string, where: string): Marker {
  if (text === 'install' || text === 'output') return { kind: text };
  const skip = /^skip\s*\((.+)\)$/s.exec(text);
  if (skip?.[1]?.trim()) return { kind: 'skip', reason: skip[1].trim() };
  throw new Error(`${where}: doc-test marker "${text}": expected install, output or skip (reason)`);
}

export function blocksOf(readme: string, source: string): Block[] {
  const lines = source.split(/\r?\n/);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, infoString] = open as unknown as [string, string, string, string];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length; i++) {
      const close = FENCE.exec(lines[i]!);
      if (close && close[2]!.startsWith(fence[0]!) && close[2]!.length >= fence.length && !close[3]!.trim()) break;
      body.push(lines[i]!.startsWith(indent) ? lines[i]!.slice(indent.length) : lines[i]!);
    }
    if (i === lines.length) throw new Error(`${readme}:${start + 1}: code block never closed`);
    const where = `${readme}:${start + 1}`;
    const previous = MARKER.exec((lines[start - 1] ?? '').trim());
    const [lang = '', ...rest] = infoString.trim().split(/\s+/);
    blocks.push({
      readme,
      line: start + 1,
      lang: lang.toLowerCase(),
      info: rest.join(' '),
      text: `${body.join('\n')}\n`,
      marker: previous ? parseMarker(previous[1]!, where) : undefined,
    });
  }
  return blocks;
}

export function allBlocks(root = ROOT): Block[] {
  return readmes(root).flatMap((readme) => blocksOf(readme, readFileSync(join(root, readme), 'utf8')));
}
