// test/integration/webhook-docs.test.ts — GET /api/flows/:id/docs on a real server: the documented signing recipe, run by bash with curl and openssl, is accepted (202).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { createCredential } from './credentials-helpers.js';

const run = promisify(execFile);
const GITHUB_SECRET = "It's a $ecret to \"Everybody\"";
const SCHEMA = {
  type: 'object', required: ['order', 'customer'],
  properties: {
    order: { type: 'object', required: ['id', 'total', 'items'], properties: {
      id: { type: 'string', minLength: 3 }, total: { type: 'number', minimum: 0.5 }, currency: { type: 'string', default: 'EUR' },
      items: { type: 'array', minItems: 1, items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string', examples: ["A-1 'quoted'"] }, qty: { type: 'integer', minimum: 1 } } } },
    } },
    customer: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email', maxLength: 254 } } },
  },
};

const validateFlow = (auth: Record<string, unknown>, extra: Record<string, unknown> = {}) => activeFlow(t, [
  { id: 'hook', type: 'webhook', params: { auth, ...extra } },
  { id: 'check', type: 'validate', params: { path: 'body', schema: SCHEMA } },
  { id: 'note', type: 'validate', params: { path: 'body.order', schema: { type: 'object' } } },
], [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'note' }]);

/** Runs the documented bash script with the given placeholders set; returns curl's status and answer. */
async function runRecipe(curl: string, env: Record<string, string>): Promise<{ status: number; body: any }> {
  const script = curl.replace('curl -sS', "curl -sS -w '\\n%{http_code}'");
  const { stdout } = await run('bash', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 10_000 });
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join('\n')) };
}

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

describe('GET /api/flows/:id/docs', () => {
  it('github: names X-Hub-Signature-256, includes the schema, and its recipe run with our own secret is accepted (202) and valid', async () => {
    const credentialId = await createCredential(t, 'hmac', { secret: GITHUB_SECRET });
    const f = await validateFlow({ kind: 'hmac', preset: 'github', credentialId }, { idempotencyHeader: 'X-GitHub-Delivery' });
    const r = await t.api('GET', `/api/flows/${f.id}/docs`);
    expect(r.status).toBe(200);
    const docs = r.body;
    expect(docs.url).toBe(f.hook);
    expect(docs.methods).toEqual(['POST']);
    expect(docs.auth).toMatchObject({ kind: 'hmac', preset: 'github', headers: ['X-Hub-Signature-256'] });
    expect(docs.idempotencyHeader).toBe('X-GitHub-Delivery');
    expect(docs.payloadSchema).toEqual(SCHEMA);
    expect(docs.response).toEqual({ mode: 'async' });
    const statuses = docs.answers.map((a: { status: number }) => a.status);
    expect(statuses).toEqual(expect.arrayContaining([202, 200, 400, 401, 404, 405, 413, 415, 429]));
    expect(statuses).not.toContain(500);
    expect(docs.example.curl).toContain('openssl dgst -sha256');
    expect(docs.example.curl).toContain('X-Hub-Signature-256: sha256=$SIG');
    expect(JSON.stringify(docs)).not.toContain('Everybody');
    const sent = await runRecipe(docs.example.curl, { SECRET: GITHUB_SECRET });
    expect(sent.status).toBe(202);
    const e = await finished(t, sent.body.executionId);
    expect(e.status).toBe('succeeded');
    expect(e.trigger.body.order.items[0].sku).toBe("A-1 'quoted'");
    expect(e.trigger.body.customer.email).toBe('user@example.com');
    expect(e.trigger.headers['x-github-delivery']).toMatch(/^msg_\d+_\d+$/);
    // the sample really is valid: the flow took the `valid` port into `note`
    expect(e.steps.some((s: { nodeId: string }) => s.nodeId === 'note')).toBe(true);
    // and the recipe is what makes it pass: the wrong secret is refused
    expect((await runRecipe(docs.example.curl, { SECRET: 'not the secret' })).status).toBe(401);
  });

  const CASES: Array<[string, string, Record<string, unknown>, Record<string, unknown>, Record<string, string>]> = [
    ['stripe', 'hmac', { secret: 'whsec_stripe_endpoint' }, { kind: 'hmac', preset: 'stripe' }, { SECRET: 'whsec_stripe_endpoint' }],
    ['slack', 'hmac', { secret: '8f742231b10e8888abcd99yyyzzz85a5' }, { kind: 'hmac', preset: 'slack' }, { SECRET: '8f742231b10e8888abcd99yyyzzz85a5' }],
    ['shopify', 'hmac', { secret: 'shpss_client' }, { kind: 'hmac', preset: 'shopify' }, { SECRET: 'shpss_client' }],
    ['standard-webhooks', 'standard-webhooks', { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, { kind: 'hmac', preset: 'standard-webhooks' }, { SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
    ['custom', 'hmac', { secret: 'acme "$x"' }, { kind: 'hmac', preset: 'custom', header: 'X-Acme-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=', timestampHeader: 'X-Acme-Timestamp', signedContent: '{timestamp}."$`{body}' }, { SECRET: 'acme "$x"' }],
    ['basic', 'basic', { username: 'shop', password: 'correct horse' }, { kind: 'basic' }, { USERNAME: 'shop', PASSWORD: 'correct horse' }],
    ['header', 'header', { name: 'X-Api-Key', value: 'static-token-123' }, { kind: 'header', header: 'X-Api-Key' }, { TOKEN: 'static-token-123' }],
  ];

  it.each(CASES)('%s: the documented recipe is accepted (202), never carries the secret, and a wrong secret is 401', async (_n, type, data, auth, env) => {
    const credentialId = await createCredential(t, type, data);
    const f = await validateFlow({ ...auth, credentialId });
    const docs = (await t.api('GET', `/api/flows/${f.id}/docs`)).body;
    for (const v of Object.values(env)) expect(docs.example.curl).not.toContain(v);
    expect((await runRecipe(docs.example.curl, env)).status).toBe(202);
    const wrong = Object.fromEntries(Object.keys(env).map((k) => [k, k === 'USERNAME' ? 'shop' : 'whsec_d3Jvbmcgc2VjcmV0IGtleQ==']));
    expect((await runRecipe(docs.example.curl, wrong)).status).toBe(401);
  });

  it('sync, no auth, no validate node: null schema, sync answers, no 401, and the sample still goes through', async () => {
    const f = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { methods: ['PUT', 'POST'], response: { mode: 'sync', timeoutMs: 5000 }, rateLimitPerMin: 60 } }], []);
    const docs = (await t.api('GET', `/api/flows/${f.id}/docs`)).body;
    expect(docs.payloadSchema).toBeNull();
    expect(docs.auth).toMatchObject({ kind: 'none', headers: [] });
    expect(docs.response).toEqual({ mode: 'sync', timeoutMs: 5000 });
    const statuses = docs.answers.map((a: { status: number }) => a.status);
    expect(statuses).toContain(500);
    expect(statuses).not.toContain(401);
    expect(docs.answers.find((a: { when: string }) => a.when.includes('60 requests'))?.status).toBe(429);
    expect((await runRecipe(docs.example.curl, {})).status).toBe(200);
  });

  it('answers 404 for an unknown flow and 401 without credentials', async () => {
    expect((await t.api('GET', '/api/flows/flw_nope/docs')).status).toBe(404);
    expect((await fetch(`${t.url}/api/flows/flw_nope/docs`)).status).toBe(401);
    void post;
  });
});
