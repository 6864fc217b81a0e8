import { describe, expect, it } from 'vitest';
import { MailFieldError, parseAddress, parseAddressList, parseSingleAddress, checkHeaderText } from '../../../server/adapters/email-address.js';

describe('strict address parsing', () => {
  it.each([
    ['ann@example.test', { name: '', address: 'ann@example.test' }],
    ['  ann@example.test  ', { name: '', address: 'ann@example.test' }],
    ['Ann Lee <ann@example.test>', { name: 'Ann Lee', address: 'ann@example.test' }],
    ['<ann@example.test>', { name: '', address: 'ann@example.test' }],
    ['J. R. Müller <jr.mueller+orders@mail.example-shop.test>', { name: 'J. R. Müller', address: 'jr.mueller+orders@mail.example-shop.test' }],
    ["o'brien@example.test", { name: '', address: "o'brien@example.test" }],
  ])('accepts %j', (input, expected) => {
    expect(parseAddress('to', input)).toEqual(expected);
  });

  it.each([
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.test`],
    ['a leading dot', '.ann@example.test'],
    ['two dots', 'ann..lee@example.test'],
    ['a label starting with a hyphen', 'ann@-example.test'],
    ['a numeric top-level label', 'ann@example.123'],
    ['a single-label domain', 'ann@localhost'],
    ['a non-ASCII domain', 'ann@jõgeva.ee'],
    ['a space inside the brackets', 'Ann <ann @example.test>'],
    ['text after the brackets', 'Ann <ann@example.test> x'],
    ['nested brackets', 'Ann <<ann@example.test>>'],
    ['a backslash in the name', 'Ann\\ <ann@example.test>'],
    ['an @ in the name', 'ann@x.test <ann@example.test>'],
  ])('refuses %s', (_why, input) => {
    expect(() => parseAddress('to', input)).toThrow(MailFieldError);
  });

  it('splits a comma-separated list and arrays of lists', () => {
    expect(parseAddressList('to', 'a@x.test, B <b@y.test>').map((a) => a.address)).toEqual(['a@x.test', 'b@y.test']);
    expect(parseAddressList('cc', ['a@x.test', 'b@y.test, c@z.test']).map((a) => a.address)).toEqual(['a@x.test', 'b@y.test', 'c@z.test']);
  });

  it('names the field in every refusal', () => {
    const e = (() => { try { parseAddressList('bcc', ['ok@x.test', 42]); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(MailFieldError);
    expect(e).toMatchObject({ field: 'bcc' });
  });

  it('from and replyTo hold exactly one address', () => {
    expect(parseSingleAddress('from', 'Shop <shop@x.test>')).toEqual({ name: 'Shop', address: 'shop@x.test' });
    expect(() => parseSingleAddress('replyTo', 'a@x.test,b@x.test')).toThrow(/exactly one/);
  });

  it('header text allows TAB but no other control character', () => {
    expect(checkHeaderText('subject', 'a\tb', 998)).toBe('a\tb');
    for (const c of ['\r', '\n', '\u0000', '\u0008', '\u001b', '\u007f']) expect(() => checkHeaderText('subject', `a${c}b`, 998)).toThrow(MailFieldError);
    // percent-encoded breaks are refused in address fields only: "100%0A" may be a fine subject
    expect(checkHeaderText('subject', 'Save 100%0A', 998)).toBe('Save 100%0A');
    expect(() => checkHeaderText('to', 'a%0Ab@x.test', 998, true)).toThrow(/percent-encoded/);
  });
});
