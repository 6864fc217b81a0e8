// test/unit/signature/standard-webhooks.test.ts — W-1, W-5, W-7, W-8, W-9 for the standard-webhooks preset, cross-checked with the reference library.
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { verifyInbound } from '../../../server/ingress/signature.js';
import type { HmacAuth, InboundAuth } from '../../../server/ingress/signature.js';
import { signPreset, signStandardWebhooks } from '../../../server/ingress/signing.js';
import { STANDARD_VECTOR, standardHeaders } from './fixtures.js';

const AUTH: HmacAuth = { kind: 'hmac', preset: 'standard-webhooks' };
const SECRET = STANDARD_VECTOR.secret;
const OTHER = 'whsec_c2VjcmV0LW9mLWZsb3ctQg==';
const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const BODY = '{"type":"order.created","data":{"id":42,"total":19.9}}';

const verify = (headers: Record<string, string>, now: number, secrets: string[] = [SECRET], body = BODY) =>
  verifyInbound(AUTH, { hmac: secrets }, Buffer.from(body), headers, now);

describe('W-1 Standard Webhooks, both directions against the reference library', () => {
  it('accepts a signature made by standardwebhooks Webhook.sign', () => {
    const now = 1_700_000_000;
    const signature = new Webhook(SECRET).sign(ID, new Date(now * 1000), BODY);
    const headers = { 'webhook-id': ID, 'webhook-timestamp': String(now), 'webhook-signature': signature };
    expect(verify(headers, now)).toEqual({ ok: true });
  });

  it('produces signatures that standardwebhooks Webhook.verify accepts', () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = signPreset(AUTH, SECRET, BODY, now, ID);
    expect(new Webhook(SECRET).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    const single = signStandardWebhooks(SECRET, ID, now, Buffer.from(BODY));
    expect(single).toBe(headers['webhook-signature']);
    expect(() => new Webhook(SECRET).verify(BODY, { ...headers, 'webhook-signature': single })).not.toThrow();
  });

  it('reproduces the spec test vector and accepts it', () => {
    const { secret, id, timestamp, body, signature } = STANDARD_VECTOR;
    expect(signStandardWebhooks(secret, id, timestamp, body)).toBe(signature);
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(verifyInbound(AUTH, { hmac: [secret] }, Buffer.from(body), headers, timestamp)).toEqual({ ok: true });
  });

  it('accepts the secret without its whsec_ prefix, as the reference library does', () => {
    const now = 1_700_000_000;
    const headers = signPreset(AUTH, SECRET, BODY, now, ID);
    expect(verify(headers, now, [SECRET.slice('whsec_'.length)])).toEqual({ ok: true });
  });

  it('signs the raw bytes, also when they are not valid UTF-8', () => {
    const now = 1_700_000_000;
    const raw = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    const headers = signPreset(AUTH, SECRET, raw, now, ID);
    expect(verifyInbound(AUTH, { hmac: [SECRET] }, raw, headers, now)).toEqual({ ok: true });
    expect(verifyInbound(AUTH, { hmac: [SECRET] }, Buffer.from(raw.toString('utf8')), headers, now).ok).toBe(false);
  });
});

describe('W-5 timestamp window (default 300 s)', () => {
  const signedAt = 1_700_000_000;
  const headers = standardHeaders(SECRET, ID, String(signedAt), BODY);
  it.each([
    ['now−301 s (too old)', signedAt + 301, false],
    ['now+301 s (too new)', signedAt - 301, false],
    ['now−299 s', signedAt + 299, true],
    ['now+299 s', signedAt - 299, true],
    ['now−300 s (boundary)', signedAt + 300, true],
    ['now+300 s (boundary)', signedAt - 300, true],
    ['exactly now', signedAt, true],
  ])('timestamp %s (now %i) → ok=%s', (_label, now, ok) => {
    expect(verify(headers, now).ok).toBe(ok);
  });

  it.each(['abc', '', '1700000000.0', '1.7e9', '-1700000000', ' 1700000000', '1700000000, 1700000000'])(
    'non-numeric webhook-timestamp %j → rejected even when correctly signed over it',
    (ts) => {
      const forged = standardHeaders(SECRET, ID, ts, BODY);
      expect(verify(forged, signedAt).ok).toBe(false);
    },
  );

  it('honours a configured toleranceSec', () => {
    const auth: InboundAuth = { kind: 'hmac', preset: 'standard-webhooks', toleranceSec: 10 };
    const check = (now: number) => verifyInbound(auth, { hmac: [SECRET] }, Buffer.from(BODY), headers, now).ok;
    expect(check(signedAt + 10)).toBe(true);
    expect(check(signedAt + 11)).toBe(false);
  });
});

