/**
 * The execution page's read-only canvas always shows the path taken (Chromium), whatever order its data arrives in:
 * the execution (loaded twice: at once and again on the stream's snapshot), the flow version and the node catalogue.
 * Before the fix, now and then (one cold page load in fifteen on a busy machine, rarely on an idle one) every node was
 * left unmeasured (hidden) after the view had been fitted, and no edge was drawn at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const owner = { email: 'exec-canvas@example.com', password: 'correct horse battery' };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(browserMissing())('execution canvas: the path taken (Chromium)', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let executionId = '';
  const problems: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const flowId = (await t.api('POST', '/api/flows', {
      name: 'Path',
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
        { id: 'check', type: 'validate', position: { x: 280, y: 0 }, params: { schema: { type: 'object' } } },
        { id: 'shape', type: 'transform', position: { x: 560, y: 0 }, params: { code: 'return { ok: true };' } },
        { id: 'reply', type: 'respond', position: { x: 840, y: 0 }, params: {} },
        { id: 'bad', type: 'transform', position: { x: 560, y: 200 }, params: { code: 'return input;' } },
      ],
      edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'shape' }, { from: 'shape', to: 'reply' }, { from: 'check', fromPort: 'invalid', to: 'bad' }],
    })).body.id;
    const run = await t.api('POST', `/api/flows/${flowId}/test`, { body: { id: 1 } });
    expect(run.body.status).toBe('succeeded');
    executionId = run.body.id;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Open the execution and wait until its canvas has settled; the taken edges then. */
  const open = async (): Promise<void> => {
    await page.goto(`${t.url}/executions/${executionId}`);
    const canvas = page.getByTestId('execution-canvas');
    await canvas.waitFor();
    await expect.poll(() => canvas.getByTestId('node-status-reply').textContent()).toBe('succeeded');
    // Both loads of the execution are in once the stream has said the run is over; then the canvas has had its chance.
    await page.waitForLoadState('networkidle');
    await expect.poll(() => canvas.locator('.react-flow__edge.taken').count(), { timeout: 3000 }).toBe(3);
    await expect(canvas.locator('.react-flow__edge').count()).resolves.toBe(4);
    await expect(canvas.locator('.react-flow__node[style*="visibility: hidden"]').count()).resolves.toBe(0);
  };

  it('shows the three taken edges (of four) on ten cold loads of the page', async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const fails: string[] = [];
    for (let i = 0; i < 10; i++) await open().catch((e: Error) => fails.push(`${i}: ${e.message.split('\n')[0]}`));
    expect(fails).toEqual([]);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await shot(page, 'execution-canvas');
  });

  const delayed = (ms: number) => async (route: Route) => { await sleep(ms); await route.continue(); };
  const orders: [string, Record<string, number>][] = [
    ['the node catalogue last', { '**/api/node-types': 600 }],
    ['the flow version last', { '**/api/flows/*/versions/*': 600 }],
    ['the execution last', { '**/api/executions/*': 600 }],
  ];
  for (const [name, delays] of orders) {
    it(`shows them with ${name}`, async () => {
      for (const [glob, ms] of Object.entries(delays)) await page.route(glob, delayed(ms));
      try { await open(); } finally { await page.unrouteAll(); }
    });
  }

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
});
