/** The editor bar for flows without an inbound URL (schedule, call-trigger), and the error-flow picker (Chromium). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'triggers@example.com', password: 'correct horse battery' };

describe.skipIf(browserMissing())('flow triggers in the editor (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const flows: Record<string, string> = {};

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const make = async (name: string, nodes: unknown[]) => { flows[name] = (await t.api('POST', '/api/flows', { name, nodes, edges: [] })).body.id; };
    await make('Nightly sweep', [{ id: 'tick', type: 'schedule', position: { x: 0, y: 0 }, params: { cron: '0 3 * * *', timezone: 'Europe/Berlin' } }]);
    await make('Shared step', [{ id: 'start', type: 'call-trigger', position: { x: 0, y: 0 }, params: {} }]);
    await make('Alert on failure', [{ id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} }]);
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows no webhook URL for a scheduled or a called flow, and one for a webhook flow', async () => {
    await page.goto(`${t.url}/flows/${flows['Nightly sweep']}`);
    await page.getByTestId('node-tick').waitFor();
    expect(await page.getByTestId('trigger-kind').textContent()).toContain('Runs on a schedule');
    expect(await page.getByTestId('webhook-url').count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Webhook' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Test' }).click();
    expect(await page.getByRole('button', { name: 'Listen for a real event' }).count()).toBe(0);
    await page.getByTestId('node-tick').click();
    await page.getByRole('tab', { name: 'Node' }).click();
    const preview = page.getByTestId('schedule-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toMatch(/^Next runs \(Europe\/Berlin\): .*03:00:00 · .*03:00:00 · .*03:00:00$/);
    await page.screenshot({ path: '/tmp/hookflow-e2e-schedule-bar.png' });
    await page.goto(`${t.url}/flows/${flows['Shared step']}`);
    await page.getByTestId('node-start').waitFor();
    expect(await page.getByTestId('trigger-kind').textContent()).toContain('Called by other flows');
    await page.goto(`${t.url}/flows/${flows['Alert on failure']}`);
    await page.getByTestId('node-hook').waitFor();
    expect(await page.getByTestId('webhook-url').count()).toBe(1);
    expect(await page.getByRole('tab', { name: 'Webhook' }).count()).toBe(1);
    await page.screenshot({ path: '/tmp/hookflow-e2e-webhook-bar.png' });
  });

  it('links a parent execution and the flow it called both ways on the execution pages', async () => {
    const child = (await t.api('POST', '/api/flows', { name: 'Child', nodes: [{ id: 'start', type: 'call-trigger', params: {} }], edges: [] })).body.id;
    const parent = (await t.api('POST', '/api/flows', { name: 'Parent', active: true, nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'sub', type: 'call', params: { flowId: child } }], edges: [{ from: 'hook', to: 'sub' }] })).body;
    const res = await fetch(parent.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { executionId } = (await res.json()) as { executionId: string };
    await expect.poll(async () => (await t.api('GET', `/api/executions/${executionId}`)).body.status, { timeout: 10_000 }).toBe('succeeded');
    await page.goto(`${t.url}/executions/${executionId}`);
    const children = page.getByTestId('execution-children');
    await children.waitFor();
    expect(await children.textContent()).toContain('call from sub');
    await page.screenshot({ path: '/tmp/hookflow-e2e-children.png' });
    await children.getByRole('link').first().click();
    const up = page.getByTestId('execution-parent');
    await up.waitFor();
    expect(await up.textContent()).toContain(executionId);
    expect(await up.textContent()).toContain('node sub');
    // The call node's form picks the flow by name.
    await page.goto(`${t.url}/flows/${parent.id}`);
    await page.getByTestId('node-sub').click();
    const picker = page.getByTestId('flow-picker');
    await picker.waitFor();
    expect(await picker.inputValue()).toBe(child);
    expect(await picker.locator('option:checked').textContent()).toBe('Child (called only)');
    expect(await picker.locator('option').allTextContents()).not.toContain('Parent (webhook)');
    await page.screenshot({ path: '/tmp/hookflow-e2e-flow-picker.png' });
  });

  it('picks the error flow and saves it as settings.onError', async () => {
    await page.goto(`${t.url}/flows/${flows['Nightly sweep']}`);
    await page.getByTestId('node-tick').waitFor();
    await page.getByRole('tab', { name: 'Node' }).click();
    await page.getByTestId('on-error-flow').selectOption({ label: 'Alert on failure' });
    await page.getByTestId('save-flow').click();
    await expect.poll(async () => (await t.api('GET', `/api/flows/${flows['Nightly sweep']}`)).body.settings).toEqual({ onError: flows['Alert on failure'] });
    await page.reload();
    await page.getByTestId('node-tick').waitFor();
    await page.getByRole('tab', { name: 'Node' }).click();
    expect(await page.getByTestId('on-error-flow').inputValue()).toBe(flows['Alert on failure']);
    await page.screenshot({ path: '/tmp/hookflow-e2e-error-flow.png' });
    expect(problems).toEqual([]);
  });
});
