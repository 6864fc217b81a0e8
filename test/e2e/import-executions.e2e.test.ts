/** Import and fix, and executions people can scan (Chromium): flagged credentials fixed in place; flow, when, trigger, HTTP status, durations, the sync answer. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'import@example.com', password: 'correct horse battery' };
const EXAMPLE = fileURLToPath(new URL('../../examples/order-to-inventory.json', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

describe.skipIf(browserMissing())('import and fix; executions people can scan (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('imports the README example although its credentials do not exist here: inactive, with the nodes flagged', async () => {
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.locator('input[type=file]').setInputFiles(EXAMPLE);
    const notice = page.getByTestId('import-notice');
    await expect(notice.textContent()).resolves.toMatch(/4 nodes name credentials that do not exist here/);
    await shot(page, 'import-notice');
    await notice.getByRole('link').click();
    await page.waitForURL(/\/flows\/flw_/);
    await page.getByTestId('node-flags-order').waitFor();
    await expect(page.getByTestId('problems-list').textContent()).resolves.toMatch(/4 problems to fix/);
  });

  it('creating the credential in place clears the flag; saving keeps the others flagged until they are fixed', async () => {
    const flowId = page.url().split('/flows/')[1];
    await page.getByTestId('problems-list').getByTestId('problem').filter({ hasText: 'Order placed' }).click();
    const panel = page.getByTestId('node-panel');
    await panel.getByTestId('node-flags').waitFor();
    await panel.getByTestId('credential-create-new').click();
    const form = panel.getByTestId('new-credential-form');
    await form.getByLabel('Name').fill('Shop webhook secret');
    await form.getByLabel('Secret (one per line, up to 10)').fill('shop-secret-0123456789');
    await form.getByRole('button', { name: 'Save credential' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByTestId('node-flags-order').waitFor({ state: 'detached' });
    await expect(page.getByTestId('problems-list').textContent()).resolves.toMatch(/3 problems to fix/);
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    const saved = (await t.api('GET', `/api/flows/${flowId}`)).body;
    expect(saved.active).toBe(false);
    expect(saved.flags.map((f: { nodeId: string }) => f.nodeId).sort()).toEqual(['alert', 'confirm', 'fulfil']);
    await page.getByTestId('activate-flow').click();
    await expect(page.getByTestId('canvas-message').textContent()).resolves.toMatch(/Not activated/);
    await expect(page.getByTestId('problems-list').textContent()).resolves.toMatch(/3 problems to fix/);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect((await t.api('GET', `/api/flows/${flowId}`)).body.active).toBe(false);
    await shot(page, 'import-fixed');
  });

  it('lists executions by flow name, time, trigger, status with the HTTP status answered and a readable duration; the page shows the sync answer', async () => {
    const sync = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { response: { mode: 'sync' }, idempotencyHeader: 'x-delivery-id' } },
      { id: 'reply', type: 'respond', params: { status: 201, body: { ok: true, order: '{{ input.body.id }}' } } }], [{ from: 'hook', to: 'reply' }], 'Shop orders (sync)');
    const slow = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: {} }, { id: 'wait', type: 'delay', params: { ms: 1200 } }],
      [{ from: 'hook', to: 'wait' }], 'Slow async');
    expect((await post(sync.hook, '{"id":"ord_9"}', { 'content-type': 'application/json', 'x-delivery-id': 'd-9' })).status).toBe(201);
    const accepted = await (await post(slow.hook, '{"ping":1}')).json() as { executionId: string };
    await finished(t, accepted.executionId);
    const syncId = (await t.api('GET', `/api/executions?flowId=${sync.id}`)).body.items[0].id as string;
    await page.getByRole('link', { name: 'Executions' }).click();
    const syncRow = page.getByTestId(`execution-row-${syncId}`);
    // Rows show the flow id until the flow names have loaded (a second request): wait for the names.
    await expect.poll(() => syncRow.textContent()).toMatch(/Shop orders \(sync\).*just now.*POST · key d-9.*succeeded → 201/);
    const slowRow = page.getByTestId(`execution-row-${accepted.executionId}`);
    await expect.poll(() => slowRow.textContent()).toMatch(/Slow async.*POST · \{"ping":1\}.*succeeded → 202.*\d+\.\d s/);
    await shot(page, 'executions-scan');
    await syncRow.getByRole('link', { name: 'Shop orders (sync)' }).click();
    const answer = page.getByTestId('execution-answer');
    await expect(answer.getByTestId('answer-status').textContent()).resolves.toBe('201');
    await expect(answer.textContent()).resolves.toContain('"order": "ord_9"');
    await shot(page, 'execution-answer');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
