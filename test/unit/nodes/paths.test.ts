import { describe, expect, it } from 'vitest';
import { getPath, lookup, parsePath, PathSyntaxError } from '../../../nodes/paths.js';

describe('parsePath', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['.', []],
    ['  ', []],
    [' body ', ['body']],
    ['body', ['body']],
    ['.body', ['body']],
    ['body.items', ['body', 'items']],
    ['body.items[0].sku', ['body', 'items', '0', 'sku']],
    ['body.items.0.sku', ['body', 'items', '0', 'sku']],
    ['headers.x-github-delivery', ['headers', 'x-github-delivery']],
    ['a[0][12]', ['a', '0', '12']],
    ['[0]', ['0']],
    ['[0].a', ['0', 'a']],
    ['a["x.y"]', ['a', 'x.y']],
    ["a['x[1]']", ['a', 'x[1]']],
    ['a["it\'s"]', ['a', "it's"]],
    ['a[""]', ['a', '']],
    ['a["b"].c', ['a', 'b', 'c']],
    ['$weird key!', ['$weird key!']],
    ['a.__proto__', ['a', '__proto__']],
    ['ünï.çødé', ['ünï', 'çødé']],
  ])('%j → %j', (path, keys) => {
    expect(parsePath(path)).toEqual(keys);
  });

  it.each<[string, RegExp]>([
    ['a[0', /unclosed "\["/],
    ['a[', /unclosed "\["/],
    ['[', /unclosed "\["/],
    ['a["x', /unclosed "/],
    ["a['x", /unclosed '/],
    ['a["x"', /expected "\]"/],
    ['a[]', /empty "\[\]"/],
    ['a[x]', /expected digits or a quoted key/],
    ['a[-1]', /expected digits or a quoted key/],
    ['a..b', /empty key/],
    ['..', /empty key/],
    ['a.', /ends with "\."/],
    ['a.[0]', /expected a key after "\."/],
    ['a]', /unexpected "\]"/],
    ['a[0]b', /expected "\." or "\[" after "\]"/],
  ])('rejects %j', (path, message) => {
    let error: unknown;
    try {
      parsePath(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PathSyntaxError);
    expect((error as PathSyntaxError).message).toMatch(message);
    expect((error as PathSyntaxError).message).toContain(JSON.stringify(path));
    expect((error as PathSyntaxError).path).toBe(path);
  });

  it('reports the position of the problem', () => {
    expect(() => parsePath('abc..d')).toThrow(/at position 4/);
  });
});

describe('getPath', () => {
  const root = {
    body: { items: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 0 }], total: 0, note: null, flag: false, 'a.b': 'dotted' },
    headers: { 'x-github-delivery': 'd-1' },
    list: [[1, 2], [3]],
  };

  it.each<[string, unknown]>([
    ['body.items[0].sku', 'A-1'],
    ['body.items.1.sku', 'B-2'],
    ['body.items[1].qty', 0],
    ['body.total', 0],
    ['body.note', null],
    ['body.flag', false],
    ['body["a.b"]', 'dotted'],
    ['headers.x-github-delivery', 'd-1'],
    ['list[0][1]', 2],
    ['list.1.0', 3],
    ['body.items.length', 2],
    ['body.missing', undefined],
    ['body.items[5].sku', undefined],
    ['body.items[0].sku.x', undefined],
    ['body.total.x', undefined],
    ['nothing.at.all', undefined],
  ])('%s → %j', (path, value) => {
    expect(getPath(root, path)).toEqual(value);
  });

  it('returns the root for "" and "."', () => {
    expect(getPath(root, '')).toBe(root);
    expect(getPath(root, '.')).toBe(root);
    expect(getPath(42, '')).toBe(42);
  });

  it('never walks into prototypes or constructors', () => {
    const obj = { a: {} };
    for (const path of ['__proto__', 'a.__proto__', 'constructor', 'a.constructor', 'a.constructor.prototype',
      'constructor.prototype', 'toString', 'a.hasOwnProperty', 'a.valueOf', '["__proto__"]', 'a["constructor"]']) {
      expect(getPath(obj, path), path).toBeUndefined();
    }
    expect(getPath([1], 'map')).toBeUndefined();
    expect(getPath('abc', 'length')).toBeUndefined(); // primitives have no own keys here
    expect(getPath(null, 'a')).toBeUndefined();
    expect(getPath(undefined, 'a')).toBeUndefined();
  });

  it('returns own "__proto__" / "constructor" data keys as undefined too', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}},"ok":{"prototype":3}}');
    expect(getPath(parsed, '__proto__.x')).toBeUndefined();
    expect(getPath(parsed, 'constructor.prototype.y')).toBeUndefined();
    expect(getPath(parsed, 'ok.prototype')).toBeUndefined();
  });

  it('reads own properties of null-prototype objects', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.k = { v: 1 };
    expect(getPath(o, 'k.v')).toBe(1);
  });

  it('does not invoke inherited getters', () => {
    class Thing {
      get secret(): string {
        throw new Error('getter ran');
      }
    }
    expect(getPath({ t: new Thing() }, 't.secret')).toBeUndefined();
  });

  it('throws PathSyntaxError on malformed paths', () => {
    expect(() => getPath(root, 'body.items[0')).toThrow(PathSyntaxError);
  });

  it('lookup follows pre-parsed keys', () => {
    const keys = parsePath('body.items[0].qty');
    expect(lookup(root, keys)).toBe(2);
    expect(lookup(root, [])).toBe(root);
  });
});
