/** The node details view in Chromium: input | parameters | output, views and paging, run this node (dry by default), pinned samples, drag a field in, `{{` in JSON boxes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'ndv@example.com', password: 'correct horse battery' };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

describe.skipIf(browserMissing())('node details view (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let rx: Receiver;
  let flowId = '';
  const problems: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password, HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    rx = await startReceiver();
    const created = await t.api('POST', '/api/flows', { name: 'Details', nodes: [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
      { id: 'calc', type: 'transform', name: 'Totals', position: { x: 280, y: 0 }, params: { code: 'return { total: input.body.items.reduce((s, i) => s + i.price * i.qty, 0), items: input.body.items }' } },
      { id: 'reply', type: 'respond', name: 'Answer', position: { x: 560, y: 0 }, params: {} },
      { id: 'call', type: 'http', name: 'Tell the warehouse', position: { x: 560, y: 200 }, params: { url: `${rx.url}/orders`, body: '{{ input.total }}' } }],
    edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'reply' }, { from: 'calc', to: 'call' }] });
    flowId = created.body.id;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rx?.close();
    await t?.close();
  });

  it('opens with a double-click: input, parameters and output side by side; runs the node on the last test input without running the flow', async () => {
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('node-status-reply').textContent()).toBe('succeeded');
    const before = (await t.api('GET', `/api/executions?flowId=${flowId}`)).body.total;
    await page.getByTestId('node-calc').dblclick();
    const ndv = page.getByTestId('node-details');
    await ndv.waitFor();
    const cols = await Promise.all(['Input', 'Parameters', 'Output'].map((n) => ndv.getByRole('heading', { name: n, exact: true }).boundingBox()));
    expect(cols.every((b, i) => b && (i === 0 || (cols[i - 1]?.x ?? Infinity) < b.x))).toBe(true);
    await ndv.getByTestId('ndv-input').locator('[data-path="input.body.items"]').waitFor();
    await ndv.getByTestId('ndv-params').getByTestId('code-editor-input').fill('return { doubled: input.body.items.length * 2 }');
    await ndv.getByTestId('run-node').click();
    await expect.poll(() => ndv.getByTestId('ndv-status').textContent()).toBe('succeeded');
    await ndv.getByTestId('ndv-output-data').getByRole('tab', { name: 'JSON' }).click();
    await expect(ndv.getByTestId('ndv-output-data').locator('pre').textContent()).resolves.toContain('"doubled": 4');
    expect((await t.api('GET', `/api/executions?flowId=${flowId}`)).body.total).toBe(before);
    await shot(page, 'ndv-run');
  });

  it('shows input as a table and JSON too, pages a long array, and keeps an edited sample pinned with the node', async () => {
    const ndv = page.getByTestId('node-details');
    await ndv.getByTestId('edit-sample').click();
    const items = Array.from({ length: 60 }, (_, i) => ({ sku: `SKU-${i}`, qty: 1, price: i }));
    await ndv.getByTestId('sample-input').fill(JSON.stringify(items));
    await ndv.getByTestId('save-sample').click();
    const input = ndv.getByTestId('ndv-input');
    await input.getByRole('tab', { name: 'Table' }).click();
    await expect(input.getByTestId('page-range').textContent()).resolves.toBe('1–25 of 60');
    await expect(input.locator('tbody tr').count()).resolves.toBe(25);
    await input.getByRole('button', { name: 'Next' }).click();
    await expect(input.getByTestId('page-range').textContent()).resolves.toBe('26–50 of 60');
    await expect(input.locator('tbody tr').first().textContent()).resolves.toContain('SKU-25');
    await input.getByRole('tab', { name: 'JSON' }).click();
    await expect(input.locator('pre').textContent()).resolves.toContain('SKU-49');
    await shot(page, 'ndv-table');
    await ndv.getByTestId('close-details').click();
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    const saved = await t.api('GET', `/api/flows/${flowId}`);
    expect(saved.body.nodes.find((n: { id: string }) => n.id === 'calc').pinnedInput).toHaveLength(60);
  });

  it('drags a field from the input into a parameter as {{ path }}, and completes {{ in a JSON body box', async () => {
    await page.getByTestId('node-reply').dblclick();
    const ndv = page.getByTestId('node-details');
    // The input is the last run's data, fetched when the view opens: a loaded machine can take a while.
    await ndv.getByTestId('ndv-input').locator('[data-path="input.total"]').waitFor({ timeout: 30_000 });
    const body = ndv.getByTestId('ndv-params').getByLabel('Body (JSON)', { exact: true });
    await ndv.getByTestId('ndv-input').locator('[data-path="input.total"]').dragTo(body);
    await expect(body.inputValue()).resolves.toBe('"{{ input.total }}"');
    await body.fill('{"sum": "{{ inp');
    await body.press('End');
    await body.pressSequentially('u');
    await ndv.getByTestId('template-suggestions').waitFor();
    await ndv.getByTestId('template-suggestions').getByText('input.total', { exact: true }).click();
    await expect(body.inputValue()).resolves.toBe('{"sum": "{{ input.total }}');
    await body.pressSequentially('"}');
    await body.blur();
    await ndv.getByTestId('run-node').click();
    await expect.poll(() => ndv.getByTestId('ndv-status').textContent()).toBe('succeeded');
    await ndv.getByTestId('ndv-output-data').getByRole('tab', { name: 'JSON' }).click();
    await expect(ndv.getByTestId('ndv-output-data').locator('pre').textContent()).resolves.toMatch(/"sum": 48/);
    await shot(page, 'ndv-drag');
    await ndv.getByTestId('close-details').click();
  });

  it('runs a side-effecting node dry unless the user ticks the box and confirms', async () => {
    const sent = rx.requests.length; // the test run of the first case called it for real, as a flow run does
    await page.getByTestId('node-call').dblclick();
    const ndv = page.getByTestId('node-details');
    await ndv.getByTestId('run-node').click();
    await ndv.getByTestId('ndv-dry-run').waitFor();
    expect(rx.requests).toHaveLength(sent);
    await ndv.getByTestId('ndv-real').check();
    page.once('dialog', (d) => void d.dismiss());
    await ndv.getByTestId('run-node').click();
    await page.waitForTimeout(300);
    expect(rx.requests).toHaveLength(sent);
    page.once('dialog', (d) => void d.accept());
    await ndv.getByTestId('run-node').click();
    await expect.poll(() => rx.requests.length).toBe(sent + 1);
    await expect.poll(() => ndv.getByTestId('ndv-dry-run').count()).toBe(0);
    expect(rx.requests[sent].body).toBe('48');
    await page.keyboard.press('Escape');
    await ndv.waitFor({ state: 'detached' });
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
