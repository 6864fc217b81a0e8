/** Safe dotted-path look-up (`body.items[0].sku`) over own properties only; never reaches prototypes. */

/** A malformed path; `position` is the 0-based index in the path string where parsing failed. */
export class PathSyntaxError extends Error {
  readonly path: string;
  readonly position: number;
  constructor(path: string, position: number, reason: string) {
    super(`invalid path ${JSON.stringify(path)}: ${reason} at position ${position}`);
    this.name = 'PathSyntaxError';
    this.path = path;
    this.position = position;
  }
}

/** Keys that lead to prototypes or constructors: a look-up through any of them yields `undefined`. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const DOT = 46; // .
const OPEN = 91; // [
const CLOSE = 93; // ]

/**
 * Splits a path into its keys. Grammar, after trimming surrounding whitespace:
 * - `""` or `"."` → `[]` (the root); one leading `.` is allowed (`.body` = `body`);
 * - keys are separated by `.`; a key is any run of characters other than `.`, `[`, `]`
 *   (so `x-github-delivery` and `0` are plain keys; `a.0.b` indexes arrays too);
 * - `[n]` (decimal digits) is an index, `["k"]` / `['k']` a quoted key that may hold `.`, `[` or `]`.
 *
 * @throws PathSyntaxError for an empty key (`a..b`, `a.`), an unclosed `[` or quote, `[]`,
 *   a non-numeric unquoted index (`a[x]`), or a stray `]`.
 * @example parsePath('body.items[0]["sku.code"]') // ['body', 'items', '0', 'sku.code']
 */
export function parsePath(path: string): string[] {
  const p = path.trim();
  if (p === '' || p === '.') return [];
  const keys: string[] = [];
  let i = p.charCodeAt(0) === DOT ? 1 : 0;
  let needKey = true; // a plain key must follow (start, or after a dot)
  while (i < p.length) {
    const c = p.charCodeAt(i);
    if (c === OPEN) {
      if (needKey && keys.length > 0) throw new PathSyntaxError(path, i, 'expected a key after "."');
      i = readBracket(p, i, keys, path);
      needKey = false;
    } else if (c === DOT) {
      if (needKey) throw new PathSyntaxError(path, i, 'empty key');
      needKey = true;
      i++;
    } else if (c === CLOSE) {
      throw new PathSyntaxError(path, i, 'unexpected "]"');
    } else {
      if (!needKey) throw new PathSyntaxError(path, i, 'expected "." or "[" after "]"');
      let j = i + 1;
      while (j < p.length) {
        const d = p.charCodeAt(j);
        if (d === DOT || d === OPEN || d === CLOSE) break;
        j++;
      }
      keys.push(p.slice(i, j));
      needKey = false;
      i = j;
    }
  }
  if (needKey) throw new PathSyntaxError(path, p.length, 'path ends with "."');
  return keys;
}

/** Reads `[digits]` or `["key"]`/`['key']` starting at `start` (the `[`); returns the index after `]`. */
function readBracket(p: string, start: number, keys: string[], path: string): number {
  const q = p[start + 1];
  if (q === '"' || q === "'") {
    const end = p.indexOf(q, start + 2);
    if (end < 0) throw new PathSyntaxError(path, start + 1, `unclosed ${q}`);
    if (p.charCodeAt(end + 1) !== CLOSE) throw new PathSyntaxError(path, end + 1, 'expected "]" after the quoted key');
    keys.push(p.slice(start + 2, end));
    return end + 2;
  }
  let j = start + 1;
  while (j < p.length && p.charCodeAt(j) >= 48 && p.charCodeAt(j) <= 57) j++;
  if (j >= p.length) throw new PathSyntaxError(path, start, 'unclosed "["');
  if (p.charCodeAt(j) !== CLOSE) throw new PathSyntaxError(path, j, 'expected digits or a quoted key inside "[ ]"');
  if (j === start + 1) throw new PathSyntaxError(path, start, 'empty "[]"');
  keys.push(p.slice(start + 1, j));
  return j + 1;
}

/**
 * Follows already-parsed keys from `root`. Each step needs an object or array holding the key as an
 * own property (`Object.hasOwn`); primitives, inherited members and the keys `__proto__`,
 * `constructor` and `prototype` all yield `undefined`. Use this with `parsePath` once when the same
 * path is looked up many times.
 */
export function lookup(root: unknown, keys: readonly string[]): unknown {
  let cur = root;
  for (const key of keys) {
    if (cur === null || typeof cur !== 'object' || FORBIDDEN_KEYS.has(key) || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * The value at `path` inside `root`, or `undefined` when any step is missing. `""` and `"."` return `root`.
 * @throws PathSyntaxError when the path is malformed (see `parsePath`).
 * @example getPath({ headers: { 'x-id': 'a' } }, 'headers.x-id') // 'a'
 */
export function getPath(root: unknown, path: string): unknown {
  return lookup(root, parsePath(path));
}
