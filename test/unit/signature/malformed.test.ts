// test/unit/signature/malformed.test.ts — W-4: malformed signature and auth headers give { ok: false } for every preset and kind, never a throw.
import { describe, expect, it } from 'vitest';
import { verifyInbound } from '../../../server/ingress/signature.js';
import type { InboundAuth, InboundSecrets, VerifyResult } from '../../../server/ingress/signature.js';
import { signPreset } from '../../../server/ingress/signing.js';
import { AUTH_CASES, seededRng } from './fixtures.js';

const NOW = 1_700_000_000;
const BODY = '{"hello":"world"}';
const MEGABYTE = 1024 * 1024;

/** The reason verifyInbound gives when its last-resort catch fired: an exception happened inside. */
const CAUGHT = 'signature check failed';

/**
 * Runs the verifier and fails the test if it throws (the W-4 "never 500" rule) or if it only survived through its
 * last-resort catch (so e.g. a timingSafeEqual length error is caught by design, not by accident).
 */
function verifySafely(
  auth: InboundAuth, secrets: InboundSecrets, headers: Record<string, string>, allowCaught = false,
): VerifyResult {
  let result: VerifyResult | undefined;
  expect(() => { result = verifyInbound(auth, secrets, Buffer.from(BODY), headers, NOW); }).not.toThrow();
  const verified = result as VerifyResult;
  if (!allowCaught && !verified.ok) expect(verified.reason).not.toBe(CAUGHT);
  return verified;
}

/** Header name → malformed values, built from a valid signature so each case differs from it in one way. */
function malformedValues(good: string, prefix: string): [string, string][] {
  const bare = good.slice(prefix.length);
  return [
    ['empty header', ''],
    ['1-byte value', 'a'],
    ['1 MB value', 'a'.repeat(MEGABYTE)],
    ['1 MB value after a valid prefix', `${prefix}${'a'.repeat(MEGABYTE)}`],
    ['non-hex / non-base64 text', `${prefix}not*base64!and-not-hex`],
    ['prefix only', prefix === '' ? ' ' : prefix],
    ['prefix missing', prefix === '' ? `sha256=${bare}` : bare],
    ['valid encoding but too short (timingSafeEqual length trap)', `${prefix}abcd`],
    ['valid encoding but too long', `${prefix}${bare}${bare}`],
    ['duplicate header joined with ", "', `${good}, ${good}`],
    ['NUL and unicode', `${prefix}\u0000${'é'.repeat(40)}`],
    ['v1, with empty value', 'v1,'],
    ['t= and v1= empty', 't=,v1='],
  ];
}

describe('W-4 malformed signatures → { ok: false }, never a throw', () => {
  for (const { name, auth, secret } of AUTH_CASES) {
    const valid = signPreset(auth, secret, BODY, NOW, 'msg_w4');
    const signatureHeader = Object.keys(valid).find((h) => /sig|hmac/.test(h)) ?? '';
    const prefix = /^(sha256=|sha1=|v0=|v1,|sha512=)/.exec(valid[signatureHeader])?.[0] ?? '';

    it(`${name}: the valid request passes (control)`, () => {
      expect(verifySafely(auth, { hmac: [secret] }, valid)).toEqual({ ok: true });
    });

    it.each(malformedValues(valid[signatureHeader], prefix))(`${name}: %s`, (_label, value) => {
      const result = verifySafely(auth, { hmac: [secret] }, { ...valid, [signatureHeader]: value });
      expect(result.ok).toBe(false);
    });

    it(`${name}: signature header absent`, () => {
      const { [signatureHeader]: _dropped, ...rest } = valid;
      expect(verifySafely(auth, { hmac: [secret] }, rest).ok).toBe(false);
    });

    it(`${name}: every other signed header duplicated or removed`, () => {
      for (const header of Object.keys(valid).filter((h) => h !== signatureHeader && !/delivery|event-id/.test(h))) {
        const { [header]: _dropped, ...rest } = valid;
        expect(verifySafely(auth, { hmac: [secret] }, rest).ok).toBe(false);
        expect(verifySafely(auth, { hmac: [secret] }, { ...valid, [header]: `${valid[header]}, ${valid[header]}` }).ok)
          .toBe(false);
      }
    });

    it(`${name}: no secret configured, or only empty ones`, () => {
      expect(verifySafely(auth, {}, valid).ok).toBe(false);
      expect(verifySafely(auth, { hmac: [] }, valid).ok).toBe(false);
      expect(verifySafely(auth, { hmac: [''] }, valid).ok).toBe(false);
    });
  }
});

