/** The switch node in the editor (Chromium): one port per case plus default, the condition rule builder per case, edges that follow their case. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'switch@example.com', password: 'correct horse battery' };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

describe.skipIf(browserMissing())('switch in the editor (Chromium)', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let flowId = '';
  const problems: string[] = [];
  const panel = () => page.getByTestId('node-panel');
  const saved = async () => (await t.api('GET', `/api/flows/${flowId}`)).body;
  const save = async () => {
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
  };
  const portNames = () => page.getByTestId('node-sw').locator('.fnode-port span').allTextContents();

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const rule = (value: string) => [{ path: 'trigger.headers.x-github-event', op: 'eq', value }];
    flowId = (await t.api('POST', '/api/flows', {
      name: 'Switch',
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
        { id: 'sw', type: 'switch', position: { x: 300, y: 0 }, params: { cases: [{ id: 'push', name: 'Push', rules: rule('push') }, { id: 'pr', rules: rule('pull_request') }] } },
        { id: 'onPush', type: 'respond', position: { x: 650, y: -150 }, params: {} },
        { id: 'onPr', type: 'respond', position: { x: 650, y: 50 }, params: {} },
        { id: 'other', type: 'respond', position: { x: 650, y: 250 }, params: {} },
        { id: 'shape', type: 'set', position: { x: 900, y: 250 }, params: { assignments: [{ path: 'a', value: 1 }] } },
      ],
      edges: [{ from: 'hook', to: 'sw' }, { from: 'sw', fromPort: 'push', to: 'onPush' }, { from: 'sw', fromPort: 'pr', to: 'onPr' }, { from: 'other', to: 'shape' }],
    })).body.id;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByTestId('node-sw').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('draws one port per case (named when the case has a name), then default and error', async () => {
    await expect(portNames()).resolves.toEqual(['Push', 'pr', 'default', 'error']);
    for (const p of ['push', 'pr', 'default', 'error']) await expect(page.getByTestId(`handle-sw-${p}`).count()).resolves.toBe(1);
    await expect(page.locator('.react-flow__edge').count()).resolves.toBe(4);
  });

  it('builds a new case with the condition rule builder, adds its port, and connects it', async () => {
    await page.getByTestId('node-sw').click();
    await panel().getByTestId('add-case').click();
    await panel().getByLabel('Case 3 name').fill('Issues');
    await panel().getByLabel('Case 3 rule 1 path').fill('trigger.headers.x-github-event');
    await panel().getByLabel('Case 3 rule 1 operator').selectOption({ label: 'equals' });
    await panel().getByLabel('Case 3 rule 1 value').fill('issues');
    await panel().getByRole('button', { name: 'Add rule to case 3' }).click();
    await panel().getByLabel('Case 3 rule 2 path').fill('input.body.action');
    await panel().getByLabel('Case 3 rule 2 operator').selectOption({ label: 'exists' });
    await panel().getByLabel('Case 3 combine').selectOption({ label: 'all rules hold' });
    await expect(portNames()).resolves.toEqual(['Push', 'pr', 'Issues', 'default', 'error']);
    // The panel covers the right of the canvas: show every node before drawing the edge.
    await page.locator('.react-flow__controls-fitview').click();
    await page.waitForTimeout(300);
    await drag(page, page.getByTestId('handle-sw-case3'), page.getByTestId('handle-other-in'));
    await shot(page, 'switch-cases');
    await save();
    const f = await saved();
    expect(f.nodes.find((n: { id: string }) => n.id === 'sw').params.cases[2]).toEqual({
      id: 'case3', name: 'Issues', combine: 'all',
      rules: [{ path: 'trigger.headers.x-github-event', op: 'eq', value: 'issues' }, { path: 'input.body.action', op: 'exists' }],
    });
    expect(f.edges).toContainEqual({ from: 'sw', fromPort: 'case3', to: 'other' });
  });

  it('keeps each edge on its case when cases are reordered, and drops the edge of a removed case', async () => {
    await page.getByTestId('node-sw').click();
    await panel().getByRole('button', { name: 'Move case 2 down' }).click();
    await panel().getByRole('button', { name: 'Move case 1 down' }).click();
    await expect(portNames()).resolves.toEqual(['Issues', 'Push', 'pr', 'default', 'error']);
    await save();
    let f = await saved();
    expect(f.nodes.find((n: { id: string }) => n.id === 'sw').params.cases.map((c: { id: string }) => c.id)).toEqual(['case3', 'push', 'pr']);
    expect(f.edges).toEqual(expect.arrayContaining([{ from: 'sw', fromPort: 'push', to: 'onPush' }, { from: 'sw', fromPort: 'pr', to: 'onPr' }, { from: 'sw', fromPort: 'case3', to: 'other' }]));
    await panel().getByRole('button', { name: 'Remove case 3' }).click();
    await expect(portNames()).resolves.toEqual(['Issues', 'Push', 'default', 'error']);
    await save();
    f = await saved();
    expect(f.edges.filter((e: { from: string }) => e.from === 'sw')).toEqual(expect.arrayContaining([{ from: 'sw', fromPort: 'push', to: 'onPush' }, { from: 'sw', fromPort: 'case3', to: 'other' }]));
    expect(f.edges.some((e: { fromPort?: string }) => e.fromPort === 'pr')).toBe(false);
    await shot(page, 'switch-reordered');
    expect(problems).toEqual([]);
  });

  it('the set form: one row per field with a value or a template and a type, keep or drop the rest', async () => {
    await page.getByTestId('node-shape').click();
    await panel().getByLabel('Field 1 path').fill('order.id');
    await panel().getByLabel('Field 1 value').fill('{{ input.body.id }}');
    await panel().getByLabel('Field 1 type').selectOption({ label: 'text' });
    await panel().getByTestId('add-assignment').click();
    await panel().getByLabel('Field 2 path').fill('order.total');
    await panel().getByLabel('Field 2 value').fill('{{ input.body.total }}');
    await panel().getByLabel('Field 2 type').selectOption({ label: 'number' });
    await panel().getByLabel('Other input fields').selectOption({ label: 'drop them' });
    await page.screenshot({ path: '/tmp/hookflow-e2e-set-form.png' });
    await save();
    const set = (await saved()).nodes.find((n: { id: string }) => n.id === 'shape');
    expect(set.params).toEqual({ keep: 'none', assignments: [
      { path: 'order.id', value: '{{ input.body.id }}', type: 'string' }, { path: 'order.total', value: '{{ input.body.total }}', type: 'number' }] });
    expect(problems).toEqual([]);
  });

  it('value mode: one path, each case a value (a JSON array matches any of its elements); the cases keep their ports', async () => {
    await page.getByTestId('node-sw').click();
    await panel().getByLabel('one value compared with each case').check();
    await panel().getByLabel('Value at path').fill('trigger.headers.x-github-event');
    await panel().getByLabel('Case 1 value').fill('issues');
    await panel().getByLabel('Case 2 value').fill('["push", "create"]');
    await expect(portNames()).resolves.toEqual(['Issues', 'Push', 'default', 'error']);
    await save();
    const sw = (await saved()).nodes.find((n: { id: string }) => n.id === 'sw');
    expect(sw.params).toMatchObject({ mode: 'value', path: 'trigger.headers.x-github-event', cases: [
      { id: 'case3', name: 'Issues', equals: 'issues' }, { id: 'push', name: 'Push', equals: ['push', 'create'] }] });
    expect(problems).toEqual([]);
  });
});
