import { describe, expect, it } from 'vitest';
import { NodeError } from '../../../nodes/contract.js';
import { compileCheck, createBoundedCache, createSafeRegex, DEFAULT_REGEX_LIMITS } from '../../../nodes/safe-regex.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof NodeError ? `${e.code}${e.retryable ? ':retryable' : ''}` : `other:${String(e)}`;
  }
  return undefined;
};

describe('safe regex (the engine behind ctx.regex and matches)', () => {
  const rx = createSafeRegex();

  it.each<[string, string, string, boolean]>([
    ['^a+$', '', 'aaa', true],
    ['b', '', 'abc', true], // unanchored search, like RegExp.test
    ['^B', 'i', 'bc', true],
    ['^c', 'm', 'ab\ncd', true],
    ['^c', '', 'ab\ncd', false],
    ['a.c', 's', 'a\nc', true],
    ['a.c', '', 'a\nc', false],
    ['(?<year>\\d{4})-\\d{2}', '', '2024-05', true], // named groups translate
    ['\\u00e9', 'u', 'é', true],
    ['\\u{1F600}', 'u', '😀', true],
    ['^\\d+$', 'g', '123', true], // g accepted, meaningless for test
    ['[\\-a]', '', '-', true],
    ['a\\/b', '', 'a/b', true],
  ])('/%s/%s on %j → %s', (pattern, flags, subject, expected) => {
    expect(rx.test(pattern, flags, subject)).toBe(expected);
  });

  it.each<[string, string, RegExp]>([
    ['(a)\\1', '', /backreferences/],
    ['(?<n>a)\\k<n>', '', /named backreferences/],
    ['(?=a)', '', /lookahead/],
    ['(?!a)', '', /lookahead/],
    ['(?<=a)b', '', /lookbehind/],
    ['(?<!a)b', '', /lookbehind/],
    ['[', '', /missing closing \]/],
    ['a{1001}', '', /invalid repeat count/],
    ['a', 'y', /unsupported flag "y"/],
    ['a', 'x', /unsupported flag "x"/],
    ['x'.repeat(DEFAULT_REGEX_LIMITS.maxPatternLength + 1), '', /longer than 1000 characters/],
  ])('refuses /%s/%s with invalid_regex naming the pattern', (pattern, flags, reason) => {
    let error: unknown;
    try {
      rx.test(pattern, flags, 'aaa');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ code: 'invalid_regex', retryable: false });
    expect((error as NodeError).message).toMatch(reason);
    expect((error as NodeError).message).toContain(`/${pattern.slice(0, 20)}`);
  });

  it('treats escaped or bracketed look-alikes as literals', () => {
    expect(rx.test('\\(?=a', '', '(=a')).toBe(true);
    expect(rx.test('[(?=]', '', '=')).toBe(true);
    expect(rx.test('[?!]', '', '!')).toBe(true);
  });

  it('V-1: catastrophic-backtracking shapes run in linear time', () => {
    const cases: Array<[string, string]> = [
      ['^(a|a)*$', 'a'.repeat(31) + 'b'],
      ['^(a+)+$', 'a'.repeat(40) + '!'],
      ['(x+x+)+y', 'x'.repeat(5000)],
      ['^(\\w+\\s?)*$', 'word '.repeat(2000) + '!'],
    ];
    for (const [pattern, subject] of cases) {
      const t0 = performance.now();
      expect(rx.test(pattern, '', subject)).toBe(false);
      const ms = performance.now() - t0;
      console.log(`re2js /${pattern}/ on ${subject.length} chars: ${ms.toFixed(2)} ms`);
      expect(ms).toBeLessThan(500);
    }
  });

  it('refuses subjects over the cap', () => {
    const small = createSafeRegex({ maxSubjectLength: 10 });
    expect(small.test('a', '', 'a'.repeat(10))).toBe(true);
    expect(codeOf(() => small.test('a', '', 'a'.repeat(11)))).toBe('regex_subject_too_long');
    expect(codeOf(() => rx.test('a', '', 'a'.repeat(DEFAULT_REGEX_LIMITS.maxSubjectLength + 1)))).toBe('regex_subject_too_long');
  });

  it('compileCheck returns null or the reason', () => {
    expect(compileCheck('^\\d+$', 'i')).toBeNull();
    expect(compileCheck('(a)\\1', '')).toMatch(/^invalid regular expression \/\(a\)\\1\/: backreferences/);
  });

  it('shortens very long patterns in messages', () => {
    const long = `(a)\\1${'x'.repeat(500)}`;
    expect(compileCheck(long, '')).toContain('…');
    expect((compileCheck(long, '') ?? '').length).toBeLessThan(250);
  });

  it('keeps instances independent', () => {
    const a = createSafeRegex({ maxSubjectLength: 1 });
    const b = createSafeRegex();
    expect(codeOf(() => a.test('x', '', 'xx'))).toBe('regex_subject_too_long');
    expect(b.test('x', '', 'xx')).toBe(true);
  });
});

describe('bounded cache', () => {
  it('evicts the least recently used entry', () => {
    const c = createBoundedCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now most recent
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('overwrites without growing', () => {
    const c = createBoundedCache<string, number>(2);
    c.set('a', 1);
    c.set('a', 2);
    expect(c.size).toBe(1);
    expect(c.get('a')).toBe(2);
  });
});
