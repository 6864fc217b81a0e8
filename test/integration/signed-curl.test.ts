/** The webhook docs' "sign this example now": the docs' sample body, signed by POST /sign, as a curl command that bash runs for real. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { shellQuote, signedCurl } from '../../web/src/editor/signed-curl.js';

const run = promisify(execFile);
const SCHEMA = { type: 'object', required: ['id', 'note'], properties: { id: { type: 'string' }, note: { type: 'string' } } };

describe('signed curl from the webhook docs', { timeout: 30_000 }, () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it.each([
    ['github', 'hmac', 'a github secret'], ['stripe', 'hmac', 'whsec_stripe_like_secret'], ['shopify', 'hmac', 'shopify secret'],
    ['slack', 'hmac', 'slack signing secret'], ['standard-webhooks', 'standard-webhooks', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  ])('%s: bash runs the command and the flow accepts it (202), and a changed body is refused (401)', async (preset, type, secret) => {
    const cred = await t.api('POST', '/api/credentials', { name: preset, type, data: { secret } });
    expect(cred.status, JSON.stringify(cred.body)).toBe(201);
    const flow = await t.api('POST', '/api/flows', { name: preset, active: true, edges: [{ from: 'hook', to: 'check' }], nodes: [
      { id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset, credentialId: cred.body.id } } },
      { id: 'check', type: 'validate', params: { path: 'body', schema: SCHEMA } }] });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    const docs = (await t.api('GET', `/api/flows/${flow.body.id}/docs`)).body;
    expect(docs.example).toMatchObject({ method: 'POST', contentType: 'application/json' });
    expect(JSON.parse(docs.example.body)).toHaveProperty('id');
    const signed = await t.api('POST', `/api/flows/${flow.body.id}/sign`, { body: docs.example.body });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    const curl = signedCurl({ url: docs.url, method: docs.example.method, contentType: docs.example.contentType, body: docs.example.body, headers: signed.body.headers });
    expect(curl).not.toContain(secret);
    const ok = await run('bash', ['-c', `${curl.trimEnd()} -o /dev/null -w '%{http_code}'`]);
    expect(ok.stdout).toBe('202');
    const tampered = curl.replace(/--data-raw '(.*)'\n$/s, (_m, b: string) => `--data-raw ${shellQuote(`${b} `)}\n`);
    expect(tampered).not.toBe(curl);
    const bad = await run('bash', ['-c', `${tampered.trimEnd()} -o /dev/null -w '%{http_code}'`]);
    expect(bad.stdout).toBe('401');
  });

  it('quotes bodies with quotes, newlines and shell syntax so bash sends them byte for byte', async () => {
    const body = `{"note":"it's $HOME \`id\` \\"x\\"\\n"}\n`;
    const echo = signedCurl({ url: 'http://127.0.0.1:9', method: 'POST', body, headers: { 'x-sig': "v1,a'b" } })
      .replace(/^curl -sS -X POST '[^']*' \\\n {2}/, 'printf %s ');
    const out = await run('bash', ['-c', echo.replace(/-H '[^\n]*' \\\n {2}/, '').replace('--data-raw ', '')]);
    expect(out.stdout).toBe(body);
  });
});
