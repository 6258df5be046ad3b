/// <reference lib="dom" />
// The API reference (`./dev reference`: Redocly build-docs, scripts/build-docs.mjs) opened from disk in headless
// Chromium with every network request refused: it must render and work offline (no request, and no element
// or stylesheet pointing at another host), read well (the hosts table, no markdown shown raw), and show every
// operation with every documented response status and every named response example (the error codes).
// What to expect is read from the spec, so a response or example the page drops fails here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { prerequisite } from '@zcrm-sharing/test-support/prerequisites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deref, spec } from '../testing/spec.ts';

// An installed Chromium (Debian's in CI), never a downloaded browser; skipped when absent, required under CI=true.
const found = prerequisite('chromium');
const chromiumPath = found.available ? found.path : undefined;
// Attributes through which an element loads something. <a> and <area> only navigate: their href may leave.
const URL_ATTRIBUTES = ['src', 'srcset', 'href', 'poster', 'data', 'action', 'formaction', 'background', 'xlink:href', 'imagesrcset', 'manifest', 'ping', 'longdesc', 'icon'];

/** Every reference from the rendered page to another host: URL attributes, inline styles and stylesheets. */
function externalReferences(page: Page): Promise<string[]> {
  return page.evaluate((attributes) => {
    const external = (v: string) => /^(https?:)?\/\//i.test(v.trim());
    const inCss = (css: string) => [...css.matchAll(/(?:url\(\s*|@import\s+)["']?([^"')\s;]+)/g)].map((m) => m[1]!).filter(external);
    const found: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const { name, value } of el.attributes) {
        const attr = name.toLowerCase();
        if (!attributes.includes(attr) || (['a', 'area'].includes(el.localName) && ['href', 'ping'].includes(attr))) continue;
        const values = attr.endsWith('srcset') ? value.split(',').map((v) => v.trim().split(/\s+/)[0]!) : [value];
        for (const v of values.filter(external)) found.push(`<${el.localName} ${attr}="${v}">`);
      }
      for (const v of inCss(el.getAttribute('style') ?? '')) found.push(`<${el.localName} style> ${v}`);
    }
    for (const sheet of document.styleSheets) {
      let rules: CSSRuleList;
      try {
        rules = sheet.cssRules;
      } catch {
        found.push(`stylesheet from ${sheet.href}`); // unreadable: it came from another origin
        continue;
      }
      for (const rule of rules) for (const v of inCss(rule.cssText)) found.push(`css ${v}`);
    }
    return found;
  }, URL_ATTRIBUTES);
}

/** Words split across lines inside `root` (a table that wraps `domain` one letter per line has many). */
function brokenWords(root: Locator): Promise<string[]> {
  return root.evaluate((el) => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent!.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        if (range.getClientRects().length > 1) broken.push(m[0]);
      }
    }
    return broken;
  });
}

type Json = Record<string, any>;
interface ExpectedExample { name: string; summary: string; code: string | undefined; leaves: string[] }
interface ExpectedResponse { status: string; description: string; examples: ExpectedExample[] }
interface ExpectedOperation { operationId: string; method: string; path: string; summary: string; tag: string; responses: ExpectedResponse[] }

/** The status object's `code` of an example: bare, in `share`, in `share[0]` or in `sharing_rules[0]`. */
function codeOf(value: Json): string | undefined {
  return value.code ?? value.share?.code ?? value.share?.[0]?.code ?? value.sharing_rules?.[0]?.code;
}

/** Every scalar member of an example as the JSON viewer prints it: `"key": value`. */
function leaves(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (v !== null && typeof v === 'object' ? leaves(v) : [`"${k}": ${JSON.stringify(v)}`]));
  }
  return [];
}