describe('W-7 rotation', () => {
  const now = 1_700_000_000;
  const good = standardHeaders(SECRET, ID, String(now), BODY)['webhook-signature'];
  const bad = standardHeaders(OTHER, ID, String(now), BODY)['webhook-signature'];
  const withSignature = (sig: string) => ({ 'webhook-id': ID, 'webhook-timestamp': String(now), 'webhook-signature': sig });

  it.each([
    ['v1,<bad> v1,<good>', `${bad} ${good}`, true],
    ['v1,<good> v1,<bad>', `${good} ${bad}`, true],
    ['v9,<x> v1,<good> (unknown version ignored)', `v9,${good.slice(3)} ${good}`, true],
    ['v1a,<ed25519> v1,<good>', `v1a,${Buffer.alloc(64, 7).toString('base64')} ${good}`, true],
    ['v1,<bad> only', bad, false],
    ['v9,<good bytes> only: version must be v1', `v9,${good.slice(3)}`, false],
    ['v1,<wrong-length base64> v1,<good>', `v1,AAAA ${good}`, true],
  ])('%s (%s) → ok=%s', (_label, sig, ok) => {
    expect(verify(withSignature(sig), now).ok).toBe(ok);
  });

  it('either of two active secrets verifies; the old one alone after the grace period does not', () => {
    const signedWithOld = standardHeaders(OTHER, ID, String(now), BODY);
    const signedWithNew = standardHeaders(SECRET, ID, String(now), BODY);
    expect(verify(signedWithOld, now, [SECRET, OTHER]).ok).toBe(true);
    expect(verify(signedWithNew, now, [SECRET, OTHER]).ok).toBe(true);
    expect(verify(signedWithOld, now, [SECRET]).ok).toBe(false);
  });

  it('ignores unusable secrets in the list instead of failing the request', () => {
    const headers = standardHeaders(SECRET, ID, String(now), BODY);
    expect(verify(headers, now, ['', 'whsec_!!!not-base64', SECRET]).ok).toBe(true);
    expect(verify(headers, now, ['', 'whsec_']).ok).toBe(false);
    expect(verify(headers, now, []).ok).toBe(false);
  });
});

describe('W-8 delimiter injection', () => {
  const now = 1_700_000_000;
  it.each([
    ['webhook-id with "."', 'msg_1.1700000000', String(now)],
    ['webhook-id that is only "."', '.', String(now)],
    ['webhook-id joined from a duplicate header', 'msg_1, msg_1', String(now)],
    ['non-integer timestamp', 'msg_1', `${now}.5`],
    ['timestamp carrying extra content', 'msg_1', `${now}.{"x":1}`],
  ])('%s → rejected even when signed over exactly that content', (_label, id, ts) => {
    expect(verify(standardHeaders(SECRET, id, ts, BODY), now).ok).toBe(false);
  });
});

describe('W-9 cross-flow replay', () => {
  it('a request signed with flow A\'s secret fails with flow B\'s secret', () => {
    const now = 1_700_000_000;
    const headers = signPreset(AUTH, SECRET, BODY, now, ID);
    expect(verify(headers, now, [SECRET]).ok).toBe(true);
    expect(verify(headers, now, [OTHER])).toEqual({ ok: false, reason: 'signature does not match' });
  });
});
