/** The code editor, template path completion and the shadow-run diff in a real Chromium against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });

describe.skipIf(browserMissing())('code editor, template completion and shadow diff (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  const pageProblems: string[] = [];
  let flowId = '';

  /** Replaces the code editor's text by typing, as a user would. */
  async function typeCode(code: string) {
    const editor = page.getByTestId('code-editor-input');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type(code);
  }

  /** Sends the test event and waits for this run's result (not the one shown from the run before). */
  async function sendTest(expected: 'succeeded' | 'failed') {
    await page.getByRole('tab', { name: 'Test' }).click();
    const link = page.getByTestId('test-result').getByRole('link', { name: 'Open' });
    const before = (await link.count()) > 0 ? await link.getAttribute('href') : null;
    await page.getByTestId('test-payload').fill('{"qty": 2, "sku": "A-1"}');
    await page.getByTestId('send-test-event').click();
    await expect.poll(async () => ((await link.count()) > 0 ? link.getAttribute('href') : null)).not.toBe(before);
    await expect.poll(() => page.getByTestId('test-status').textContent()).toBe(expected);
  }

  beforeAll(async () => {
    ensureWebBuilt();
    receiver = await startReceiver();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: EMAIL, HOOKFLOW_OWNER_PASSWORD: PASSWORD, HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' },
      undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const created = await t.api('POST', '/api/flows', {
      name: 'Code editor',
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
        { id: 'calc', type: 'transform', position: { x: 260, y: 0 }, params: { code: 'return { total: input.body.qty * 2 }' } },
        { id: 'notify', type: 'http', position: { x: 520, y: 0 }, params: { method: 'POST', url: `${receiver.url}/orders?total=` } },
      ],
      edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'notify' }],
    });
    expect(created.status).toBe(201);
    flowId = created.body.id;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, { email: EMAIL, password: PASSWORD }, pageProblems);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await receiver?.close();
  });

  it('marks a syntax error while typing and clears it once fixed', async () => {
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByTestId('node-calc').click();
    await page.getByTestId('code-editor-input').waitFor();
    await expect(page.getByTestId('code-editor-input').getAttribute('aria-label')).resolves.toBe('Code');
    await typeCode('const q = input.body.qty;\nreturn { total: q * +; }');
    await page.locator('.cm-lintRange-error').first().waitFor();
    await expect.poll(() => page.getByTestId('code-diagnostics').textContent()).toContain('Line 2: Syntax error near ";"');
    await shot(page, 'code-syntax-error');
    await typeCode('const q = input.body.qty;\nreturn { total: q * 2 }');
    await page.getByTestId('code-diagnostics').waitFor({ state: 'detached' });
    await expect(page.locator('.cm-lintRange-error').count()).resolves.toBe(0);
  });

  it('shows the server\'s validation error for the code on the editor after a save', async () => {
    await typeCode('');
    await page.getByTestId('save-flow').click();
    await expect.poll(() => page.getByTestId('code-problems').textContent()).toContain('params.code');
    await expect(page.locator('.code-editor.invalid').count()).resolves.toBe(1);
    await shot(page, 'code-server-error');
    await typeCode('const q = input.body.qty;\nreturn { total: q * 2 }');
    await page.getByTestId('save-flow').click();
    await page.getByTestId('code-problems').waitFor({ state: 'detached' });
  });

  it('keeps keyboard users free: Tab indents, Ctrl+Z undoes, Esc then Tab leaves the editor', async () => {
    const editor = page.getByTestId('code-editor-input');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' // note');
    await expect(editor.textContent()).resolves.toContain('// note');
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => editor.textContent()).not.toContain('// note');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.closest('.cm-editor') !== null)).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.closest('.cm-editor') === null)).resolves.toBe(true);
    await typeCode('const q = input.body.qty;\nreturn { total: q * 2 }');
  });

  it('marks the line where the last test run failed, until the code is edited', async () => {
    await typeCode('const o = input.body;\nreturn { total: o.missing.count }');
    await sendTest('failed');
    await page.getByTestId('node-calc').click();
    await expect.poll(() => page.getByTestId('code-diagnostics').textContent())
      .toContain("Line 2: Last test run failed here: TypeError: Cannot read properties of undefined (reading 'count')");
    await page.locator('.cm-lintRange-error').first().waitFor();
    await shot(page, 'code-run-error');
    await typeCode('return { total: input.body.qty * 2 }');
    await page.getByTestId('code-diagnostics').waitFor({ state: 'detached' });
  });

  it('offers paths from the last test run after "{{" and inserts the chosen one', async () => {
    await sendTest('succeeded');
    await page.getByTestId('node-notify').click();
    const url = page.getByTestId('node-panel').getByRole('combobox', { name: 'url' });
    await url.click();
    await page.keyboard.press('End');
    await page.keyboard.type('{{');
    const list = page.getByTestId('template-suggestions');
    await list.waitFor();
    await expect(list.textContent()).resolves.toContain('trigger.body.sku');
    await page.keyboard.type('tot');
    await expect.poll(() => list.getByRole('option').first().textContent()).toContain('input.total');
    await expect(list.getByRole('option').first().textContent()).resolves.toContain('4');
    await shot(page, 'template-completion');
    await page.keyboard.press('Enter');
    await expect(url.inputValue()).resolves.toBe(`${receiver.url}/orders?total={{ input.total }}`);
    await list.waitFor({ state: 'detached' });
    // Esc closes the list without inserting anything.
    await page.keyboard.type('&sku={{');
    await list.waitFor();
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    await url.fill(`${receiver.url}/orders?total={{ input.total }}`);
    await sendTest('succeeded');
    expect(receiver.requests.at(-1)?.url).toBe('/orders?total=4');
  });

  it('shadow-runs a recorded execution against the latest saved version and shows the diff per node', async () => {
    const runs = await t.api('GET', `/api/executions?flowId=${flowId}&status=succeeded`);
    const recorded: string = runs.body.items[0].id;
    await page.getByTestId('node-calc').click();
    await typeCode('return { total: input.body.qty * 3, note: "<b>bold</b>" }');
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    const sent = receiver.requests.length;
    await page.goto(`${t.url}/executions/${recorded}`);
    const version = (await t.api('GET', `/api/flows/${flowId}`)).body.version;
    const button = page.getByTestId('shadow-run');
    await expect.poll(() => button.textContent()).toBe(`Shadow-run against the latest saved version (v${version})`);
    await button.click();
    const calc = page.getByTestId('shadow-diff-node-calc');
    await calc.waitFor();
    await expect(calc.textContent()).resolves.toContain('changed');
    await expect(calc.getByRole('row', { name: /\$\.total/ }).textContent()).resolves.toMatch(/\$\.total\s*4\s*6/);
    // Values are text: the markup arrives as characters, not as an element.
    await expect(calc.getByRole('row', { name: /\$\.note/ }).textContent()).resolves.toContain('"<b>bold</b>"');
    await expect(calc.locator('b').count()).resolves.toBe(0);
    await expect(page.getByTestId('shadow-diff-node-notify').textContent()).resolves.toContain('not executed (shadow)');
    await expect(page.getByTestId('shadow-diff-node-hook').textContent()).resolves.toContain('same');
    await expect(page.getByTestId('shadow-diff').textContent()).resolves.toContain('1 changed');
    expect(receiver.requests.length).toBe(sent);
    await shot(page, 'shadow-diff');
    expect(pageProblems).toEqual([]);
  });
});
