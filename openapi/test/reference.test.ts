// The API reference (`./dev reference`: Redocly build-docs, scripts/build-docs.mjs) opened from disk in headless
// Chromium with every network request refused: it must render and work offline, and show every
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
// Redoc's sidebar credits Redocly with an <img> from its CDN; offline the logo is simply missing.
// Nothing else may leave the page: no script, stylesheet, font or data request.
const ATTRIBUTION_LOGO = /^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/;

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
    it('needs nothing from the network but the optional attribution logo, and runs without errors', () => {
      expect(external.filter((r) => !(r.type === 'image' && ATTRIBUTION_LOGO.test(r.url)))).toEqual([]);
      expect(pageErrors).toEqual([]);
    });

    it('covers every operation of the spec, rerun and revoke included', () => {
      expect(operations.map((o) => o.operationId)).toEqual(expect.arrayContaining(['rerunDataSharingRules', 'revokeSharedRecord']));
      // Error examples to look for: a walk of the spec that found none must not pass.
      const errorExamples = operations.flatMap((o) => o.responses.filter((r) => r.status >= '400').flatMap((r) => r.examples));
      expect(errorExamples.length).toBeGreaterThanOrEqual(30);
      expect(errorExamples.every((e) => typeof e.code === 'string')).toBe(true);
    });
  });

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
    });
  });

  describe('after every operation page was opened', () => {
    it('still nothing was fetched from the network and nothing threw', () => {
      expect(external.filter((r) => !(r.type === 'image' && ATTRIBUTION_LOGO.test(r.url)))).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
});
