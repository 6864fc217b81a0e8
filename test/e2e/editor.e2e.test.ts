/** The editor in a real Chromium against a real server: log in, build webhook → transform by drag and drop, save, activate, test. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserMissing, ensureWebBuilt, launchBrowser, type Browser } from './browser.js';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

/** Drag from a node's port handle to another node's input with real pointer moves; retried if the drop missed. */
async function connect(page: Page, from: string, port: string, to: string) {
  const edge = page.getByTestId(`rf__edge-${from}:${port}->${to}`);
  for (let attempt = 0; attempt < 3 && (await edge.count()) === 0; attempt++) {
    const a = await page.getByTestId(`handle-${from}-${port}`).boundingBox();
    const b = await page.getByTestId(`handle-${to}-in`).boundingBox();
    if (!a || !b) throw new Error(`handle of ${from} or ${to} is not visible`);
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
    await page.mouse.up();
    await edge.waitFor({ timeout: 2000 }).catch(() => undefined);
  }
  await edge.waitFor();
}

describe.skipIf(browserMissing())('editor end to end (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const pageProblems: string[] = [];
  let flowId = '';

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: EMAIL, HOOKFLOW_OWNER_PASSWORD: PASSWORD }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) pageProblems.push(m.text()); });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends a signed-out visitor to the login form and signs in', async () => {
    await page.goto(`${t.url}/executions`);
    await page.waitForURL(/\/login\?next=/);
    await page.locator('input[type=email]').fill(EMAIL);
    await page.locator('input[type=password]').fill('wrong password 123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('invalid_credentials');
    await page.locator('input[type=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.url}/executions`);
    await expect(page.getByTestId('user-email').textContent()).resolves.toBe(EMAIL);
  });

  it('creates a flow from the list and opens its canvas', async () => {
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByLabel('New flow name').fill('Orders from the shop');
    await page.getByTestId('create-flow').click();
    await page.waitForURL(/\/flows\/flw_/);
    flowId = page.url().split('/flows/')[1];
    await page.getByTestId('node-hook').waitFor();
    await expect(page.getByTestId('webhook-url').textContent()).resolves.toMatch(/\/hooks\//);
    // The editor fills the window at 1280×800 without scrolling the page.
    await expect(page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).resolves.toBe(true);
  });

  it('builds webhook → validate → transform → respond by dragging from the palette and connecting handles', async () => {
    // Drop points keep every handle well inside the canvas: near its border xyflow pans while connecting.
    const canvas = page.getByTestId('canvas');
    for (const [type, x, y] of [['validate', 200, 200], ['transform', 380, 560], ['respond', 560, 160]] as const) {
      await page.getByTestId(`palette-item-${type}`).dragTo(canvas, { targetPosition: { x, y } });
      await page.getByTestId(`node-${type}_1`).waitFor();
    }
    await shot(page, 'canvas-dropped');
    await connect(page, 'hook', 'out', 'validate_1');
    await connect(page, 'validate_1', 'valid', 'transform_1');
    await connect(page, 'transform_1', 'out', 'respond_1');
    await shot(page, 'canvas-built');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await page.getByTestId('unsaved-marker').waitFor();
  });

  it('undoes and redoes, copies, pastes and deletes nodes, and lays them out', async () => {
    await page.getByTestId('undo').click();
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await page.getByTestId('redo').click();
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await page.getByTestId('node-transform_1').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.getByTestId('node-transform_2').waitFor();
    await page.keyboard.press('Delete');
    await page.getByTestId('node-transform_2').waitFor({ state: 'detached' });
    await page.getByTestId('auto-layout').click();
    await expect.poll(async () => {
      const boxes = await Promise.all(['hook', 'validate_1', 'transform_1', 'respond_1'].map((id) => page.getByTestId(`node-${id}`).boundingBox()));
      return boxes.every((b, i) => b && (i === 0 || (boxes[i - 1]?.x ?? Infinity) < b.x));
    }).toBe(true);
  });

  it('lists every problem of a save at once; a click selects the node and its field; saves once they are fixed', async () => {
    // New nodes start valid (transform returns its input); empty the code and break the schema to get problems.
    const panel = page.getByTestId('node-panel');
    await page.getByTestId('node-transform_1').click();
    await expect(panel.getByTestId('code-editor-input').textContent()).resolves.toBe('return input;');
    await panel.getByTestId('code-editor-input').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.getByTestId('node-respond_1').click();
    await panel.getByLabel('Status code').fill('99');
    await page.getByTestId('save-flow').click();
    const problems = page.getByTestId('problems-list');
    await expect(problems.textContent()).resolves.toMatch(/2 problems to fix/);
    await expect(problems.textContent()).resolves.toContain('Code: is required');
    await expect(page.getByTestId('node-problems-transform_1').textContent()).resolves.toContain('params.code');
    await shot(page, 'canvas-invalid');
    await problems.getByTestId('problem').filter({ hasText: 'transform_1' }).click();
    await expect(panel.locator('.node-panel-head code').textContent()).resolves.toBe('transform_1');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('code-editor-input');
    await page.keyboard.type('return { total: input.body.items.reduce((s, i) => s + i.price * i.qty, 0) }');
    await page.getByTestId('node-validate_1').click();
    await panel.getByTestId('infer-schema').click();
    await expect(panel.getByLabel('Schema (JSON)').inputValue()).resolves.toContain('"customer"');
    await panel.getByLabel('Schema (JSON)').fill('{"type": "object", "required": ["items"]}');
    await panel.getByLabel('Schema (JSON)').blur();
    await page.getByTestId('node-respond_1').click();
    await panel.getByLabel('Status code').fill('');
    await panel.getByLabel('Body (JSON)').fill('{"total": "{{ input.total }}"}');
    await panel.getByLabel('Body (JSON)').blur();
    await page.keyboard.press('Control+s');
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    await expect(page.locator('[data-testid^="node-problems-"]').count()).resolves.toBe(0);
    await expect(problems.count()).resolves.toBe(0);
    await shot(page, 'canvas-saved');
  });

  it('activates the flow and test-runs it: every node succeeds', async () => {
    await page.getByTestId('activate-flow').click();
    await expect.poll(() => page.getByTestId('activate-flow').getAttribute('aria-pressed')).toBe('true');
    const saved = await t.api('GET', `/api/flows/${flowId}`);
    expect(saved.body).toMatchObject({ active: true, nodes: [{ id: 'hook' }, { id: 'validate_1', params: { schema: { required: ['items'] } } }, {}, {}] });
    expect(saved.body.edges).toContainEqual({ from: 'validate_1', fromPort: 'valid', to: 'transform_1' });
    await page.getByRole('tab', { name: 'Test' }).click();
    await expect(page.getByTestId('test-payload').inputValue()).resolves.toContain('ord_1001');
    await page.getByTestId('test-headers').fill('["not", "an object"]');
    await page.getByTestId('send-test-event').click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('must be a JSON object');
    await page.getByTestId('test-headers').fill('{"x-shop": "demo"}');
    await page.getByTestId('send-test-event').click();
    for (const id of ['hook', 'validate_1', 'transform_1', 'respond_1'])
      await expect.poll(() => page.getByTestId(`node-status-${id}`).textContent()).toBe('succeeded');
    await page.getByTestId('node-transform_1').click();
    await expect(page.getByTestId('node-run').textContent()).resolves.toContain('"total": 48');
    const runs = await t.api('GET', `/api/executions?flowId=${flowId}`);
    expect(runs.body.items).toHaveLength(1);
    expect((await t.api('GET', `/api/executions/${runs.body.items[0].id}`)).body.trigger.headers).toMatchObject({ 'x-shop': 'demo' });
    await shot(page, 'canvas-after-test');
  });

  it('shows a failing node\'s error on the canvas', async () => {
    await page.getByTestId('node-transform_1').click();
    await page.getByTestId('node-panel').getByTestId('code-editor-input').fill("throw new Error('out of stock')");
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('node-status-transform_1').textContent()).toBe('failed');
    await expect(page.getByTestId('node-error-transform_1').textContent()).resolves.toContain('out of stock');
    await expect(page.getByTestId('test-status').textContent()).resolves.toBe('failed');
    await shot(page, 'canvas-failed');
    await page.getByTestId('node-hook').click();
    await page.getByTestId('node-panel').getByText('Parameters').waitFor();
    await shot(page, 'webhook-panel');
  });

  it('rotates the webhook URL after confirmation; the old URL stops answering', async () => {
    const before = (await page.getByTestId('webhook-url').textContent()) ?? '';
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Rotate' }).click();
    await expect.poll(() => page.getByTestId('webhook-url').textContent()).not.toBe(before);
    expect((await fetch(before, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(404);
    const after = (await page.getByTestId('webhook-url').textContent()) ?? '';
    expect((await fetch(after, { method: 'POST', body: '{"items":[]}', headers: { 'content-type': 'application/json' } })).status).toBe(202);
    await page.getByRole('tab', { name: 'Webhook' }).click();
    await expect.poll(() => page.getByTestId('webhook-curl').textContent()).toContain(after);
    await shot(page, 'webhook-docs');
  });

  it('lists the runs on /executions, opens one and replays it', async () => {
    const runs = await t.api('GET', '/api/executions');
    expect(runs.body.items.length).toBeGreaterThanOrEqual(2);
    // The test run from the panel (the webhook delivery after the rotation may also have finished by now, on another path).
    const id = (runs.body.items as { id: string; status: string; mode: string }[]).find((x) => x.status === 'succeeded' && x.mode === 'test')?.id ?? 'none';
    await page.getByRole('link', { name: 'Executions' }).click();
    await page.getByTestId('executions-list').waitFor();
    await page.getByTestId(`execution-row-${id}`).getByRole('link').click();
    await page.waitForURL(`${t.url}/executions/${id}`);
    await expect(page.getByTestId('execution-status').textContent()).resolves.toBe('succeeded');
    await page.getByRole('link', { name: 'Orders from the shop' }).waitFor();
    await expect(page.locator('.facts').textContent()).resolves.toMatch(/Duration\d+(\.\d)? m?s/);
    await page.getByTestId('step-transform_1').waitFor();
    // The version it ran, read-only, with the path taken; a click on a node opens that node's step.
    // (This count failed intermittently once: see execution-canvas.tsx and execution-canvas.e2e.test.ts.)
    const canvas = page.getByTestId('execution-canvas');
    await canvas.waitFor();
    await expect.poll(() => canvas.locator('.react-flow__edge.taken').count(), { timeout: 15_000 }).toBe(3);
    await expect(canvas.getByTestId('node-status-respond_1').textContent()).resolves.toBe('succeeded');
    await canvas.getByTestId('node-validate_1').click();
    await expect.poll(() => page.getByTestId('step-validate_1').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    await shot(page, 'execution');
    await page.getByTestId('replay-execution').click();
    await page.waitForURL((u) => /\/executions\/exe_/.test(u.pathname) && !u.pathname.endsWith(id));
    await page.getByRole('link', { name: id }).waitFor();
    // A rerun of a test run uses the draft, where the transform above now throws.
    await expect.poll(() => page.getByTestId('execution-status').textContent()).toBe('failed');
  });

  it('shows each node\'s status live while a test run is in flight', async () => {
    const created = await t.api('POST', '/api/flows', {
      name: 'Live', nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'pause', type: 'delay', params: { ms: 4000 } }],
      edges: [{ from: 'hook', to: 'pause' }],
    });
    await page.goto(`${t.url}/flows/${created.body.id}`);
    await page.getByTestId('node-pause').waitFor();
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByTestId('send-test-event').click();
    // The delay parks the run: the badge shows it waiting before the run has finished.
    await expect.poll(() => page.getByTestId('node-status-pause').textContent(), { timeout: 3500, interval: 50 }).toBe('waiting');
    await expect.poll(() => page.getByTestId('node-status-hook').textContent()).toBe('succeeded');
    await expect.poll(() => page.getByTestId('node-status-pause').textContent(), { timeout: 10_000 }).toBe('succeeded');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(pageProblems).toEqual([]);
  });
});
