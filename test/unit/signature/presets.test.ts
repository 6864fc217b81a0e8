// test/unit/signature/presets.test.ts — W-2, W-3, W-5 and each provider's published or documented scheme (GitHub, Stripe, Shopify, Slack, custom).
import { describe, expect, it } from 'vitest';
import { verifyInbound } from '../../../server/ingress/signature.js';
import type { HmacAuth } from '../../../server/ingress/signature.js';
import { signPreset } from '../../../server/ingress/signing.js';
import {
  AUTH_CASES, GITHUB_VECTOR, hmacHex, SHOPIFY_PINNED, SLACK_VECTOR, slackHeaders, STRIPE_PINNED, stripeHeader,
} from './fixtures.js';

const hmac = (preset: HmacAuth['preset'], extra: Partial<HmacAuth> = {}): HmacAuth => ({ kind: 'hmac', preset, ...extra });
const check = (auth: HmacAuth, secret: string, body: string, headers: Record<string, string>, now = 0) =>
  verifyInbound(auth, { hmac: [secret] }, Buffer.from(body), headers, now);

describe('W-2 GitHub published test vector', () => {
  const { secret, body, signature } = GITHUB_VECTOR;
  it('accepts X-Hub-Signature-256 from the GitHub docs', () => {
    expect(check(hmac('github'), secret, body, { 'x-hub-signature-256': signature })).toEqual({ ok: true });
  });
  it('rejects the same signature with the last hex digit changed', () => {
    const tampered = `${signature.slice(0, -1)}${signature.endsWith('7') ? '8' : '7'}`;
    expect(check(hmac('github'), secret, body, { 'x-hub-signature-256': tampered }).ok).toBe(false);
  });
  it('accepts upper-case hex (same bytes)', () => {
    const upper = `sha256=${signature.slice(7).toUpperCase()}`;
    expect(check(hmac('github'), secret, body, { 'x-hub-signature-256': upper }).ok).toBe(true);
  });
  it('our signer reproduces the vector', () => {
    expect(signPreset(hmac('github'), secret, body, 0)).toEqual({ 'x-hub-signature-256': signature });
  });
  it('reads only sha256 by default; SHA-1 X-Hub-Signature only when algorithm sha1 is configured', () => {
    const sha1 = { 'x-hub-signature': `sha1=${hmacHex(secret, body, 'sha1')}` };
    expect(check(hmac('github'), secret, body, sha1).ok).toBe(false);
    expect(check(hmac('github', { algorithm: 'sha1' }), secret, body, sha1).ok).toBe(true);
    expect(check(hmac('github', { algorithm: 'sha512' }), secret, body, sha1)).toEqual({
      ok: false, reason: 'the github preset supports algorithm sha256 (default) or sha1',
    });
  });
});

describe('Slack published example', () => {
  const { secret, timestamp, body, signature } = SLACK_VECTOR;
  const headers = { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp };
  it('accepts the documented request within the window', () => {
    expect(check(hmac('slack'), secret, body, headers, Number(timestamp) + 60)).toEqual({ ok: true });
  });
  it('our signer reproduces the documented signature', () => {
    expect(signPreset(hmac('slack'), secret, body, Number(timestamp))).toEqual(headers);
  });
  it('rejects it once the body changes by one byte', () => {
    expect(check(hmac('slack'), secret, `${body}x`, headers, Number(timestamp)).ok).toBe(false);
  });
});

describe('Stripe documented scheme (t=…,v1=<hex hmac of "t.body">)', () => {
  const { secret, timestamp, body, v1 } = STRIPE_PINNED;
  const now = Number(timestamp);
  it('matches the openssl-pinned v1 and the docs construction', () => {
    expect(stripeHeader(secret, timestamp, body)).toBe(`t=${timestamp},v1=${v1}`);
    expect(signPreset(hmac('stripe'), secret, body, now)).toEqual({ 'stripe-signature': `t=${timestamp},v1=${v1}` });
    expect(check(hmac('stripe'), secret, body, { 'stripe-signature': `t=${timestamp},v1=${v1}` }, now).ok).toBe(true);
  });
  it.each([
    ['two v1 entries, good second', `t=${timestamp},v1=${'0'.repeat(64)},v1=${v1}`, true],
    ['two v1 entries, good first', `t=${timestamp},v1=${v1},v1=${'ab'.repeat(32)}`, true],
    ['with a v0 entry (ignored)', `t=${timestamp},v1=${v1},v0=${'cd'.repeat(32)}`, true],
    ['v0 entry carrying the good hex only', `t=${timestamp},v0=${v1}`, false],
    ['entries in another order', `v1=${v1},t=${timestamp}`, true],
    ['short v1 (timingSafeEqual length trap)', `t=${timestamp},v1=abcd`, false],
    ['two t entries', `t=${timestamp},t=${timestamp},v1=${v1}`, false],
    ['no t', `v1=${v1}`, false],
    ['spaces after commas', `t=${timestamp}, v1=${v1}`, false],
  ])('%s (%s) → ok=%s', (_label, header, ok) => {
    expect(check(hmac('stripe'), secret, body, { 'stripe-signature': header }, now).ok).toBe(ok);
  });
});

