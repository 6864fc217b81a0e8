/** "Listen for a real event" and "sign with this flow's secret" in a real Chromium against a real server: capture, inspect, infer, run, sign. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { post } from '../helpers/flows.js';
import { signPreset } from '../../server/ingress/signing.js';
import { createCredential } from '../integration/credentials-helpers.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const SECRET = 'listen-e2e-secret';
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/hookflow-e2e-${name}.png` });
const DELIVERY = JSON.stringify({ id: 'ord_77', customer: { name: 'Grace Hopper', country: 'US' }, items: [{ sku: 'MUG', qty: 2, price: 9 }], note: '<img src=x onerror="window.__xss=1">' });
const signed = (body: string, secret = SECRET): Record<string, string> =>
  ({ 'content-type': 'application/json', 'x-github-event': 'order.created', ...signPreset({ kind: 'hmac', preset: 'github' }, secret, body, Math.floor(Date.now() / 1000)) });

describe.skipIf(browserMissing())('listen for a real event, and sign test events (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const pageProblems: string[] = [];
  let flowId = '';
  let hook = '';
  let goodId = '';

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: EMAIL, HOOKFLOW_OWNER_PASSWORD: PASSWORD }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const credentialId = await createCredential(t, 'hmac', { secret: SECRET }, 'shop secret');
    const created = await t.api('POST', '/api/flows', {
      name: 'Shop orders', active: false,
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 40, y: 80 }, params: { auth: { kind: 'hmac', preset: 'github', credentialId } } },
        { id: 'validate_1', type: 'validate', position: { x: 300, y: 80 }, params: { schema: { type: 'object' } } },
        { id: 'transform_1', type: 'transform', position: { x: 560, y: 80 }, params: { code: 'return { items: input.body.items.length }' } },
      ],
      edges: [{ from: 'hook', to: 'validate_1' }, { from: 'validate_1', fromPort: 'valid', to: 'transform_1' }],
    });
    expect(created.status).toBe(201);
    flowId = created.body.id;
    hook = created.body.webhook.url;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, { email: EMAIL, password: PASSWORD }, pageProblems);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('starts listening on an inactive flow and shows the URL and a countdown', async () => {
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByTestId('node-hook').waitFor();
    await page.getByTestId('captures-empty').waitFor();
    await shot(page, 'listen-idle');
    expect((await post(hook, DELIVERY, signed(DELIVERY))).status).toBe(404);
    await page.getByTestId('listen-start').click();
    await expect(page.getByTestId('listen-url').textContent()).resolves.toBe(hook);
    await expect(page.getByTestId('listen-countdown').textContent()).resolves.toMatch(/^[45]:\d\d$/);
    await expect(page.getByTestId('captures-empty').textContent()).resolves.toContain('Waiting for deliveries');
  });

  it('shows a signed delivery with ✓ and a badly signed one with ✗ and the reason; nothing runs', async () => {
    const good = await post(hook, DELIVERY, signed(DELIVERY));
    expect(good.status).toBe(202);
    goodId = (await good.json()).id;
    await expect(page.getByTestId(`capture-row-${goodId}`).textContent({ timeout: 5000 })).resolves.toContain('✓ verified');
    expect((await post(hook, DELIVERY, signed(DELIVERY, 'an old secret'))).status).toBe(401);
    const badId = (await t.api('GET', `/api/flows/${flowId}/captures`)).body.items[0].id;
    await expect(page.getByTestId(`capture-row-${badId}`).textContent({ timeout: 5000 })).resolves.toContain('✗ signature does not match');
    expect((await t.api('GET', `/api/executions?flowId=${flowId}`)).body.total).toBe(0);
    await page.getByTestId(`capture-row-${goodId}`).click();
    await expect(page.getByTestId('capture-body').textContent()).resolves.toBe(DELIVERY);
    await expect(page.getByTestId('capture-detail').textContent()).resolves.toContain('✓ github signature verified');
    // Payload data is text, never HTML.
    await expect(page.locator('[data-testid="capture-detail"] img').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).resolves.toBeUndefined();
    await expect(page.getByTestId('capture-headers').textContent()).resolves.toContain('x-hub-signature-256: sha256=');
    await page.getByTestId('capture-detail').scrollIntoViewIfNeeded();
    await shot(page, 'listen-captures');
  });

  it('infers the validate schema from a capture (unsaved until saved)', async () => {
    await page.getByTestId('capture-infer-schema').click();
    await page.getByTestId('unsaved-marker').waitFor();
    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    const saved = await t.api('GET', `/api/flows/${flowId}`);
    const schema = saved.body.nodes.find((n: { id: string }) => n.id === 'validate_1').params.schema;
    expect(schema).toMatchObject({ type: 'object', required: ['id', 'customer', 'items', 'note'], properties: { customer: { type: 'object' }, items: { type: 'array' } } });
  });

  it('runs the flow on a capture: every node succeeds on the captured request', async () => {
    await page.getByTestId('capture-run').click();
    for (const id of ['hook', 'validate_1', 'transform_1']) await expect.poll(() => page.getByTestId(`node-status-${id}`).textContent()).toBe('succeeded');
    const runs = await t.api('GET', `/api/executions?flowId=${flowId}`);
    expect(runs.body.items).toHaveLength(1);
    const run = await t.api('GET', `/api/executions/${runs.body.items[0].id}`);
    expect(run.body.trigger).toMatchObject({ method: 'POST', body: JSON.parse(DELIVERY), headers: { 'x-github-event': 'order.created' } });
    await shot(page, 'listen-run');
  });

  it('uses a capture as the sample payload and headers', async () => {
    // The row opened before the run is still open.
    await expect(page.getByTestId(`capture-row-${goodId}`).getAttribute('aria-expanded')).resolves.toBe('true');
    await page.getByTestId('capture-use-sample').click();
    await expect(page.getByTestId('test-payload').inputValue()).resolves.toBe(DELIVERY);
    await expect(page.getByTestId('test-headers').inputValue()).resolves.toContain('"x-github-event": "order.created"');
  });

  it("signs the payload with the flow's secret: the headers are shown and the flow's own URL accepts them", async () => {
    // Valid against the schema inferred above (it requires `note`): a payload without it would be rejected by validate.
    const payload = '{"id":"ord_88","customer":{"name":"Ada","country":"GB"},"items":[],"note":""}';
    await page.getByTestId('test-payload').fill(payload);
    await page.getByTestId('test-headers').fill('{}');
    await page.getByTestId('sign-test-event').click();
    await expect(page.getByTestId('sign-state').textContent()).resolves.toBe('✓ Signed (github)');
    const headers = JSON.parse(await page.getByTestId('test-headers').inputValue()) as Record<string, string>;
    expect(Object.keys(headers).sort()).toEqual(['x-github-delivery', 'x-hub-signature-256']);
    expect(JSON.stringify(headers)).not.toContain(SECRET);
    // The flow is inactive but listening: 202 means the signature verified, 401 would mean it did not.
    expect((await post(hook, payload, { 'content-type': 'application/json', ...headers })).status).toBe(202);
    await shot(page, 'listen-signed');
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('test-status').textContent()).toBe('succeeded');
  });

  it('marks the signature stale when the payload changes and signs again on send', async () => {
    const before = await page.getByTestId('test-headers').inputValue();
    const payload = '{"id":"ord_89","customer":{"name":"Ada","country":"GB"},"items":[{"sku":"A","qty":1,"price":1}],"note":""}';
    await page.getByTestId('test-payload').fill(payload);
    await expect(page.getByTestId('sign-state').textContent()).resolves.toContain('Payload changed');
    await page.getByTestId('send-test-event').click();
    await expect.poll(() => page.getByTestId('sign-state').textContent()).toBe('✓ Signed (github)');
    const after = JSON.parse(await page.getByTestId('test-headers').inputValue()) as Record<string, string>;
    expect(after['x-hub-signature-256']).not.toBe(JSON.parse(before)['x-hub-signature-256']);
    expect(after['x-github-delivery']).toBe(JSON.parse(before)['x-github-delivery']);
    expect((await post(hook, payload, { 'content-type': 'application/json', ...after })).status).toBe(202);
    await expect.poll(() => page.getByTestId('test-status').textContent()).toBe('succeeded');
  });

  it('stops listening: the URL answers 404 again', async () => {
    await page.getByTestId('listen-stop').click();
    await page.getByTestId('listen-start').waitFor();
    expect((await post(hook, DELIVERY, signed(DELIVERY))).status).toBe(404);
    await shot(page, 'listen-stopped');
  });

  it('signs the webhook docs\' example on the server and shows a ready curl command', async () => {
    await page.getByRole('tab', { name: 'Webhook' }).click();
    await page.getByTestId('sign-curl').click();
    const curl = await page.getByTestId('signed-curl').textContent();
    expect(curl).toMatch(/-H 'x-hub-signature-256: sha256=[0-9a-f]{64}'/);
    expect(curl).toContain(hook);
    await shot(page, 'webhook-signed-curl');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(pageProblems).toEqual([]);
  });
});
