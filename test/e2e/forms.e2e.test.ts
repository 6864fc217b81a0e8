/** Valid from the start (Chromium): defaults that save, the condition rule builder, enums as selects, fields that apply, labels for people, messages in words. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'forms@example.com', password: 'correct horse battery' };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

describe.skipIf(browserMissing())('forms that start valid (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let flowId = '';
  const problems: string[] = [];
  const panel = () => page.getByTestId('node-panel');

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    flowId = (await t.api('POST', '/api/flows', { name: 'Forms', nodes: [{ id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} }], edges: [] })).body.id;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByTestId('node-hook').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('every node type but email saves and runs as added (transform returns its input)', async () => {
    for (const type of ['validate', 'transform', 'condition', 'delay', 'inventory', 'http', 'switch', 'set', 'merge', 'split', 'aggregate', 'respond']) {
      await page.getByTestId(`palette-item-${type}`).click();
      await page.getByTestId(`node-${type}_1`).waitFor();
    }
    await expect(panel().locator('.node-panel-head code').textContent()).resolves.toBe('respond_1');
    // Each new node came into view as it was added; show them all again.
    await page.locator('.react-flow__controls-fitview').click();
    await page.waitForTimeout(300);
    await page.getByTestId('node-transform_1').click();
    await expect(panel().getByTestId('code-editor-input').textContent()).resolves.toBe('return input;');
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    await expect(page.getByTestId('problems-list').count()).resolves.toBe(0);
    const saved = (await t.api('GET', `/api/flows/${flowId}`)).body;
    expect(saved.nodes.find((n: { id: string }) => n.id === 'condition_1').params).toEqual({ rules: [{ path: 'input.body', op: 'exists' }], combine: 'all' });
  });

  it('builds condition rules: path with completion, an operator list, a value, all/any; the expression mode starts without a false syntax error', async () => {
    await page.getByTestId('node-condition_1').click();
    await panel().getByLabel('Rule 1 path').fill('input.body.total');
    await panel().getByLabel('Rule 1 operator').selectOption({ label: 'is greater than' });
    await panel().getByLabel('Rule 1 value').fill('100');
    await panel().getByTestId('add-rule').click();
    await panel().getByLabel('Rule 2 path').fill('input.body.currency');
    await panel().getByLabel('Rule 2 operator').selectOption({ label: 'equals' });
    await panel().getByLabel('Rule 2 value').fill('EUR');
    await panel().getByLabel(/Go to/).selectOption({ label: 'any rule' });
    await expect(panel().locator('datalist option[value="trigger.body"]').count()).resolves.toBe(1);
    await shot(page, 'condition-rules');
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    const cond = (await t.api('GET', `/api/flows/${flowId}`)).body.nodes.find((n: { id: string }) => n.id === 'condition_1');
    expect(cond.params).toEqual({ rules: [{ path: 'input.body.total', op: 'gt', value: 100 }, { path: 'input.body.currency', op: 'eq', value: 'EUR' }], combine: 'any' });
    await panel().getByLabel('a JavaScript expression').check();
    await panel().getByTestId('code-editor').waitFor();
    await page.waitForTimeout(500);
    await expect(panel().getByTestId('code-diagnostics').count()).resolves.toBe(0);
    await panel().getByTestId('code-editor-input').fill('input.body.total > 100');
    await panel().getByLabel('rules').check();
    await expect(panel().getByLabel('Rule 1 path').inputValue()).resolves.toBe('input.body');
  });

  it('enums are selects, fields show only when they apply, labels read for people, one Timeout per node', async () => {
    await page.getByTestId('node-http_1').click();
    const method = panel().getByLabel('Method', { exact: true });
    await expect(method.evaluate((el) => el.tagName)).resolves.toBe('SELECT');
    await expect(panel().getByLabel('Signature header').count()).resolves.toBe(0);
    await panel().getByLabel('Sign requests with').selectOption('hmac');
    await panel().getByLabel('Signature header').waitFor();
    await panel().getByLabel('Sign requests with').selectOption({ label: 'not signed (default)' });
    await expect(panel().getByLabel('Signature header').count()).resolves.toBe(0);
    await method.selectOption('GET');
    await expect(panel().getByLabel('Body (JSON)', { exact: true }).count()).resolves.toBe(0);
    await expect(panel().getByText('Timeout (ms)', { exact: true }).count()).resolves.toBe(1);
    await page.getByTestId('node-delay_1').click();
    await panel().getByText('Delay (ms)', { exact: true }).waitFor();
    await panel().getByText('Until (date and time)', { exact: true }).waitFor();
    await page.getByTestId('node-hook').click();
    await expect(panel().getByLabel('Answer within (ms)').count()).resolves.toBe(0);
    await panel().getByLabel('Answer', { exact: true }).selectOption('sync');
    await panel().getByLabel('Answer within (ms)').waitFor();
    await shot(page, 'forms-webhook');
  });

  it('says what went wrong in words, the code second; the test panel lists steps by name', async () => {
    await page.getByTestId('node-transform_1').click();
    await panel().getByLabel('Name').fill('Compute totals');
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('test-status').textContent(), { timeout: 15_000 }).not.toBe('running');
    await expect(page.getByTestId('test-result').textContent()).resolves.toContain('Compute totals');
    // Someone else saves in between: the editor's save is refused with a sentence, and the code comes second.
    const current = (await t.api('GET', `/api/flows/${flowId}`)).body;
    expect((await t.api('PUT', `/api/flows/${flowId}`, { name: current.name, nodes: current.nodes, edges: current.edges })).status).toBe(200);
    await page.getByTestId('node-hook').click();
    await panel().getByLabel('Name').fill('Orders in');
    await page.getByTestId('save-flow').click();
    const alert = page.getByRole('alert').first();
    await expect(alert.textContent()).resolves.toMatch(/^[A-Z].*\.\s*version_conflict$/);
    await expect(alert.locator('.err-code').textContent()).resolves.toBe('version_conflict');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
