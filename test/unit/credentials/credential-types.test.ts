// test/unit/credentials/credential-types.test.ts — per-type data rules: accepted shapes, normalisation, and problems that name the field, never the value.
import { describe, expect, it } from 'vitest';
import { checkCredentialData, type CredentialType } from '../../../server/credentials/credential-types.js';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SECRETISH = 'canary-7f3e9d';

describe('checkCredentialData accepts each type', () => {
  const good: Array<[CredentialType, Record<string, unknown>, Record<string, unknown>]> = [
    ['smtp', { host: 'smtp.example.com', port: 587, secure: false, user: 'me', pass: 'pw' }, { host: 'smtp.example.com', port: 587, secure: false, user: 'me', pass: 'pw' }],
    ['smtp', { host: '127.0.0.1', port: 25, secure: false, user: '', pass: null }, { host: '127.0.0.1', port: 25, secure: false }],
    ['hmac', { secret: "It's a Secret to Everybody" }, { secret: "It's a Secret to Everybody" }],
    ['hmac', { secret: '  new-secret \r\n\n old-secret\n' }, { secret: 'new-secret\nold-secret' }],
    ['standard-webhooks', { secret: WHSEC }, { secret: WHSEC }],
    ['basic', { username: 'sender', password: 'p a:ss' }, { username: 'sender', password: 'p a:ss' }],
    ['header', { name: 'X-Api-Key', value: 'tok en' }, { name: 'x-api-key', value: 'tok en' }],
  ];
  it.each(good)('%s %j', (type, data, want) => {
    const r = checkCredentialData(type, data);
    expect(r.problems).toEqual([]);
    expect(r.data).toEqual(want);
  });
});

describe('checkCredentialData names the bad field', () => {
  const bad: Array<[CredentialType, unknown, string]> = [
    ['smtp', null, 'data'],
    ['smtp', [], 'data'],
    ['smtp', { port: 587, secure: false }, 'data.host'],
    ['smtp', { host: 'a b', port: 587, secure: false }, 'data.host'],
    ['smtp', { host: 'h', port: 70000, secure: false }, 'data.port'],
    ['smtp', { host: 'h', port: '587', secure: false }, 'data.port'],
    ['smtp', { host: 'h', port: 587 }, 'data.secure'],
    ['smtp', { host: 'h', port: 587, secure: false, pass: `x\r\n${SECRETISH}` }, 'data.pass'],
    ['hmac', {}, 'data.secret'],
    ['hmac', { secret: ' \n \n' }, 'data.secret'],
    ['hmac', { secret: 42 }, 'data.secret'],
    ['hmac', { secret: Array.from({ length: 11 }, (_, i) => `s${i}`).join('\n') }, 'data.secret'],
    ['hmac', { secret: 's', extra: SECRETISH }, 'data.extra'],
    ['standard-webhooks', { secret: SECRETISH }, 'data.secret'],
    ['standard-webhooks', { secret: 'whsec_c2hvcnQ=' }, 'data.secret'],
    ['standard-webhooks', { secret: 'whsec_not base64!' }, 'data.secret'],
    ['basic', { username: 'a:b', password: 'x' }, 'data.username'],
    ['basic', { username: 'a', password: '' }, 'data.password'],
    ['header', { name: 'bad name', value: 'v' }, 'data.name'],
    ['header', { name: 'x-key', value: ` ${SECRETISH}` }, 'data.value'],
    ['header', { name: 'x-key', value: `${SECRETISH}\n` }, 'data.value'],
  ];
  it.each(bad)('%s %j → %s', (type, data, field) => {
    const r = checkCredentialData(type, data);
    expect(r.data).toBeUndefined();
    expect(r.problems[0].field).toBe(field);
    expect(JSON.stringify(r.problems)).not.toContain(SECRETISH);
  });

  it('reports every problem at once', () => {
    const r = checkCredentialData('smtp', { host: '', port: 0, secure: 'no' });
    expect(r.problems.map((p) => p.field)).toEqual(['data.host', 'data.port', 'data.secure']);
  });
});