describe('W-4 fuzz: random header values never throw and never verify', () => {
  const alphabet = 'abcdef0123456789+/=,. vt:sha256=v1v0ABCXYZ\u0000é';
  it.each(AUTH_CASES.map((c) => [c.name, c] as const))('%s', (_name, { auth, secret }) => {
    const rng = seededRng(0x5eed);
    const valid = signPreset(auth, secret, BODY, NOW, 'msg_fuzz');
    for (let i = 0; i < 300; i += 1) {
      const headers: Record<string, string> = {};
      for (const name of Object.keys(valid)) {
        const length = Math.floor(rng() * 120);
        headers[name] = Array.from({ length }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('');
      }
      expect(verifySafely(auth, { hmac: [secret] }, headers).ok).toBe(false);
    }
  });
});

describe('W-4 for basic and static-header auth', () => {
  const basicSecrets: InboundSecrets = { basic: { username: 'shop', password: 'p@ss:word' } };
  const good = `Basic ${Buffer.from('shop:p@ss:word').toString('base64')}`;
  it.each([
    ['empty', ''],
    ['scheme only', 'Basic '],
    ['not base64', 'Basic !!!'],
    ['1-byte', 'B'],
    ['1 MB', `Basic ${'A'.repeat(MEGABYTE)}`],
    ['duplicate joined', `${good}, ${good}`],
    ['bearer instead of basic', `Bearer ${good.slice(6)}`],
    ['no colon in credentials', `Basic ${Buffer.from('shoppass').toString('base64')}`],
  ])('basic: %s → rejected', (_label, value) => {
    expect(verifySafely({ kind: 'basic' }, basicSecrets, { authorization: value }).ok).toBe(false);
  });

  it.each([
    ['empty', ''], ['1-byte', 'x'], ['1 MB', 'x'.repeat(MEGABYTE)], ['duplicate joined', 'tok-123, tok-123'],
    ['prefix of the token', 'tok-12'], ['token plus suffix', 'tok-1234'],
  ])('header token: %s → rejected', (_label, value) => {
    const secrets: InboundSecrets = { header: { name: 'x-hook-token', value: 'tok-123' } };
    expect(verifySafely({ kind: 'header' }, secrets, { 'x-hook-token': value }).ok).toBe(false);
  });

  it('a header object with inherited or non-string values never throws', () => {
    const odd = JSON.parse('{"__proto__":{"x-signature":"abc"},"constructor":1}') as Record<string, string>;
    expect(verifySafely({ kind: 'hmac' }, { hmac: ['k'] }, odd).ok).toBe(false);
    expect(verifySafely({ kind: 'header', header: 'constructor' }, { header: { name: '', value: 'x' } }, {}).ok)
      .toBe(false);
  });

  it('unknown auth kinds and broken configuration fail closed', () => {
    expect(verifySafely({ kind: 'oauth' } as unknown as InboundAuth, {}, {}).ok).toBe(false);
    const numericHeader = { kind: 'hmac', header: 42 } as unknown as InboundAuth;
    expect(verifySafely(numericHeader, { hmac: ['k'] }, {}, true)).toEqual({ ok: false, reason: CAUGHT });
    const secretNotList = { hmac: 'k' } as unknown as InboundSecrets;
    expect(verifySafely({ kind: 'hmac' }, secretNotList, {}, true)).toEqual({ ok: false, reason: CAUGHT });
  });
});
