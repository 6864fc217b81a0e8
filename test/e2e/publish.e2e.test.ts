/** Drafts and publishing in the editor (Chromium): the state at a glance, Publish with what changed, versions with Restore, compile errors on the field (issue 11). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { post } from '../helpers/flows.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';
import { seriousViolations } from './a11y.js';

const owner = { email: 'publisher@example.com', password: 'correct horse battery' };
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

describe.skipIf(browserMissing())('publishing in the editor (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let flowId = '';
  let hook = '';
  const problems: string[] = [];
  const answer = async () => (await (await post(hook, '{}')).json()) as { tag?: string };

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: owner.email, HOOKFLOW_OWNER_PASSWORD: owner.password }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const created = (await t.api('POST', '/api/flows', {
      name: 'Publish me', active: true,
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: { response: { mode: 'sync' } } },
        { id: 'shape', type: 'transform', position: { x: 280, y: 0 }, params: { code: "return { tag: 'v1' };" } },
      ],
      edges: [{ from: 'hook', to: 'shape' }],
    })).body;
    flowId = created.id;
    hook = created.webhook.url;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, owner, problems);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByTestId('node-shape').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const typeCode = async (code: string) => {
    await page.getByTestId('node-shape').click();
    await page.getByTestId('code-editor-input').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type(code);
  };

  it('shows the live version; a save is a draft the webhook does not run yet', async () => {
    await expect(page.getByTestId('publish-state').textContent()).resolves.toBe('Live v1');
    await expect(page.getByTestId('publish-flow').isDisabled()).resolves.toBe(true);
    await typeCode("return { tag: 'v2' };");
    await page.getByTestId('save-flow').click();
    await expect.poll(() => page.getByTestId('publish-state').textContent()).toBe('Live v1 · draft v2, not published');
    await expect(page.getByTestId('publish-flow').isDisabled()).resolves.toBe(false);
    expect(await answer()).toEqual({ tag: 'v1' });
    await shot(page, 'publish-draft-state');
  });

  it('refuses code that does not compile with the error marked on the field, and keeps the edit', async () => {
    await typeCode('const broken = (1 + ;');
    await page.getByTestId('save-flow').click();
    const problemsBox = page.getByTestId('code-problems');
    await problemsBox.waitFor();
    await expect(problemsBox.textContent()).resolves.toContain("params.code: line 1, column 21: SyntaxError: Unexpected token ';'");
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('unsaved-marker').count()).resolves.toBe(1);
    expect((await t.api('GET', `/api/flows/${flowId}`)).body.version).toBe(2);
    await shot(page, 'publish-compile-error');
    await typeCode("return { tag: 'v2' };");
    await page.getByTestId('save-flow').click();
    await expect.poll(() => page.getByTestId('publish-state').textContent()).toBe('Live v1 · draft v3, not published');
  });

  it('publishes after a confirmation that lists what changed', async () => {
    await page.getByTestId('publish-flow').click();
    const dialog = page.getByTestId('publish-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('publish-changes').textContent()).resolves.toBe('Changed: shape');
    await shot(page, 'publish-confirm');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByTestId('confirm-publish').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('publish-state').textContent()).toBe('Live v3');
    expect(await answer()).toEqual({ tag: 'v2' });
  });

  it('lists versions with who saved them, and restores an old one as a new draft', async () => {
    await page.getByTestId('versions-button').click();
    const dialog = page.getByTestId('versions-dialog');
    await dialog.waitFor();
    await expect(dialog.locator('li').count()).resolves.toBe(3);
    await expect(dialog.getByTestId('version-row-3').textContent()).resolves.toMatch(/v3live.*publisher@example\.com/);
    await expect(dialog.getByTestId('version-row-1').textContent()).resolves.toMatch(/v1.*api token/);
    await shot(page, 'publish-versions');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByTestId('restore-version-1').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('publish-state').textContent()).toBe('Live v3 · draft v4, not published');
    const stored = (await t.api('GET', `/api/flows/${flowId}`)).body;
    expect(stored.nodes.find((n: { id: string }) => n.id === 'shape').params.code).toBe("return { tag: 'v1' };");
    expect(await answer()).toEqual({ tag: 'v2' });
    await page.goto(`${t.url}/`);
    await expect(page.getByTestId(`flow-draft-${flowId}`).textContent()).resolves.toBe('draft v4');
    await expect(page.getByTestId(`flow-draft-${flowId}`).getAttribute('title')).resolves.toBe('Live v3 · draft v4, not published');
  });

  it('shows a delivery validate turned away as rejected, in the list and on the canvas, with why the rest did not run', async () => {
    const f = (await t.api('POST', '/api/flows', {
      name: 'Rejecting', active: true,
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
        { id: 'check', type: 'validate', position: { x: 280, y: 0 }, params: { schema: { type: 'object', required: ['id'] } } },
        { id: 'after', type: 'transform', position: { x: 560, y: 0 }, params: { code: 'return input;' } },
      ],
      edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'after' }],
    })).body;
    const id = (await (await post(f.webhook.url, '{}')).json()).executionId as string;
    await expect.poll(async () => (await t.api('GET', `/api/executions/${id}`)).body.status).toBe('rejected');
    await page.goto(`${t.url}/executions?status=rejected`);
    await page.getByTestId(`execution-row-${id}`).waitFor();
    await expect(page.getByTestId(`execution-row-${id}`).textContent()).resolves.toContain('rejected');
    await page.goto(`${t.url}/executions/${id}`);
    await expect(page.getByTestId('execution-status').textContent()).resolves.toBe('rejected');
    await page.getByTestId('node-note-after').waitFor();
    await expect(page.getByTestId('node-note-after').textContent()).resolves.toBe('not reached: check took `invalid`');
    await expect(page.getByTestId('node-status-after').textContent()).resolves.toBe('skipped');
    await shot(page, 'execution-rejected');
    expect(problems).toEqual([]);
  });
});