const operations: ExpectedOperation[] = Object.entries<Json>(spec.paths).flatMap(([path, item]) =>
  Object.entries<Json>(item).map(([method, op]) => ({
    operationId: op.operationId,
    method: method.toUpperCase(),
    path,
    summary: op.summary,
    tag: op.tags[0],
    responses: Object.entries<Json>(op.responses).map(([status, ref]) => {
      const res = deref(ref);
      const examples = Object.entries<Json>(res.content?.['application/json']?.examples ?? {}).map(([name, exRef]) => {
        const ex = deref(exRef);
        return { name, summary: ex.summary ?? name, code: codeOf(ex.value), leaves: leaves(ex.value) };
      });
      return { status, description: res.description, examples };
    }),
  })),
);

describe.skipIf(!chromiumPath)('the API reference in Chromium', () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  let pageUrl: string;
  const external: { url: string; type: string }[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zcrm-reference-'));
    const html = join(dir, 'reference.html');
    // The same command as `./dev reference`, into a scratch file.
    execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build-docs.mjs', import.meta.url)), html], { stdio: 'pipe' });
    browser = await chromium.launch({ executablePath: chromiumPath });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (/^(file|data|blob):/.test(url)) return route.continue();
      external.push({ url, type: route.request().resourceType() });
      return route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    pageUrl = pathToFileURL(html).href;
    await page.goto(pageUrl);
    await page.getByRole('heading', { name: spec.info.title }).first().waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Redoc's route for an operation: `#/{tag slug}/{operationId in lower case}`. */
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

  async function openOperation(op: ExpectedOperation): Promise<Locator> {
    const id = `/${slug(op.tag)}/${op.operationId.toLowerCase()}`;
    await page.goto(`${pageUrl}#${id}`); // a fragment change: Redoc routes it without reloading
    const section = page.locator(`[data-section-id="${id}"]`);
    await section.waitFor();
    return section;
  }

  const plain = (markdown: string) => markdown.replace(/`/g, '').replace(/\s+/g, ' ').trim();

  describe('the reference page works offline', () => {
    it('needs nothing from the network, and runs without errors', () => {
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
    });

    it('no element, inline style or stylesheet points at another host (src, srcset, href, poster, url(), ...)', async () => {
      expect(await externalReferences(page)).toEqual([]);
    });

    it("shows Redocly's attribution from the page itself", async () => {
      const credit = page.locator('a[href^="https://redocly.com/"]').filter({ hasText: 'API docs by' });
      await expect.poll(() => credit.locator('img').evaluate((img: HTMLImageElement) => [img.src.slice(0, 5), img.complete && img.naturalWidth > 0])).toEqual(['data:', true]);
    });

    it('covers every operation of the spec, rerun and revoke included', () => {
      expect(operations.map((o) => o.operationId)).toEqual(expect.arrayContaining(['rerunDataSharingRules', 'revokeSharedRecord']));
      // Error examples to look for: a walk of the spec that found none must not pass.
      const errorExamples = operations.flatMap((o) => o.responses.filter((r) => r.status >= '400').flatMap((r) => r.examples));
      expect(errorExamples.length).toBeGreaterThanOrEqual(30);
      expect(errorExamples.every((e) => typeof e.code === 'string')).toBe(true);
    });
  });

  // Clicking through an operation's examples takes time in proportion to how many it has (the share
  // writes list about 30): a bound that grows with them, so a loaded machine is not a failure.
  const clickBudgetMs = (op: (typeof operations)[number]) => Math.max(30_000, 3_000 * op.responses.reduce((n, r) => n + r.examples.length, 0));

  describe.each(operations.map((o) => [o.operationId, o] as const))('%s', (_id, op) => {
    it('shows the operation: summary, method, path and every response status', async () => {
      const section = await openOperation(op);
      await expect.poll(() => section.getByRole('heading', { level: 2 }).first().innerText()).toBe(op.summary);
      const text = await section.innerText();
      expect(text).toContain(op.path);
      expect(text.toUpperCase()).toContain(op.method);
      const responses = section.locator('[id$="/responses"]');
      expect(await responses.getByRole('tab').allInnerTexts()).toEqual(op.responses.map((r) => r.status));
    });

    it('shows every response description and every named example with its code', async () => {
      const section = await openOperation(op);
      // The responses block: its status tabs, the selected response's description and body schema.
      const responses = section.locator('[data-testid="middle-panel"]').filter({ has: page.locator('[id$="/responses"]') }).last();
      const samples = section.locator('[data-testid="right-panel"]').last();
      for (const res of op.responses) {
        await responses.getByRole('tab', { name: res.status, exact: true }).click();
        await expect.poll(async () => plain(await responses.innerText()), { message: `${res.status} description` }).toContain(plain(res.description));
        for (const ex of res.examples) {
          if (res.examples.length > 1) {
            await samples.locator('[data-component-name="Dropdown/Dropdown"]').click();
            await page.getByRole('menuitem', { name: ex.summary, exact: true }).click();
          }
          await expect.poll(() => samples.innerText(), { message: `${res.status} ${ex.name}` }).toContain(
            res.examples.length > 1 ? ex.summary : '{',
          );
          // Nested objects start collapsed; open them so a wrapped envelope shows its code.
          const expand = samples.locator('[data-testid="expand-all"]');
          if (await expand.count()) await expand.first().click();
          const shown = await samples.innerText();
          if (ex.code) expect(shown, `${res.status} ${ex.name}`).toContain(`"code": "${ex.code}"`);
          for (const leaf of ex.leaves) expect(shown, `${res.status} ${ex.name}`).toContain(leaf);
        }
      }
    }, clickBudgetMs(op));
  });

  describe('reads well', () => {
    it('the hosts table breaks no word across lines; it and the token URL list show every data centre of x-zoho-data-centers', async () => {
      await page.goto(`${pageUrl}#/section/hosts`);
      const section = page.locator('[data-section-id="/section/hosts"]');
      const table = section.locator('table');
      await table.waitFor();
      expect(await brokenWords(table)).toEqual([]);
      // The table and the list are prose in info.description; x-zoho-data-centers and the server URL
      // are the same facts as data.
      const centres: { code: string; name: string; domain: string; 'token-url': string }[] = spec['x-zoho-data-centers'];
      const server = spec.servers[0];
      const apiHost = (domain: string) => new URL(server.url.replace('{environment}', server.variables.environment.default).replace('{domain}', domain)).host;
      const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
      expect(rows).toEqual(centres.map((c) => [`${c.code} (${c.name})`, c.domain, apiHost(c.domain)]));
      const tokenUrls = await section.locator('li').allInnerTexts();
      expect(tokenUrls.map((t) => t.trim())).toEqual(centres.map((c) => `${c.code}: ${c['token-url']}`));
    });

    // Redoc shows server texts as plain text, not markdown.
    const openServers = async () => {
      await page.goto(pageUrl);
      const show = page.getByText(/^Show \d+ variables$/).first();
      if (await show.count()) await show.click();
    };
    const linesWithBackticks = () => page.evaluate(() => document.body.innerText.split('\n').filter((l) => l.includes('`')));

    it('the servers description shows no literal backticks', async () => {
      await openServers();
      const description: string = spec.servers[0].description;
      expect(await page.getByText(description.replace(/`/g, ''), { exact: true }).count()).toBeGreaterThan(0);
      expect((await linesWithBackticks()).filter((l) => l.includes(description.split(' ').slice(0, 3).join(' ')))).toEqual([]);
    });

    // Redoc prints the server variables' descriptions as plain text, so they must not use `code` markdown.
    it('no text of the page shows a literal backtick', async () => {
      await openServers();
      expect(await linesWithBackticks()).toEqual([]);
    });
  });

  describe('after every operation page was opened', () => {
    it('still nothing was fetched from the network, nothing points elsewhere, and nothing threw', async () => {
      expect(external).toEqual([]);
      expect(await externalReferences(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
