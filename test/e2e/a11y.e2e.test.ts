/** Keyboard, accessibility and small screens in Chromium: setup form, delete + undo, focus rings, Enter opens, axe-core scans, 1024×700. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { browserMissing, ensureWebBuilt, launchBrowser, type Browser } from './browser.js';
import { noSidewaysScroll, seriousViolations } from './a11y.js';

const EMAIL = 'a11y@example.com';
const PASSWORD = 'a long enough password';
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

describe.skipIf(browserMissing())('keyboard, accessibility and small screens (Chromium)', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const ids = { simple: '', order: '', exec: '' };

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({}, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
    const simple = await t.api('POST', '/api/flows', { name: 'Keyboard', nodes: [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
      { id: 'calc', type: 'transform', name: 'Calculate', position: { x: 300, y: 0 }, params: { code: 'return input;' } }],
    edges: [{ from: 'hook', to: 'calc' }] });
    ids.simple = simple.body.id;
    const doc = JSON.parse(readFileSync('examples/order-to-inventory.json', 'utf8'));
    ids.order = (await t.api('POST', '/api/flows?credentialProblems=flag', { ...doc, active: false })).body.id;
    const sync = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
      { id: 'reply', type: 'respond', params: { status: 201 } }], [{ from: 'hook', to: 'reply' }], 'Sync answer');
    const r = await post(sync.hook, '{"id":"ord_7"}');
    ids.exec = ((await t.api('GET', `/api/executions?flowId=${sync.id}`)).body.items[0]?.id) ?? '';
    expect(r.status).toBe(201);
    await finished(t, ids.exec);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('setup: the password field is a new password, and a refused one is explained on that field', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(t.app.setupUrl() ?? '');
    const password = page.locator('input[type=password]');
    await expect(password.getAttribute('autocomplete')).resolves.toBe('new-password');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await page.locator('input[type=email]').fill(EMAIL);
    await password.fill('too short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
    await expect(page.locator(`[id="${describedBy}"]`).textContent()).resolves.toMatch(/at least 12 characters/);
    await shot(page, 'setup-error');
    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('user-email').waitFor();
  });

  it('keyboard: Enter opens the focused node, focus rings show, Delete keeps focus on the canvas and Ctrl+Z undoes', async () => {
    await page.goto(`${t.url}/flows/${ids.simple}`);
    const card = page.locator('.react-flow__node[data-id="calc"]');
    await card.focus();
    const ring = await card.evaluate((el) => getComputedStyle(el.querySelector('.fnode') as Element).outlineStyle);
    expect(ring).toBe('solid');
    await expect(card.getAttribute('aria-label')).resolves.toBe('Calculate (Transform)');
    await page.keyboard.press('Enter');
    await page.getByTestId('node-details').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('node-details').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe('calc');
    const edge = page.getByTestId('rf__edge-hook:out->calc');
    await edge.focus();
    await expect(edge.evaluate((el) => getComputedStyle(el.querySelector('.react-flow__edge-path') as Element).strokeWidth)).resolves.toBe('4px');
    // Selected with the mouse, or reached with Tab: Delete removes it, focus stays on the canvas, Ctrl+Z brings it back with its edge.
    for (const how of ['click', 'focus'] as const) {
      if (how === 'click') await page.getByTestId('node-calc').click(); else await card.focus();
      await page.keyboard.press('Delete');
      await page.getByTestId('node-calc').waitFor({ state: 'detached' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('react-flow'))).toBe(true);
      await page.keyboard.press('Control+z');
      await page.getByTestId('node-calc').waitFor();
      await expect(page.locator('.react-flow__edge').count()).resolves.toBe(1);
    }
  });

  const pages = () => [
    ['flows', '/', 'create-flow'], ['editor', `/flows/${ids.order}`, 'canvas'], ['executions', '/executions', 'executions-list'],
    ['execution', `/executions/${ids.exec}`, 'execution-answer'], ['credentials', '/credentials', 'new-credential-form'],
    ['inventory', '/inventory', null], ['settings', '/settings', null],
  ] as const;

  for (const [w, h] of [[1440, 900], [1024, 700]] as const) {
    it(`axe-core finds no serious or critical violation on any page at ${w}×${h}, and no page scrolls sideways`, async () => {
      await page.setViewportSize({ width: w, height: h });
      const found: string[] = [];
      for (const [name, path, ready] of pages()) {
        await page.goto(`${t.url}${path}`);
        if (ready) await page.getByTestId(ready).waitFor(); else await page.locator('h1').waitFor();
        await page.waitForTimeout(300);
        found.push(...(await seriousViolations(page)).map((v) => `${name}: ${v}`));
        if (!(await noSidewaysScroll(page))) found.push(`${name}: scrolls sideways at ${w}px`);
        await shot(page, `${name}-${w}`);
      }
      // The node details view, opened on the editor.
      await page.goto(`${t.url}/flows/${ids.order}`);
      await page.locator('.react-flow__node[data-id="totals"]').dblclick();
      await page.getByTestId('node-details').waitFor();
      found.push(...(await seriousViolations(page)).map((v) => `details: ${v}`));
      await shot(page, `details-${w}`);
      expect(found).toEqual([]);
    });
  }

  it('at 1024×700 palette and panel start collapsed and open on demand, and the webhook URL stays readable with a copy button', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${t.url}/flows/${ids.simple}`);
    await page.getByTestId('canvas').waitFor();
    await expect(page.getByTestId('palette-toggle').getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.getByTestId('panel-toggle').getAttribute('aria-expanded')).resolves.toBe('false');
    expect((await page.getByTestId('canvas').boundingBox())?.width).toBeGreaterThan(850);
    const url = page.getByTestId('webhook-url');
    expect((await url.boundingBox())?.width).toBeGreaterThan(300);
    await expect(url.locator('.url-tail').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Copy URL' }).isVisible()).resolves.toBe(true);
    await page.getByTestId('palette-toggle').click();
    await page.getByTestId('palette-item-transform').click();
    await page.getByTestId('node-transform_1').waitFor();
    await page.getByTestId('node-panel').waitFor();
    await expect(noSidewaysScroll(page)).resolves.toBe(true);
    await shot(page, 'editor-1024-open');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
