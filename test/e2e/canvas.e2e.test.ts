/** A canvas that stays tidy, and its rules while drawing (Chromium): fixed-size cards, placement, insert on an edge, quick add, menu, notes, refusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'canvas@example.com', password: 'correct horse battery' };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });
type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const box = async (l: Locator): Promise<Box> => { const b = await l.boundingBox(); if (!b) throw new Error('not visible'); return b; };

/** Drag from a node's port handle to another node's input with real pointer moves. */
async function drag(page: Page, from: Locator, to: Locator) {
  const a = await box(from);
  const b = await box(to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

describe.skipIf(browserMissing())('a tidy canvas and its rules (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let flowId = '';
  const problems: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const created = await t.api('POST', '/api/flows', { name: 'Tidy', nodes: [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
      { id: 'calc', type: 'transform', position: { x: 300, y: 0 }, params: { code: "throw new Error('a long message that would make a card grow taller and cover the cards below it')" } },
      { id: 'below', type: 'respond', position: { x: 300, y: 150 }, params: {} }],
    edges: [{ from: 'hook', to: 'calc' }, { from: 'hook', to: 'below' }] });
    flowId = created.body.id;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByTestId('node-below').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('keeps every card its size whatever its run error, so nothing covers the card below', async () => {
    const before = await box(page.getByTestId('node-calc'));
    await page.getByRole('tab', { name: 'Test' }).click();
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('node-status-calc').textContent()).toBe('failed');
    await page.getByTestId('node-error-calc').waitFor();
    const after = await box(page.getByTestId('node-calc'));
    expect(after.height).toBe(before.height);
    expect(overlap(after, await box(page.getByTestId('node-below')))).toBe(false);
  });

  it('adds a clicked palette item right of the selected node without covering anything, selected with its panel open', async () => {
    await page.getByTestId('node-calc').click();
    await page.getByTestId('palette-item-delay').click();
    const added = page.getByTestId('node-delay_1');
    await added.waitFor();
    const [a, calc] = [await box(added), await box(page.getByTestId('node-calc'))];
    expect(a.x).toBeGreaterThan(calc.x + calc.width);
    for (const id of ['hook', 'calc', 'below']) expect(overlap(a, await box(page.getByTestId(`node-${id}`)))).toBe(false);
    await expect(page.getByTestId('node-panel').locator('.node-panel-head code').textContent()).resolves.toBe('delay_1');
    await page.getByTestId('palette-item-delay').click();
    const second = await box(page.getByTestId('node-delay_2'));
    expect(overlap(second, await box(added))).toBe(false);
  });

  it('inserts a node dropped onto an edge between its two ends', async () => {
    const edge = page.getByTestId('rf__edge-hook:out->calc');
    // A point three quarters along the edge's drawn path (its first stretch is shared with hook → below).
    const at = await edge.locator('path.react-flow__edge-path').evaluate((p: SVGPathElement) => {
      const pt = p.getPointAtLength(p.getTotalLength() * 0.75);
      const m = p.getScreenCTM() as DOMMatrix;
      return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
    });
    const canvas = await box(page.getByTestId('canvas'));
    await page.getByTestId('palette-item-validate').dragTo(page.getByTestId('canvas'), { targetPosition: { x: at.x - canvas.x, y: at.y - canvas.y } });
    await page.getByTestId('node-validate_1').waitFor();
    await page.getByTestId('rf__edge-hook:out->validate_1').waitFor();
    await page.getByTestId('rf__edge-validate_1:valid->calc').waitFor();
    await expect(edge.count()).resolves.toBe(0);
    // The cards after it moved right to make room.
    expect(overlap(await box(page.getByTestId('node-validate_1')), await box(page.getByTestId('node-calc')))).toBe(false);
  });

  it('quick add: / opens a search on the canvas, Enter adds the match; a double-click on empty space does too', async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
    await page.keyboard.press('/');
    await page.getByTestId('quick-add').waitFor();
    await page.keyboard.type('condit');
    await page.keyboard.press('Enter');
    await page.getByTestId('node-condition_1').waitFor();
    await page.locator('.react-flow__pane').dblclick({ position: { x: 60, y: 600 } });
    await page.getByTestId('quick-add').getByRole('option', { name: /Transform/ }).click();
    await page.getByTestId('node-transform_1').waitFor();
  });

  it('right-click: duplicate, disable and add a note; the note and the disabled flag are saved with the flow', async () => {
    await page.getByTestId('node-below').click({ button: 'right' });
    await page.getByTestId('canvas-menu').getByRole('menuitem', { name: 'Duplicate' }).click();
    await page.getByTestId('node-respond_1').waitFor();
    await page.getByTestId('node-respond_1').click({ button: 'right' });
    await page.getByTestId('canvas-menu').getByRole('menuitem', { name: 'Disable' }).click();
    await page.getByTestId('node-disabled-respond_1').waitFor();
    // The toolbar can grow a second row once the publish state has loaded, after the canvas was fitted: fit again
    // so the trigger is not left under the bar.
    await page.locator('.react-flow__controls-fitview').click();
    await page.getByTestId('node-hook').click({ button: 'right' });
    await page.getByTestId('canvas-menu').getByRole('menuitem', { name: 'Add note' }).click();
    const note = page.getByLabel('Note text');
    await note.fill('Orders from the shop arrive here');
    await note.blur();
    await page.getByTestId('auto-layout').click();
    await page.waitForTimeout(400);
    const cards = await page.locator('.react-flow__node-hookflow').all();
    const boxes = await Promise.all(cards.map(box));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i], boxes[j])).toBe(false);
    await shot(page, 'canvas-tidy');
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    const saved = (await t.api('GET', `/api/flows/${flowId}`)).body;
    expect(saved.notes).toEqual([expect.objectContaining({ text: 'Orders from the shop arrive here' })]);
    expect(saved.nodes.find((n: { id: string }) => n.id === 'respond_1').disabled).toBe(true);
    await page.reload();
    await expect(page.locator('.sticky').first().textContent()).resolves.toContain('Orders from the shop');
  });

  it('refuses a second trigger, a self-loop and a loop while drawing, with a short message on the canvas', async () => {
    await page.getByTestId('palette-toggle').waitFor();
    await page.getByTestId('palette-item-webhook').click();
    await expect(page.getByTestId('canvas-message').textContent()).resolves.toMatch(/one trigger/);
    await expect(page.locator('[data-testid^="node-webhook_"]').count()).resolves.toBe(0);
    await page.locator('.react-flow__controls-fitview').click();
    await drag(page, page.getByTestId('handle-calc-out'), page.getByTestId('handle-calc-in'));
    await expect(page.getByTestId('canvas-message').textContent()).resolves.toMatch(/cannot connect to itself/);
    await drag(page, page.getByTestId('handle-calc-out'), page.getByTestId('handle-validate_1-in'));
    await expect(page.getByTestId('canvas-message').textContent()).resolves.toMatch(/would make a loop/);
    await expect(page.getByTestId('rf__edge-calc:out->validate_1').count()).resolves.toBe(0);
    await shot(page, 'canvas-refused');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
