/**
 * The README's example (examples/order-to-inventory.json) run from the editor's test panel in Chromium, against a
 * real SMTP server and a real HTTP receiver on loopback. Its screenshot is the README's picture: set
 * HOOKFLOW_DOCS_SCREENSHOT=1 to write docs/editor-test-run.png, otherwise it goes to /tmp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const SHOT = process.env.HOOKFLOW_DOCS_SCREENSHOT === '1'
  ? fileURLToPath(new URL('../../docs/editor-test-run.png', import.meta.url)) : '/tmp/hookflow-e2e-order-example.png';

/** A loopback receiver that answers 503 to its first `failFirst` requests, then 200. */
async function receiver(failFirst = 0): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(bodies.length <= failFirst ? 503 : 200, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/orders`, bodies, server };
}

describe.skipIf(browserMissing())('the order example from the editor (Chromium)', { timeout: 60_000 }, () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let rec: Awaited<ReturnType<typeof receiver>>;
  let browser: Browser;
  let page: Page;
  let flowId = '';
  const pageProblems: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    smtp = await startSmtp();
    rec = await receiver();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: EMAIL, HOOKFLOW_OWNER_PASSWORD: PASSWORD, HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' },
      undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    const cred = async (name: string, type: string, data: unknown) => (await t.api('POST', '/api/credentials', { name, type, data })).body.id as string;
    const shop = await cred('Shop webhook secret', 'standard-webhooks', { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    const mail = await cred('Shop mail server', 'smtp', { host: '127.0.0.1', port: smtp.port, secure: false });
    const fulfil = await cred('Fulfilment signing key', 'standard-webhooks', { secret: 'whsec_c2VjcmV0LWZvci1mdWxmaWxtZW50LTAx' });
    await t.api('PUT', '/api/inventory/MUG-1', { name: 'Mug', quantity: 5 });
    await t.api('PUT', '/api/inventory/TEE-M', { name: 'T-shirt M', quantity: 1 });
    const doc = JSON.parse(readFileSync(new URL('../../examples/order-to-inventory.json', import.meta.url), 'utf8')
      .replaceAll('cred_shop_webhook', shop).replaceAll('cred_smtp', mail).replaceAll('cred_fulfilment', fulfil)
      .replace('https://fulfilment.example.test/orders', rec.url));
    const made = await t.api('POST', '/api/flows', { ...doc, name: 'Shop orders', active: true });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    flowId = made.body.id;
    browser = await launchBrowser();
    page = await signedInPage(browser, t.url, { email: EMAIL, password: PASSWORD }, pageProblems, 15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
    await new Promise((r) => rec?.server.close(r));
  });

  it('sends an order from the test panel: stock moves, the email and the fulfilment call go out once, the alert is skipped', async () => {
    await page.goto(`${t.url}/flows/${flowId}`);
    await page.getByTestId('node-order').waitFor();
    await page.getByRole('tab', { name: 'Test' }).click();
    const order = { id: 'ord_2001', customer: { email: 'ada@example.com', name: 'Ada Lovelace' }, items: [{ sku: 'MUG-1', qty: 2, price: 12.5 }] };
    await page.getByTestId('test-payload').fill(JSON.stringify(order, null, 2));
    await page.getByTestId('send-test-event').click();
    for (const id of ['order', 'check', 'totals', 'stock', 'confirm', 'fulfil'])
      await expect.poll(() => page.getByTestId(`node-status-${id}`).textContent(), { timeout: 20_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('node-status-alert').textContent()).toBe('skipped');
    expect(await page.locator('.react-flow__edge.taken').count()).toBe(5);
    await page.getByTestId('node-totals').click();
    await page.getByRole('tab', { name: 'Node' }).click();
    await page.getByTestId('node-panel').getByText('Last test run').waitFor();
    await page.setViewportSize({ width: 1440, height: 860 });
    await page.getByRole('button', { name: 'Fit view' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: SHOT });

    expect((await t.api('GET', '/api/inventory/MUG-1')).body.quantity).toBe(3);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].envelopeTo).toEqual(['ada@example.com']);
    expect(rec.bodies).toHaveLength(1);
    expect(JSON.parse(rec.bodies[0])).toMatchObject({ orderId: 'ord_2001' });
  });

  it('shows a retrying node live with the failed attempt, its error and the next try, then its success', async () => {
    const flaky = await receiver(1);
    try {
      const made = await t.api('POST', '/api/flows', { name: 'Flaky partner', edges: [{ from: 'hook', to: 'call' }], nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 100 }, params: {} },
        { id: 'call', type: 'http', position: { x: 260, y: 100 }, params: { url: flaky.url }, retry: { maxAttempts: 3, initialDelayMs: 4000, jitter: 0 } }] });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${t.url}/flows/${made.body.id}`);
      await page.getByRole('tab', { name: 'Test' }).click();
      await page.getByTestId('send-test-event').click();
      await expect.poll(() => page.getByTestId('node-status-call').textContent(), { timeout: 10_000 }).toBe('retrying');
      await expect(page.getByTestId('node-note-call').textContent()).resolves.toMatch(/^attempt 1 failed \(http_status_503\) · next try \d\d:\d\d:\d\d \(in \d s\)$/);
      await page.screenshot({ path: '/tmp/hookflow-e2e-retrying.png' });
      await expect.poll(() => page.getByTestId('node-status-call').textContent(), { timeout: 20_000 }).toBe('succeeded');
      await expect.poll(() => page.getByTestId('node-note-call').textContent()).toBe('after 2 attempts');
      expect(flaky.bodies).toHaveLength(2);
    } finally {
      await new Promise((r) => flaky.server.close(r));
    }
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(pageProblems).toEqual([]);
  });
});
