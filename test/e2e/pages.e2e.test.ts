/** The editor's other pages in a real Chromium: first-run setup, flow list, credentials, API tokens, inventory. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserMissing, ensureWebBuilt, launchBrowser, type Browser } from './browser.js';

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

describe.skipIf(browserMissing())('editor pages (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({}, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates the owner on /setup with the one-time token', async () => {
    const setupUrl = t.app.setupUrl();
    expect(setupUrl).toMatch(/\/setup\?token=/);
    await page.goto(setupUrl ?? '');
    await page.locator('input[type=email]').fill('first@example.com');
    await page.locator('input[type=password]').fill('short');
    await shot(page, 'setup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/password/i);
    await page.locator('input[type=password]').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${t.url}/`);
    await expect(page.getByTestId('user-email').textContent()).resolves.toBe('first@example.com');
    await page.getByText('No flows yet').waitFor();
  });

  it('lists flows with their switch, and deletes one only after confirmation', async () => {
    const made = await t.api('POST', '/api/flows', { name: 'Stripe payments', nodes: [{ id: 'hook', type: 'webhook', params: {} }], edges: [] });
    await page.reload();
    const row = page.getByTestId(`flow-row-${made.body.id}`);
    await expect(row.locator('code').textContent()).resolves.toBe(made.body.webhook.url);
    await row.getByRole('switch').click();
    await expect.poll(async () => (await t.api('GET', `/api/flows/${made.body.id}`)).body.active).toBe(true);
    await row.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('link', { name: 'Stripe payments (copy)' }).waitFor();
    await shot(page, 'flow-list');
    await row.getByRole('button', { name: 'Delete' }).click();
    expect((await t.api('GET', `/api/flows/${made.body.id}`)).status).toBe(200);
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await t.api('GET', `/api/flows/${made.body.id}`)).status).toBe(404);
    expect((await t.api('GET', '/api/flows')).body.items.map((f: { name: string }) => f.name)).toEqual(['Stripe payments (copy)']);
  });

  it('renames a flow in place: Enter saves, Escape leaves the name alone', async () => {
    const [copy] = (await t.api('GET', '/api/flows')).body.items as Array<{ id: string; name: string }>;
    const row = page.getByTestId(`flow-row-${copy.id}`);
    await row.getByRole('button', { name: `Rename ${copy.name}` }).click();
    await page.getByTestId(`rename-${copy.id}`).fill('Payments from Stripe');
    await page.keyboard.press('Enter');
    await row.getByRole('link', { name: 'Payments from Stripe' }).waitFor();
    await expect.poll(async () => (await t.api('GET', `/api/flows/${copy.id}`)).body.name).toBe('Payments from Stripe');
    await row.getByRole('button', { name: 'Rename Payments from Stripe' }).click();
    await page.getByTestId(`rename-${copy.id}`).fill('Never saved');
    await page.keyboard.press('Escape');
    await row.getByRole('link', { name: 'Payments from Stripe' }).waitFor();
    expect((await t.api('GET', `/api/flows/${copy.id}`)).body.name).toBe('Payments from Stripe');
  });

  it('filters executions by time window', async () => {
    const [flow] = (await t.api('GET', '/api/flows')).body.items as Array<{ id: string }>;
    const run = await t.api('POST', `/api/flows/${flow.id}/test`, { body: { hello: 'world' } });
    await page.goto(`${t.url}/executions`);
    const row = page.getByTestId(`execution-row-${run.body.id}`);
    await row.waitFor();
    await page.getByTestId('time-filter').selectOption('15m');
    await row.waitFor();
    await page.getByTestId('time-filter').selectOption('custom');
    await page.getByLabel('To').fill('2020-01-01T00:00');
    await page.getByText('No executions').waitFor();
    await shot(page, 'executions-time-filter');
    await page.getByLabel('To').fill('');
    await row.waitFor();
  });

  it('creates a credential by type and never shows its secret', async () => {
    await page.getByRole('link', { name: 'Credentials' }).click();
    await page.getByLabel('Name').fill('GitHub secret');
    await page.getByLabel('Secret (one per line, up to 10)').fill('canary-secret-value-123');
    await page.getByRole('button', { name: 'Save credential' }).click();
    await page.getByRole('cell', { name: /GitHub secret/ }).waitFor();
    expect(await page.content()).not.toContain('canary-secret-value-123');
    await shot(page, 'credentials');
  });

  it('creates a credential from the node panel and selects it there', async () => {
    const made = await t.api('POST', '/api/flows', { name: 'Signed hook', edges: [],
      nodes: [{ id: 'hook', type: 'webhook', position: { x: 80, y: 120 }, params: { auth: { kind: 'none' } } }] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await page.goto(`${t.url}/flows/${made.body.id}`);
    await page.getByTestId('node-hook').click();
    const panel = page.getByTestId('node-panel');
    // The credential field applies once a check needs one.
    await expect(panel.getByTestId('credential-create-new').count()).resolves.toBe(0);
    await panel.getByLabel('Check requests with').selectOption('hmac');
    await panel.getByTestId('credential-create-new').click();
    const form = panel.getByTestId('new-credential-form');
    await form.getByLabel('Name').fill('Shop secret');
    await form.getByLabel('Secret (one per line, up to 10)').fill('inline-canary-secret-456');
    await form.getByRole('button', { name: 'Save credential' }).click();
    await form.waitFor({ state: 'detached' });
    const created = (await t.api('GET', '/api/credentials')).body.items.find((c: { name: string }) => c.name === 'Shop secret');
    expect(created).toBeTruthy();
    await expect(panel.locator('select', { has: page.locator(`option[value="${created.id}"]`) }).inputValue()).resolves.toBe(created.id);
    await page.getByTestId('unsaved-marker').waitFor();
    expect(await page.content()).not.toContain('inline-canary-secret-456');
    await shot(page, 'credential-inline');
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    expect((await t.api('GET', `/api/flows/${made.body.id}`)).body.nodes[0].params.auth.credentialId).toBe(created.id);
  });

  it('creates an API token that works as a bearer token, shown once', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Token name').fill('deploy');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByRole('status').locator('code').textContent()) ?? '';
    expect(token).toMatch(/^hf_/);
    const r = await fetch(`${t.url}/api/flows`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    await page.reload();
    await page.getByRole('cell', { name: 'deploy' }).waitFor();
    expect(await page.content()).not.toContain(token);
  });

  it('creates a read-only token: it reads, it cannot write', async () => {
    await page.getByLabel('Token name').fill('dashboard');
    await page.getByTestId('token-scope').selectOption('read');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByRole('status').locator('code').textContent()) ?? '';
    expect(token).toMatch(/^hf_/);
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${t.url}/api/flows`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${t.url}/api/flows`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
    await page.getByRole('cell', { name: 'read-only' }).waitFor();
    await shot(page, 'settings-tokens');
  });

  it('sets stock and shows the SKU\'s movements', async () => {
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByLabel('SKU').fill('MUG');
    await page.getByLabel('Name').fill('Coffee mug');
    await page.getByLabel('Quantity').fill('12');
    await page.getByRole('button', { name: 'Set stock' }).click();
    await page.getByRole('cell', { name: 'Coffee mug' }).waitFor();
    await page.getByRole('button', { name: 'Movements' }).click();
    await page.getByText('0 → 12').waitFor();
    expect((await t.api('GET', '/api/inventory/MUG')).body).toMatchObject({ quantity: 12 });
    await shot(page, 'inventory');
  });

  it('opens a 200-node flow quickly, keeps dragging responsive, and asks before leaving unsaved changes', async () => {
    const nodes = [{ id: 'hook', type: 'webhook', params: {} },
      ...Array.from({ length: 199 }, (_, i) => ({ id: `t${i}`, type: 'transform', params: { code: 'return input' } }))];
    const edges = nodes.slice(1).map((n, i) => ({ from: i === 0 ? 'hook' : `t${i - 1}`, to: n.id }));
    const big = await t.api('POST', '/api/flows', { name: 'Big flow', nodes, edges });
    expect(big.status).toBe(201);
    const started = Date.now();
    await page.goto(`${t.url}/flows/${big.body.id}`);
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000);
    await page.getByTestId('auto-layout').click();
    const box = await page.getByTestId('node-hook').boundingBox();
    if (!box) throw new Error('hook not visible');
    const t0 = Date.now();
    await page.mouse.move(box.x + 40, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + 120, { steps: 20 });
    await page.mouse.up();
    expect(Date.now() - t0).toBeLessThan(5000);
    await page.getByTestId('unsaved-marker').waitFor();
    await shot(page, 'big-flow');
    page.once('dialog', (d) => void d.dismiss());
    await page.getByRole('link', { name: 'Executions' }).click();
    expect(new URL(page.url()).pathname).toBe(`/flows/${big.body.id}`);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('link', { name: 'Executions' }).click();
    await page.waitForURL(`${t.url}/executions`);
  });
});
