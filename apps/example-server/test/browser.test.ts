/// <reference lib="dom" />
// The admin page in headless Debian Chromium (playwright-core drives it; no browser is downloaded).
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prerequisite } from '@zcrm-sharing/test-support/prerequisites';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, contactId, deliver, harness, leadId } from './helpers.ts';

// An installed Chromium (Debian's in CI), never a downloaded browser; skipped when absent, required under CI=true.
const found = prerequisite('chromium');
const chromiumPath = found.available ? found.path : undefined;
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

describe.skipIf(!chromiumPath)('admin page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(closeAll);

  it('rerun Leads and watch it finish, revoke a record, see webhook jobs; screenshot', async () => {
    const h = await harness({ sandbox: { rerunDurationMs: 500 } });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Script errors only: the browser also reports the 4xx answers this test provokes on purpose.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && pageErrors.push(m.text()));
    const notFound: string[] = [];
    page.on('response', (r) => r.status() === 404 && notFound.push(r.url()));
    await page.goto(`${h.url}/`);
    await page.locator('#mode', { hasText: 'embedded sandbox' }).waitFor();

    // Rerun Leads: scheduled, then polled until done.
    await page.fill('#rerun-module', 'Leads');
    await page.click('#rerun-button');
    await page.locator('#rerun-status[data-state="done"]').waitFor({ timeout: 15_000 });
    expect(await page.textContent('#rerun-status')).toMatch(/done: 3 rules of Leads computed/);
    expect(await page.locator('#rerun-log li').first().getAttribute('data-state')).toBe('scheduled');
    expect(h.sandbox.stats().rerun.scheduled).toBe(1);

    // An error from Zoho is shown with its code: a Leads id under Contacts.
    await page.fill('#revoke-module', 'Contacts');
    await page.fill('#revoke-record', leadId(0));
    await page.click('#revoke-button');
    await page.locator('#revoke-result[data-state="error"]').waitFor();
    expect(await page.textContent('#revoke-result')).toMatch(/invalid_record_id \(Zoho INVALID_DATA\)/);

    // Revoke one seeded Contacts record (19 digits, above 2^53): revoked, then already not shared.
    const id = contactId(0);
    await page.fill('#revoke-record', id);
    await page.click('#revoke-button');
    await page.locator('#revoke-result[data-state="already-not-shared"], #revoke-result[data-state="revoked"]').waitFor();
    expect(await page.getAttribute('#revoke-result', 'data-state')).toBe('revoked');
    expect(await page.textContent('#revoke-result')).toContain(`Contacts ${id}`);
    expect(h.sandbox.record('Contacts', id)).toMatchObject({ shares: 0, revokeSuccesses: 1 });
    await page.fill('#revoke-record', contactId(1));
    await page.click('#revoke-button');
    await page.locator(`#revoke-result[data-state="revoked"]`, { hasText: contactId(1) }).waitFor();
    await page.click('#revoke-button');
    await page.locator('#revoke-result[data-state="already-not-shared"]').waitFor();
    await page.fill('#revoke-record', contactId(2));
    await page.click('#revoke-button');
    await page.locator(`#revoke-result[data-state="revoked"]`, { hasText: contactId(2) }).waitFor();

    // Webhook deliveries appear in the jobs list with their outcomes.
    await deliver(h.url, { module: 'Leads', recordId: leadId(1) });
    await deliver(h.url, { module: 'Leads', recordId: leadId(1) });
    await deliver(h.url, { module: 'Leads', recordId: leadId(9) }); // starts unshared
    await h.server.idle();
    const row = page.locator(`#jobs tbody tr[data-record-id="${leadId(1)}"][data-status="revoked"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(3).textContent()).toBe('2'); // two deliveries, one job
    await page.locator(`#jobs tbody tr[data-record-id="${leadId(9)}"][data-status="already_not_shared"]`).waitFor();
    await page.locator('#jobs-summary', { hasText: '3 deliveries, 2 jobs (1 duplicate delivery coalesced)' }).waitFor();

    mkdirSync(ARTIFACTS, { recursive: true });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      // Nothing wider than the window: no horizontal scrolling, the jobs stay inside their card.
      const overflow = await page.evaluate(() => {
        const section = document.querySelector('#jobs')!.closest('section')!.getBoundingClientRect();
        const table = document.querySelector('#jobs')!.getBoundingClientRect();
        return { page: document.documentElement.scrollWidth - window.innerWidth, table: table.right - section.right };
      });
      expect(overflow.page, `page wider than ${width} px`).toBeLessThanOrEqual(0);
      expect(overflow.table, `jobs table past its card at ${width} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${ARTIFACTS}admin-page-${width}.png`, fullPage: true });
      expect(existsSync(`${ARTIFACTS}admin-page-${width}.png`)).toBe(true);
    }
    expect(pageErrors).toEqual([]);
    expect(notFound).toEqual([]);
    await page.close();
  });

  it('behind the admin login: the browser sends the credential, and the page\'s own requests reuse it', async () => {
    const admin = { user: 'admin', password: 'correct-horse-battery' };
    const h = await harness({ server: { admin } });
    const denied = await browser.newContext();
    const deniedPage = await denied.newPage();
    // Without a credential the browser gets the Basic challenge (headless, it cannot prompt: it gives up).
    await expect(deniedPage.goto(`${h.url}/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    await denied.close();
    const context = await browser.newContext({ httpCredentials: { username: admin.user, password: admin.password } });
    const page = await context.newPage();
    const unauthorized: string[] = [];
    page.on('response', (r) => r.status() === 401 && unauthorized.push(r.url()));
    await page.goto(`${h.url}/`);
    await page.locator('#jobs-summary', { hasText: 'Jobs in SQLite' }).waitFor();
    await page.fill('#revoke-record', contactId(5));
    await page.click('#revoke-button');
    await page.locator('#revoke-result[data-state="revoked"]').waitFor();
    expect(unauthorized).toEqual([]);
    expect(h.sandbox.record('Contacts', contactId(5))).toMatchObject({ revokeSuccesses: 1 });
    await context.close();
  });

  it('a rerun while one runs shows "already running" and still ends at done', async () => {
    const h = await harness({ sandbox: { rerunDurationMs: 800 } });
    const page = await browser.newPage();
    await page.goto(`${h.url}/`);
    await fetch(`${h.url}/api/modules/Leads/sharing-rules/rerun`, { method: 'POST' });
    await page.click('#rerun-button');
    await page.locator('#rerun-status[data-state="done"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('#rerun-log li').first().textContent()).toMatch(/already running/);
    expect(h.sandbox.stats().rerun).toMatchObject({ scheduled: 1, busy: 1 });
    await page.close();
  });
});
