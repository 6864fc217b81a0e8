/**
 * The test panel (Chromium, issue 11 part 4): payload and headers kept per flow across tab switches and reloads; a
 * new run clears the last one at once; a payload over the body limit gets the URL's 413; a 5 MB output opens cut
 * short, with more and a download on demand, without blocking the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'panel@example.com', password: 'correct horse battery' };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

/** About 5 MB of JSON: 25 000 order lines. */
const bigPayload = (): string => JSON.stringify({ items: Array.from({ length: 25_000 }, (_, i) => ({ i, sku: `SKU-${String(i).padStart(6, '0')}`, name: 'x'.repeat(160) })) });

describe.skipIf(browserMissing())('test panel (Chromium)', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const ids = { small: '', slow: '', big: '' };
  const panel = () => page.getByTestId('node-panel');
  const open = async (flowId: string, node: string) => {
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByTestId(`node-${node}`).waitFor();
  };

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const create = async (name: string, nodes: unknown[], edges: unknown[]) => (await t.api('POST', '/api/flows', { name, nodes, edges })).body.id as string;
    ids.small = await create('Small', [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
      { id: 'count', type: 'transform', position: { x: 300, y: 0 }, params: { code: 'return { n: input.body.n ?? 0 };' } },
    ], [{ from: 'hook', to: 'count' }]);
    ids.slow = await create('Slow', [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
      { id: 'pause', type: 'delay', position: { x: 300, y: 0 }, params: { ms: 2500 } },
      { id: 'done', type: 'transform', position: { x: 600, y: 0 }, params: { code: 'return { done: true };' } },
    ], [{ from: 'hook', to: 'pause' }, { from: 'pause', to: 'done' }]);
    ids.big = await create('Big', [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: { maxBodyBytes: 6_000_000 } },
      { id: 'count', type: 'transform', position: { x: 300, y: 0 }, params: { code: 'return { lines: input.body.items.length };' } },
    ], [{ from: 'hook', to: 'count' }]);
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems, 20_000);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('keeps the payload and headers per flow across tab switches and reloads', async () => {
    await open(ids.small, 'count');
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByTestId('test-payload').fill('{"n": 41}');
    await page.getByTestId('test-headers').fill('{"x-shop": "kept"}');
    await page.getByTestId('node-count').click();
    await panel().waitFor();
    await page.getByRole('tab', { name: 'Test' }).click();
    await expect(page.getByTestId('test-payload').inputValue()).resolves.toBe('{"n": 41}');
    await expect(page.getByTestId('test-headers').inputValue()).resolves.toBe('{"x-shop": "kept"}');
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), `hookflow.test-event.${ids.small}`)).toContain('kept');
    await page.reload();
    await page.getByTestId('node-count').waitFor();
    await page.getByRole('tab', { name: 'Test' }).click();
    await expect.poll(() => page.getByTestId('test-payload').inputValue()).toBe('{"n": 41}');
    await expect(page.getByTestId('test-headers').inputValue()).resolves.toBe('{"x-shop": "kept"}');
    // Another flow has its own (the sample order until it is changed); coming back finds this one's.
    await open(ids.slow, 'done');
    await page.getByRole('tab', { name: 'Test' }).click();
    await expect(page.getByTestId('test-payload').inputValue()).resolves.toContain('ord_1001');
    await open(ids.small, 'count');
    await page.getByRole('tab', { name: 'Test' }).click();
    await expect(page.getByTestId('test-payload').inputValue()).resolves.toBe('{"n": 41}');
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('node-status-count').textContent()).toBe('succeeded');
    const runs = (await t.api('GET', `/api/executions?flowId=${ids.small}`)).body.items as { id: string }[];
    expect((await t.api('GET', `/api/executions/${runs[0].id}`)).body.trigger).toMatchObject({ body: { n: 41 }, headers: { 'x-shop': 'kept' } });
  });

  it('refuses a payload over the flow\'s body limit with the webhook URL\'s 413, and runs nothing', async () => {
    const before = (await t.api('GET', `/api/executions?flowId=${ids.small}`)).body.items.length;
    await page.getByTestId('test-payload').fill(JSON.stringify({ n: 1, pad: 'p'.repeat(1_100_000) }));
    await page.getByTestId('send-test-event').click();
    const alert = page.getByTestId('test-refused');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/exceeds the limit of 1048576 bytes.*payload_too_large/);
    expect((await t.api('GET', `/api/executions?flowId=${ids.small}`)).body.items).toHaveLength(before);
    await shot(page, 'test-panel-413');
    await page.getByTestId('test-payload').fill('{"n": 41}');
  });

  it('starting a new run clears the last run\'s statuses, path and node data at once', async () => {
    await open(ids.slow, 'done');
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('node-status-done').textContent(), { timeout: 15_000 }).toBe('succeeded');
    await expect.poll(() => page.locator('.react-flow__edge.taken').count()).toBe(2);
    await page.getByTestId('send-test-event').click();
    // The new run is parked in its delay: nothing of the last one may show now.
    await expect.poll(() => page.getByTestId('node-status-pause').textContent()).toBe('waiting');
    await expect(page.getByTestId('node-status-done').textContent()).resolves.toBe('queued');
    await expect(page.locator('.react-flow__edge.taken').count()).resolves.toBe(0);
    await expect(page.getByTestId('test-status').textContent()).resolves.toBe('running');
    await page.getByTestId('node-done').click();
    await panel().getByTestId('node-run-pending').waitFor();
    await expect(panel().getByTestId('node-run').count()).resolves.toBe(0);
    await shot(page, 'test-panel-new-run');
    await expect.poll(() => page.getByTestId('node-status-done').textContent(), { timeout: 15_000 }).toBe('succeeded');
    await panel().getByTestId('node-run').waitFor();
  });

  it('opens a 5 MB input and output cut short, with more and a download on demand, without a long task on the main thread', async () => {
    await open(ids.big, 'count');
    await page.getByRole('tab', { name: 'Test' }).click();
    const payload = bigPayload();
    expect(payload.length).toBeGreaterThan(4_900_000);
    await page.getByTestId('test-payload').fill(payload);
    // Long tasks (main-thread work over 50 ms), from here on.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) w.longTasks.push(e.duration); }).observe({ type: 'longtask' });
    });
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('node-status-count').textContent(), { timeout: 30_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('test-status').textContent()).toBe('succeeded');
    const sending = await page.evaluate(() => { const w = window as unknown as { longTasks: number[] }; const m = Math.max(0, ...w.longTasks); w.longTasks = []; return m; });
    // Reported, not checked: parsing the 5 MB payload and the finished run's record (trigger and outputs) is the browser's JSON.parse.
    console.log(`longest main-thread task sending a 5 MB payload and receiving its run: ${Math.round(sending)} ms`);
    await page.getByTestId('node-hook').click();
    await panel().getByTestId('node-run').waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const longest = await page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
    console.log(`longest main-thread task opening a 5 MB input and output: ${Math.round(longest)} ms`);
    // Opening the node's data must not freeze the page (it did, for seconds): 100 ms is the aim; the bound is loose
    // for a loaded CI machine, and still far below what rendering the whole text costs.
    expect(longest).toBeLessThan(400);
    const cuts = panel().getByTestId('json-cut');
    await expect(cuts.count()).resolves.toBe(2);
    const output = panel().getByLabel('Output', { exact: true });
    const shown = (await output.textContent()) ?? '';
    expect(shown.length).toBeLessThan(25_000);
    expect(shown).toContain('"sku": "SKU-000000"');
    await cuts.nth(1).getByRole('button', { name: 'Show more' }).click();
    await expect.poll(async () => ((await output.textContent()) ?? '').length).toBeGreaterThan(150_000);
    const download = page.waitForEvent('download');
    await cuts.nth(1).getByTestId('json-download').click();
    const file = await download;
    const path = await file.path();
    const { readFileSync } = await import('node:fs');
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.body.items).toHaveLength(25_000);
    await shot(page, 'test-panel-big-output');
  });

  it('logging out forgets every kept payload', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('input[type=email]').fill(owner.email);
    await page.locator('input[type=password]').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-email').waitFor();
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hookflow.test-event.')))).toEqual([]);
    await open(ids.small, 'count');
    await page.getByRole('tab', { name: 'Test' }).click();
    await expect(page.getByTestId('test-payload').inputValue()).resolves.toContain('ord_1001');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
