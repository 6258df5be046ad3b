/// <reference lib="dom" />
// The typed reference (`pnpm --filter @zcrm-sharing/docs-test reference`): every export of the public
// packages' entry points documented (else TypeDoc fails), and the generated site served from
// 127.0.0.1 to headless Chromium with every other request refused: no console error, and a page with
// its doc comment for every value each entry point exports (read from the built packages, not listed
// here). Served, not opened from disk: from file:// Chromium refuses TypeDoc's SVG icon sprite
// ("file: URLs are treated as unique security origins") and logs an error per icon.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { prerequisite } from '@zcrm-sharing/test-support/prerequisites';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { typedoc } from '../src/reference.ts';

// Every entry point the public packages export (their package.json `exports`, but `./package.json`).
const ENTRY_POINTS = ['client', 'sandbox'].flatMap((pkg) => {
  const manifest = JSON.parse(readFileSync(new URL(`../../${pkg}/package.json`, import.meta.url), 'utf8')) as { name: string; exports: Record<string, unknown> };
  return Object.keys(manifest.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? manifest.name : `${manifest.name}${k.slice(1)}`));
});
const found = prerequisite('chromium');
const out = mkdtempSync(join(tmpdir(), 'zcrm-reference-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test('TypeDoc builds the reference with no warning: every export of the entry points has a doc comment', () => {
  const run = typedoc(['--out', out]);
  expect(run.log).not.toMatch(/\[warning\]|\[error\]/);
  expect(run.code, run.log).toBe(0);
});

test('an export without a doc comment fails the build, named', () => {
  const run = typedoc(['--options', 'test/fixtures/typedoc.json', '--out', join(out, 'fixture')]);
  expect(run.code).not.toBe(0);
  expect(run.log).toContain('undocumentedExport');
  expect(run.log).not.toMatch(/\bdocumented \(Variable\)/);
});

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** A static server for `root` on 127.0.0.1 (a free port). */
async function serve(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(root, path.endsWith('/') ? `${path}index.html` : path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe.skipIf(!found.available)('the reference in Chromium (offline)', () => {
  let browser: Browser;
  let page: Page;
  let server: Server;
  let origin: string;
  const external: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    ({ server, origin } = await serve(out));
    browser = await chromium.launch({ executablePath: found.available ? found.path : undefined });
    const context = await browser.newContext();
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (/^(data|blob):/.test(url) || url.startsWith(`${origin}/`)) return route.continue();
      external.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  const open = async (file: string) => {
    await page.goto(`${origin}/${file}`);
    await page.waitForLoadState('load');
  };

  test('the index renders with a module per entry point, no console error, no request off the disk', async () => {
    await open('index.html');
    const text = await page.locator('body').innerText();
    for (const entry of ENTRY_POINTS) expect(text).toContain(entry);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  test.each(ENTRY_POINTS)('every value %s exports is listed, and its page carries its doc comment', async (entry) => {
    const exports = Object.keys(await import(entry)).sort();
    expect(exports.length).toBeGreaterThan(0);
    const moduleFile = `modules/${entry.replace(/[@/]/g, '_')}.html`;
    await open(moduleFile);
    const links = await page.locator('.col-content a[href]').evaluateAll((as) => as.map((a) => [a.textContent!.trim(), (a as HTMLAnchorElement).href]));
    const pages = new Map(links as [string, string][]);
    expect(exports.filter((name) => !pages.has(name))).toEqual([]);
    // Each page's prose (its doc comment), read from the page TypeDoc wrote rather than by visiting 60 pages.
    const undocumented: string[] = [];
    for (const name of exports) {
      const html = await readFile(join(out, new URL(pages.get(name)!).pathname), 'utf8');
      if (!/class="tsd-comment tsd-typography"><p>\S/.test(html)) undocumented.push(name);
    }
    expect(undocumented).toEqual([]);
    expect(errors).toEqual([]);
  });

  test.each(['createZohoCrmClient', 'startSandbox', 'createNodeFetch'])('%s: its page opens from the search box and shows its doc comment', async (name) => {
    await open('index.html');
    await page.locator('#tsd-search-trigger, #tsd-search input, [data-search]').first().click().catch(() => {});
    await page.keyboard.type(name);
    const result = page.locator('#tsd-search-results a, .results a').filter({ hasText: name }).first();
    await result.click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.locator('h1').first().innerText()).toContain(name);
    expect((await page.locator('.tsd-comment').first().innerText()).trim().length).toBeGreaterThan(20);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
