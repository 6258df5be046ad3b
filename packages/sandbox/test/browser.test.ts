/// <reference lib="dom" />
// The sandbox in a browser page (Debian's Chromium driven by playwright-core; no browser is downloaded),
// the page served from 127.0.0.1 and every request to another origin refused and recorded:
//   - in process: the built @zcrm-sharing/sandbox/fetch bundled for the browser (esbuild, platform
//     browser: a node: import would fail the bundle), its fetch given to the client;
//   - MSW: sandboxHandlers() in MSW's worker (MSW's own mockServiceWorker.js served from 127.0.0.1),
//     the client on the page's fetch.
// Either way the client calls Zoho's EU URLs unchanged and nothing leaves the page.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { prerequisite } from '@zcrm-sharing/test-support/prerequisites';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// An installed Chromium (Debian's in CI), never a downloaded browser; skipped when absent, required under CI=true.
const found = prerequisite('chromium');
const chromiumPath = found.available ? found.path : undefined;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const require = createRequire(import.meta.url);

/** A page script bundled for browsers, from the built entry points (what users import). */
async function bundle(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [here(`./browser/${entry}`)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    alias: { '@zcrm-sharing/sandbox/fetch': here('../dist/fetch.js'), '@zcrm-sharing/sandbox/msw': here('../dist/msw.js') },
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

describe.skipIf(!chromiumPath)('the sandbox in a Chromium page', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  const files = new Map<string, string>();

  beforeAll(async () => {
    files.set('/in-process.js', await bundle('in-process-page.ts'));
    files.set('/msw.js', await bundle('msw-page.ts'));
    files.set('/mockServiceWorker.js', readFileSync(require.resolve('msw/mockServiceWorker.js'), 'utf8'));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const script = url.pathname === '/' ? undefined : files.get(url.pathname);
      if (url.pathname === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script type="module" src="/${url.searchParams.get('page')}.js"></script>`);
      else if (script) res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it.each(['in-process', 'msw'])('%s: the client on Zoho EU URLs gets the sandbox; the page reaches nothing but 127.0.0.1', async (page) => {
    const context = await browser.newContext();
    const elsewhere: string[] = [];
    await context.route((url) => url.origin !== origin, (route) => {
      elsewhere.push(route.request().url());
      return route.abort();
    });
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`${origin}/?page=${page}`);
    const result = await (await tab.waitForFunction(() => (globalThis as { __result?: unknown }).__result, undefined, { timeout: 20_000 })).jsonValue();
    await context.close();
    expect(result).toEqual({
      rerun: 'scheduled',
      revoked: '4150868000001148212',
      again: 'NothingToRevokeError',
      record: { module: 'Contacts', id: '4150868000001148212', shares: 0, entries: [], revokeCalls: 2, revokeSuccesses: 1 },
      refreshes: 1,
    });
    expect([errors, elsewhere]).toEqual([[], []]);
  });
});
