/** Linear-time user regular expressions on re2js (no backtracking), with length caps and a bounded compile cache. */
import { RE2JS } from 're2js';
import { permanent, type NodeError, type SafeRegex } from './contract.js';

export interface SafeRegexLimits {
  /** Longest accepted pattern, in UTF-16 code units. @default 1000 */
  maxPatternLength: number;
  /** Longest subject `test` accepts, in UTF-16 code units. @default 1048576 (1 MiB) */
  maxSubjectLength: number;
  /** Compiled patterns kept per `createSafeRegex()` instance (least recently used evicted). @default 256 */
  cacheSize: number;
}

export const DEFAULT_REGEX_LIMITS: Readonly<SafeRegexLimits> = Object.freeze({
  maxPatternLength: 1000,
  maxSubjectLength: 1 << 20,
  cacheSize: 256,
});

/** A size-bounded map that evicts the least recently used entry (Map keeps insertion order). */
export interface BoundedCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  readonly size: number;
}

export function createBoundedCache<K, V>(max: number): BoundedCache<K, V> {
  const map = new Map<K, V>();
  return {
    get(key) {
      const v = map.get(key);
      if (v !== undefined) {
        map.delete(key);
        map.set(key, v); // mark as most recently used
      }
      return v;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value as K);
    },
    get size() {
      return map.size;
    },
  };
}

/**
 * JS syntax re2 cannot run in linear time. Checked on the source before translation because
 * `RE2JS.translateRegExp` silently turns `\k<name>` into the literal `k<name>`.
 */
function findUnsupported(pattern: string): string | null {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(n)) return 'backreferences (\\1…\\9) are not supported';
      if (!inClass && n === 'k' && pattern[i + 2] === '<') return 'named backreferences (\\k<…>) are not supported';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const next = pattern.slice(i + 2, i + 4);
      if (next[0] === '=' || next[0] === '!') return 'lookahead ((?=…), (?!…)) is not supported';
      if (next === '<=' || next === '<!') return 'lookbehind ((?<=…), (?<!…)) is not supported';
    }
  }
  return null;
}

const FLAG_BITS: Readonly<Record<string, number>> = Object.freeze({
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0, // re2js always matches by code point
  g: 0, // meaningless for a yes/no test; accepted so `/x/g` pasted from JS works
});

function invalid(pattern: string, reason: string): NodeError {
  const shown = pattern.length > 100 ? `${pattern.slice(0, 100)}…` : pattern;
  return permanent('invalid_regex', `invalid regular expression /${shown}/: ${reason}`, { pattern: shown });
}

/**
 * Compiles a JS-syntax pattern with re2js. Flags: `i`, `m`, `s`; `u` and `g` are accepted and ignored.
 * @throws NodeError `invalid_regex` (permanent) naming the pattern, for syntax re2 lacks
 *   (backreferences, lookaround), bad flags, a pattern over `maxPatternLength`, or any other syntax error.
 */
export function compileRe2(pattern: string, flags: string, maxPatternLength = DEFAULT_REGEX_LIMITS.maxPatternLength): RE2JS {
  if (pattern.length > maxPatternLength) throw invalid(pattern, `longer than ${maxPatternLength} characters`);
  let bits = 0;
  for (const f of flags) {
    const bit = FLAG_BITS[f];
    if (bit === undefined || !Object.hasOwn(FLAG_BITS, f)) throw invalid(pattern, `unsupported flag "${f}" (use i, m, s)`);
    bits |= bit;
  }
  const unsupported = findUnsupported(pattern);
  if (unsupported) throw invalid(pattern, unsupported);
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
  } catch (e) {
    throw invalid(pattern, e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e));
  }
}

/** Save-time check: `null` when `pattern` compiles with `flags`, else the reason, e.g. for `{field, message}` lists. */
export function compileCheck(pattern: string, flags: string): string | null {
  try {
    compileRe2(pattern, flags);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * The linear-time engine behind `ctx.regex`. Each instance owns its cache: build one in the composition root.
 * `test` throws NodeError `invalid_regex` (see `compileRe2`) or `regex_subject_too_long` (both permanent).
 */
export function createSafeRegex(limits: Partial<SafeRegexLimits> = {}): SafeRegex {
  const { maxPatternLength, maxSubjectLength, cacheSize } = { ...DEFAULT_REGEX_LIMITS, ...limits };
  const cache = createBoundedCache<string, RE2JS>(cacheSize);
  return {
    test(pattern, flags, subject) {
      if (subject.length > maxSubjectLength) {
        throw permanent('regex_subject_too_long', `regex subject is ${subject.length} characters, over the ${maxSubjectLength} limit`);
      }
      const key = `${flags}/${pattern}`;
      let re = cache.get(key);
      if (re === undefined) {
        re = compileRe2(pattern, flags, maxPatternLength);
        cache.set(key, re);
      }
      return re.test(subject);
    },
  };
}
