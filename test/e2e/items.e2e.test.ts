/** Per-item counts of a split (Chromium): "2 ✓ 1 ✗" on the execution's canvas and in its steps, each item's attempts listed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'items@example.com', password: 'correct horse battery' };

describe.skipIf(browserMissing())('per-item counts (Chromium)', { timeout: 90_000 }, () => {
  let t: TestApp;
  let rx: Receiver;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password, HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    rx = await startReceiver((r, res) => { res.statusCode = JSON.parse(r.body).bad ? 503 : 200; res.end('{}'); });
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await rx?.close();
  });

  it('shows each node in the loop with its item counts, and every item\'s step with its attempts', async () => {
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
      { id: 'lines', type: 'split', position: { x: 260, y: 0 }, params: { path: 'input.body.lines', concurrency: 2 } },
      { id: 'send', type: 'http', position: { x: 520, y: 0 }, params: { url: `${rx.url}/line`, body: '{{ input }}' }, retry: { maxAttempts: 2, initialDelayMs: 10 } },
      { id: 'all', type: 'aggregate', position: { x: 780, y: 0 }, params: { onItemFailure: 'list' } },
    ], [{ from: 'hook', to: 'lines' }, { from: 'lines', to: 'send' }, { from: 'send', to: 'all' }]);
    const res = await post(f.hook, JSON.stringify({ lines: [{ n: 0 }, { n: 1, bad: true }, { n: 2 }] }));
    const e = await finished(t, ((await res.json()) as { executionId: string }).executionId);
    expect(e.status).toBe('succeeded');
    await page.goto(`${t.url}/executions/${e.id}`);
    await page.getByTestId('item-counts-send').waitFor();
    await expect(page.getByTestId('item-counts-send').textContent()).resolves.toBe('2 ✓ 1 ✗');
    await expect(page.getByTestId('node-note-send').textContent()).resolves.toBe('2 ✓ 1 ✗');
    // The failed item is open; it lists both of its attempts.
    await expect(page.getByTestId('step-send@1').locator('.attempts li').count()).resolves.toBe(2);
    await expect(page.getByTestId('step-send@0').locator('.attempts li').count()).resolves.toBe(1);
    await page.getByTestId('step-send').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/hookflow-e2e-items-history.png', fullPage: true });
    expect(problems).toEqual([]);
  });

  it('a test run in the editor shows the counts on the card of the node in the loop', async () => {
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
      { id: 'lines', type: 'split', position: { x: 260, y: 0 }, params: { path: 'input.body.lines', concurrency: 2 } },
      { id: 'send', type: 'http', position: { x: 520, y: 0 }, params: { url: `${rx.url}/line`, body: '{{ input }}' }, retry: { maxAttempts: 1 } },
      { id: 'all', type: 'aggregate', position: { x: 780, y: 0 }, params: { onItemFailure: 'list' } },
    ], [{ from: 'hook', to: 'lines' }, { from: 'lines', to: 'send' }, { from: 'send', to: 'all' }], 'items in the editor');
    await page.goto(`${t.url}/flows/${f.id}`);
    await page.getByTestId('node-send').waitFor();
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByTestId('test-payload').fill(JSON.stringify({ lines: [{ n: 0 }, { n: 1, bad: true }, { n: 2 }, { n: 3 }] }));
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('node-status-all').textContent(), { timeout: 20_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('node-note-send').textContent()).toBe('3 ✓ 1 ✗');
    await expect(page.getByTestId('test-items-send').textContent()).resolves.toBe(' 3 ✓ 1 ✗');
    await page.screenshot({ path: '/tmp/hookflow-e2e-items-editor.png' });
    expect(problems).toEqual([]);
  });
});
