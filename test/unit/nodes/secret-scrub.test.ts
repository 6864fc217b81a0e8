// A-14: the scrubber finds a secret raw, escaped, URL-encoded and inside base64 at any alignment, and cuts whole base64 runs.
import { describe, expect, it } from 'vitest';
import { createScrub, scrubDeep } from '../../../nodes/secret-scrub.js';
import { leaks } from '../../integration/credentials-helpers.js';

const SECRET = 'hunter2-"quoted"/&+';

describe('createScrub (A-14)', () => {
  const scrub = createScrub([SECRET]);

  it.each([
    ['raw', `pass=${SECRET} end`],
    ['JSON-escaped', JSON.stringify({ p: SECRET })],
    ['URL-encoded', `?p=${encodeURIComponent(SECRET)}`],
    ['form-encoded', new URLSearchParams({ p: SECRET }).toString()],
    ['AUTH PLAIN', `535 AUTH PLAIN ${Buffer.from(`\0user\0${SECRET}`).toString('base64')} failed`],
    ['Basic', `Basic ${Buffer.from(`shop:${SECRET}`).toString('base64')}`],
    ['base64url, offset 1', Buffer.from(`x${SECRET}yz`).toString('base64url')],
    ['base64, offset 2', `[${Buffer.from(`ab${SECRET}`).toString('base64')}]`],
  ])('A-14: cuts the %s form', (_name, text) => {
    const out = scrub(text);
    expect(leaks(out, SECRET)).toEqual([]);
    expect(out).toContain('[redacted]');
  });

  it('replaces the whole base64 run, so no edge characters of the secret stay', () => {
    const blob = Buffer.from(`\0user\0${SECRET}`).toString('base64');
    expect(scrub(`AUTH PLAIN ${blob} rest`)).toBe('AUTH PLAIN [redacted] rest');
  });

  it('leaves other text alone, and ignores secrets under 4 characters', () => {
    expect(scrub('nothing to see, c2VjcmV0 stays')).toBe('nothing to see, c2VjcmV0 stays');
    expect(createScrub(['abc', undefined, ''])('abc abc')).toBe('abc abc');
  });

  it('scrubDeep walks values and keys and keeps the shape', () => {
    expect(scrubDeep({ headers: { echo: SECRET, [SECRET]: 1 }, list: [SECRET, 2, null] }, scrub))
      .toEqual({ headers: { echo: '[redacted]', '[redacted]': 1 }, list: ['[redacted]', 2, null] });
  });
});