describe('Shopify (base64 HMAC-SHA256 of the raw body)', () => {
  const { secret, body, signature } = SHOPIFY_PINNED;
  it('matches the openssl-pinned value both ways', () => {
    expect(signPreset(hmac('shopify'), secret, body, 0)).toEqual({ 'x-shopify-hmac-sha256': signature });
    expect(check(hmac('shopify'), secret, body, { 'x-shopify-hmac-sha256': signature })).toEqual({ ok: true });
  });
  it('rejects a hex rendering of the same MAC and a base64url one', () => {
    const mac = Buffer.from(signature, 'base64');
    expect(check(hmac('shopify'), secret, body, { 'x-shopify-hmac-sha256': mac.toString('hex') }).ok).toBe(false);
    expect(check(hmac('shopify'), secret, body, { 'x-shopify-hmac-sha256': mac.toString('base64url') }).ok).toBe(false);
  });
});

describe('custom preset', () => {
  const body = '{"n":1}';
  it('defaults: x-signature, sha256, hex, no prefix, signs the body', () => {
    expect(check({ kind: 'hmac' }, 'k', body, { 'x-signature': hmacHex('k', body) }).ok).toBe(true);
  });
  it('header, algorithm, encoding, prefix, timestampHeader and signedContent together', () => {
    const auth = hmac('custom', {
      header: 'X-Acme-Sig', algorithm: 'sha512', encoding: 'base64', prefix: 'acme=',
      timestampHeader: 'X-Acme-Ts', signedContent: 'v2|{timestamp}|{body}', toleranceSec: 30,
    });
    const sig = Buffer.from(hmacHex('k', `v2|1000|${body}`, 'sha512'), 'hex').toString('base64');
    const headers = { 'x-acme-sig': `acme=${sig}`, 'x-acme-ts': '1000' };
    expect(check(auth, 'k', body, headers, 1030).ok).toBe(true);
    expect(check(auth, 'k', body, headers, 1031).ok).toBe(false);
    expect(check(auth, 'k', body, { 'x-acme-sig': sig, 'x-acme-ts': '1000' }, 1000).ok).toBe(false);
    expect(signPreset(auth, 'k', body, 1000)).toEqual(headers);
  });
  it.each([
    [{ signedContent: '{timestamp}' , timestampHeader: 'x-ts' }, 'signedContent must include {body}'],
    [{ signedContent: '{timestamp}.{body}' }, 'signedContent uses {timestamp} but timestampHeader is not set'],
    [{ timestampHeader: 'x-ts' }, 'timestampHeader is set but signedContent does not sign {timestamp}'],
    [{ header: 'bad header' }, 'header "bad header" is not a valid header name'],
    [{ algorithm: 'md5' as 'sha1' }, 'algorithm must be sha1, sha256 or sha512'],
    [{ encoding: 'base32' as 'hex' }, 'encoding must be hex or base64'],
    [{ toleranceSec: -1 }, 'toleranceSec must be a number of seconds ≥ 0'],
    [{ preset: 'gitlab' as 'custom' }, 'unknown hmac preset "gitlab"'],
  ])('refuses configuration %j', (extra, reason) => {
    const auth = { kind: 'hmac', ...extra } as HmacAuth;
    expect(check(auth, 'k', body, { 'x-signature': hmacHex('k', body), 'x-ts': '0' })).toEqual({ ok: false, reason });
    expect(() => signPreset(auth, 'k', body, 0)).toThrow(TypeError);
  });
});

describe('W-3 re-serialised JSON is rejected for every preset', () => {
  const original = '{"order":{"id":7,"items":[{"sku":"A","qty":2}]},"total":19.90}';
  const variants = [
    ['whitespace', JSON.stringify(JSON.parse(original), null, 2)],
    ['compact re-serialisation (19.90 → 19.9)', JSON.stringify(JSON.parse(original))],
    ['key order', '{"total":19.90,"order":{"id":7,"items":[{"sku":"A","qty":2}]}}'],
    ['trailing newline', `${original}\n`],
  ] as const;
  const now = 1_700_000_000;
  for (const { name, auth, secret } of AUTH_CASES) {
    it.each(variants)(`${name}: %s`, (_label, reserialised) => {
      const headers = signPreset(auth, secret, original, now, 'msg_w3');
      expect(check(auth, secret, original, headers, now).ok).toBe(true);
      expect(check(auth, secret, reserialised, headers, now).ok).toBe(false);
    });
  }
});

describe('W-5 timestamp window for Stripe and Slack (default 300 s)', () => {
  const signedAt = 1_700_000_000;
  const body = '{"id":"evt_1"}';
  const cases = [
    ['now−301 s', signedAt + 301, false], ['now+301 s', signedAt - 301, false],
    ['now−299 s', signedAt + 299, true], ['now+299 s', signedAt - 299, true],
  ] as const;
  it.each(cases)('stripe %s (now %i) → ok=%s', (_label, now, ok) => {
    const header = stripeHeader('sk', String(signedAt), body);
    expect(check(hmac('stripe'), 'sk', body, { 'stripe-signature': header }, now).ok).toBe(ok);
  });
  it.each(cases)('slack %s (now %i) → ok=%s', (_label, now, ok) => {
    expect(check(hmac('slack'), 'sk', body, slackHeaders('sk', String(signedAt), body), now).ok).toBe(ok);
  });
  it.each(['abc', '1700000000.5', '-5', '0x6553f100', ''])('non-numeric timestamp %j → rejected', (ts) => {
    expect(check(hmac('stripe'), 'sk', body, { 'stripe-signature': stripeHeader('sk', ts, body) }, signedAt).ok).toBe(false);
    expect(check(hmac('slack'), 'sk', body, slackHeaders('sk', ts, body), signedAt).ok).toBe(false);
  });
});
