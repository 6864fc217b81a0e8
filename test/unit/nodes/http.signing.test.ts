import { describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { NodeError } from '../../../nodes/contract.js';
import { httpNode } from '../../../nodes/http.js';
import { signHmac, signStandardWebhooks, standardWebhooksKey } from '../../../nodes/webhook-signing.js';
import { signStandardWebhooks as ingressSign } from '../../../server/ingress/signing.js';
import { fakeCtx } from './fake-ctx.js';
import { bodyText, fakeCredentials, fakeHttp } from './http-fakes.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const creds = fakeCredentials({
  cred_sw: { type: 'standard-webhooks', data: { secret: SECRET } },
  cred_hmac: { type: 'hmac', data: { secret: 'new-secret\nold-secret' } },
  cred_bad: { type: 'standard-webhooks', data: { secret: 'whsec_not base64!' } },
});
const URL_ = 'https://receiver.example.test/hook';
const failure = (p: Promise<unknown>): Promise<NodeError> =>
  p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => { if (!(e instanceof NodeError)) throw e; return e; });

async function send(params: Omit<Parameters<typeof httpNode.execute>[2], 'url'>, attempt = 1, now = Date.now()) {
  const http = fakeHttp();
  const ctx = fakeCtx({ http, credentials: creds, clock: { now: () => now } });
  ctx.execution.attempt = attempt;
  await httpNode.execute(ctx, {}, { url: URL_, ...params });
  return http.calls[0];
}

describe('http node: Standard Webhooks signing', () => {
  const signing = { kind: 'standard-webhooks' as const, credentialId: 'cred_sw' };

  it('H-14: signs so that the standardwebhooks reference library verifies it', async () => {
    const req = await send({ body: { order: 1, total: 9.5 }, signing });
    const body = bodyText(req);
    expect(req.headers['webhook-id']).toBe('exe_1:n1');
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(body, req.headers)).toEqual({ order: 1, total: 9.5 });
    expect(() => new Webhook(SECRET).verify(`${body} `, req.headers)).toThrow();
    expect(creds.reads.at(-1)).toEqual({ id: 'cred_sw', type: 'standard-webhooks' });
  });

  it('H-14: every attempt carries the same webhook-id and Idempotency-Key, with its own timestamp', async () => {
    const t0 = Date.now();
    const first = await send({ body: 'x', signing }, 1, t0);
    const third = await send({ body: 'x', signing }, 3, t0 + 7_000);
    expect(third.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(third.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(Number(third.headers['webhook-timestamp']) - Number(first.headers['webhook-timestamp'])).toBe(7);
    expect(() => new Webhook(SECRET).verify('x', third.headers, { jsonParse: false })).not.toThrow();
  });

  it('signs an empty body too', async () => {
    const req = await send({ signing });
    expect(() => new Webhook(SECRET).verify('', req.headers)).not.toThrow();
    expect(() => new Webhook(SECRET).verify('{}', req.headers)).toThrow(/signature/i);
  });

  it('matches the ingress signer byte for byte (one scheme, two call sites)', () => {
    const body = new TextEncoder().encode('{"a":"é"}');
    expect(signStandardWebhooks(SECRET, 'msg_1', 1_700_000_000, body)['webhook-signature'])
      .toBe(ingressSign(SECRET, 'msg_1', 1_700_000_000, Buffer.from(body)));
  });

  it('a malformed secret fails permanently without echoing it', async () => {
    const e = await failure(send({ signing: { kind: 'standard-webhooks', credentialId: 'cred_bad' } }));
    expect(e).toMatchObject({ code: 'credential_invalid', retryable: false });
    expect(e.message).not.toContain('not base64!');
  });
});

describe('http node: custom HMAC signing', () => {
  const mac = (alg: string, secret: string, body: string, enc: 'hex' | 'base64') => createHmac(alg, secret).update(body).digest(enc);

  it('defaults to x-signature, sha256, hex, no prefix, signed with the first secret line', async () => {
    const req = await send({ body: { a: 1 }, signing: { kind: 'hmac', credentialId: 'cred_hmac' } });
    expect(req.headers['x-signature']).toBe(mac('sha256', 'new-secret', '{"a":1}', 'hex'));
    expect(req.headers['webhook-signature']).toBeUndefined();
    expect(creds.reads.at(-1)).toEqual({ id: 'cred_hmac', type: 'hmac' });
  });

  it('takes header, algorithm, encoding and prefix (GitHub and Shopify shapes)', async () => {
    const gh = await send({ body: 'payload', signing: { kind: 'hmac', credentialId: 'cred_hmac', header: 'X-Hub-Signature-256', prefix: 'sha256=' } });
    expect(gh.headers['x-hub-signature-256']).toBe(`sha256=${mac('sha256', 'new-secret', 'payload', 'hex')}`);
    const shop = await send({ body: 'payload', signing: { kind: 'hmac', credentialId: 'cred_hmac', header: 'x-shopify-hmac-sha256', encoding: 'base64', algorithm: 'sha512' } });
    expect(shop.headers['x-shopify-hmac-sha256']).toBe(mac('sha512', 'new-secret', 'payload', 'base64'));
  });
});

describe('http node: signing failures', () => {
  it.each([
    [{ kind: 'standard-webhooks', credentialId: 'cred_nope' }, 'credential_missing'],
    [{ kind: 'standard-webhooks', credentialId: 'cred_hmac' }, 'credential_type'],
    [{ kind: 'hmac' }, 'invalid_params'],
  ] as const)('%j → %s, nothing sent', async (signing, code) => {
    const http = fakeHttp();
    const e = await failure(httpNode.execute(fakeCtx({ http, credentials: creds }), {}, { url: URL_, signing }));
    expect(e).toMatchObject({ code, retryable: false });
    expect(http.calls).toHaveLength(0);
  });

  it('without a credential store the node fails with capability_missing', async () => {
    const http = fakeHttp();
    const e = await failure(httpNode.execute(fakeCtx({ http }), {}, { url: URL_, signing: { kind: 'hmac', credentialId: 'cred_hmac' } }));
    expect(e.code).toBe('capability_missing');
    expect(http.calls).toHaveLength(0);
  });

  it('kind none reads no credential', async () => {
    const reads = creds.reads.length;
    const req = await send({ signing: { kind: 'none' } });
    expect(creds.reads.length).toBe(reads);
    expect(Object.keys(req.headers).sort()).toEqual(['hookflow-hop', 'idempotency-key', 'user-agent']);
  });
});

describe('webhook-signing (pure)', () => {
  it('reads whsec_ secrets strictly', () => {
    expect(standardWebhooksKey('whsec_AAECAw==')).toEqual(Buffer.from([0, 1, 2, 3]));
    expect(standardWebhooksKey('AAECAw==')).toEqual(Buffer.from([0, 1, 2, 3]));
    for (const bad of ['whsec_', '', 'whsec_AAEC Aw==', 'whsec_AAECA', 'whsec_AA==AA==']) expect(standardWebhooksKey(bad)).toBeUndefined();
  });

  it('refuses ids the spec forbids and empty hmac secrets', () => {
    const body = new Uint8Array();
    expect(() => signStandardWebhooks(SECRET, 'a.b', 1, body)).toThrow(TypeError);
    expect(() => signStandardWebhooks(SECRET, '', 1, body)).toThrow(TypeError);
    expect(() => signHmac('', body, { header: 'x-s', algorithm: 'sha256', encoding: 'hex', prefix: '' })).toThrow(TypeError);
  });
});
