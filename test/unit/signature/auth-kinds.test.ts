// test/unit/signature/auth-kinds.test.ts — none/basic/header auth kinds, presetHeaders, idempotencyHeaderFor and signPreset's contract.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TOKEN_HEADER, idempotencyHeaderFor, presetHeaders, verifyInbound,
} from '../../../server/ingress/signature.js';
import type { HmacPreset, InboundSecrets } from '../../../server/ingress/signature.js';
import { signPreset } from '../../../server/ingress/signing.js';

const body = Buffer.from('{}');
const basicHeader = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('kind none', () => {
  it('accepts anything', () => {
    expect(verifyInbound({ kind: 'none' }, {}, body, {}, 0)).toEqual({ ok: true });
  });
});

describe('kind basic', () => {
  const secrets: InboundSecrets = { basic: { username: 'shop', password: 'p@ss:word' } };
  it.each([
    ['right user and password', basicHeader('shop', 'p@ss:word'), true],
    ['lower-case scheme', `basic ${basicHeader('shop', 'p@ss:word').slice(6)}`, true],
    ['wrong password', basicHeader('shop', 'p@ss:wore'), false],
    ['wrong user', basicHeader('shoq', 'p@ss:word'), false],
    ['empty user and password', basicHeader('', ''), false],
  ])('%s → ok=%s', (_label, authorization, ok) => {
    expect(verifyInbound({ kind: 'basic' }, secrets, body, { authorization }, 0).ok).toBe(ok);
  });
  it('refuses when no credential (or an empty password) is configured', () => {
    const header = { authorization: basicHeader('', '') };
    expect(verifyInbound({ kind: 'basic' }, {}, body, header, 0).ok).toBe(false);
    expect(verifyInbound({ kind: 'basic' }, { basic: { username: '', password: '' } }, body, header, 0).ok).toBe(false);
  });
});

describe('kind header (static token)', () => {
  const secrets: InboundSecrets = { header: { name: 'X-Hook-Token', value: 'tok-123' } };
  it('reads the header the credential names (case-insensitively)', () => {
    expect(verifyInbound({ kind: 'header' }, secrets, body, { 'x-hook-token': 'tok-123' }, 0)).toEqual({ ok: true });
    expect(verifyInbound({ kind: 'header' }, secrets, body, { 'x-hook-token': 'tok-124' }, 0).ok).toBe(false);
  });
  it('the node\'s header param overrides the credential\'s name', () => {
    const auth = { kind: 'header', header: 'Authorization' } as const;
    expect(verifyInbound(auth, secrets, body, { authorization: 'tok-123' }, 0).ok).toBe(true);
    expect(verifyInbound(auth, secrets, body, { 'x-hook-token': 'tok-123' }, 0).ok).toBe(false);
  });
  it(`falls back to ${DEFAULT_TOKEN_HEADER} when nothing names a header`, () => {
    const unnamed: InboundSecrets = { header: { name: '', value: 'tok-123' } };
    expect(verifyInbound({ kind: 'header' }, unnamed, body, { [DEFAULT_TOKEN_HEADER]: 'tok-123' }, 0).ok).toBe(true);
  });
  it('an empty configured token never matches', () => {
    const empty: InboundSecrets = { header: { name: 'x-hook-token', value: '' } };
    expect(verifyInbound({ kind: 'header' }, empty, body, { 'x-hook-token': '' }, 0).ok).toBe(false);
    expect(verifyInbound({ kind: 'header' }, {}, body, { 'x-hook-token': 'tok-123' }, 0).ok).toBe(false);
  });
});

describe('presetHeaders and idempotencyHeaderFor', () => {
  it.each([
    ['github', ['x-hub-signature-256'], 'x-github-delivery'],
    ['stripe', ['stripe-signature'], undefined],
    ['shopify', ['x-shopify-hmac-sha256'], 'x-shopify-event-id'],
    ['slack', ['x-slack-signature', 'x-slack-request-timestamp'], undefined],
    ['standard-webhooks', ['webhook-signature', 'webhook-timestamp', 'webhook-id'], 'webhook-id'],
    ['custom', ['x-signature'], undefined],
  ] as [HmacPreset, string[], string | undefined][])('%s reads %j, delivery id %s', (preset, headers, idHeader) => {
    expect(presetHeaders(preset)).toEqual(headers);
    expect(idempotencyHeaderFor(preset)).toBe(idHeader);
  });
  it('reflects the configuration for custom and github sha1', () => {
    expect(presetHeaders('custom', { header: 'X-Sig', timestampHeader: 'X-Ts', signedContent: '{timestamp}.{body}' }))
      .toEqual(['x-sig', 'x-ts']);
    expect(presetHeaders('github', { algorithm: 'sha1' })).toEqual(['x-hub-signature']);
    expect(presetHeaders('unknown' as HmacPreset)).toEqual([]);
    expect(idempotencyHeaderFor('toString' as HmacPreset)).toBeUndefined();
  });
});

describe('signPreset contract', () => {
  it('adds the delivery-id header when an id is given', () => {
    const headers = signPreset({ kind: 'hmac', preset: 'github' }, 's', '{}', 0, 'd-1');
    expect(headers['x-github-delivery']).toBe('d-1');
    expect(Object.keys(signPreset({ kind: 'hmac', preset: 'stripe' }, 's', '{}', 0, 'd-1'))).toEqual(['stripe-signature']);
  });
  it('floors fractional seconds, as senders send integers', () => {
    expect(signPreset({ kind: 'hmac', preset: 'slack' }, 's', '{}', 1000.9)['x-slack-request-timestamp']).toBe('1000');
  });
  it.each([
    ['standard-webhooks without an id', () => signPreset({ kind: 'hmac', preset: 'standard-webhooks' }, 'whsec_AAAA', '{}', 0)],
    ['standard-webhooks id with "."', () => signPreset({ kind: 'hmac', preset: 'standard-webhooks' }, 'whsec_AAAA', '{}', 0, 'a.b')],
    ['standard-webhooks secret not base64', () => signPreset({ kind: 'hmac', preset: 'standard-webhooks' }, 'whsec_!!', '{}', 0, 'a')],
    ['empty secret', () => signPreset({ kind: 'hmac', preset: 'github' }, '', '{}', 0)],
    ['clock not a number', () => signPreset({ kind: 'hmac', preset: 'github' }, 's', '{}', Number.NaN)],
  ])('throws TypeError: %s', (_label, call) => {
    expect(call).toThrow(TypeError);
  });
});
