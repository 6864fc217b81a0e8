/** parseBody against hostile bodies: W-12 content-type confusion, W-13 deep nesting, W-15 prototype keys, bad JSON. */
import { describe, expect, it } from 'vitest';
import { IngressError } from '../../../server/ingress/ingress-error.js';
import { assertJsonDepth, DEFAULT_ACCEPT, DEFAULT_MAX_DEPTH, parseBody } from '../../../server/ingress/parse-body.js';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const json = (s: string, opts?: { maxDepth?: number }): unknown => parseBody(utf8(s), 'application/json', DEFAULT_ACCEPT, opts).body;

function rejection(run: () => unknown): IngressError {
  try {
    run();
  } catch (err) {
    if (err instanceof IngressError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('W-12 content-type confusion', () => {
  it('keeps a JSON body that names a file path as plain data', () => {
    const result = parseBody(utf8('{"files":{"x":{"filepath":"/etc/passwd"}}}'), 'application/json', DEFAULT_ACCEPT);
    expect(result).toEqual({ body: { files: { x: { filepath: '/etc/passwd' } } }, mediaType: 'application/json' });
  });

  it('answers 400 malformed_json to a multipart body declared as JSON', () => {
    const multipart = '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello\r\n--xyz--\r\n';
    const err = rejection(() => parseBody(utf8(multipart), 'application/json', DEFAULT_ACCEPT));
    expect([err.status, err.code]).toEqual([400, 'malformed_json']);
  });

  it('answers 415 to multipart unless the webhook accepts it', () => {
    const err = rejection(() => parseBody(utf8('--b\r\n\r\nx\r\n--b--'), 'multipart/form-data; boundary=b', DEFAULT_ACCEPT));
    expect([err.status, err.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('answers 415 to an unknown content type', () => {
    const err = rejection(() => parseBody(utf8('{"a":1}'), 'application/x-hookflow-unknown', DEFAULT_ACCEPT));
    expect([err.status, err.code]).toEqual([415, 'unsupported_media_type']);
  });
});

describe('W-13 deep nesting', () => {
  it('answers 400 json_too_deep to 100 000 nested arrays without a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const err = rejection(() => json(deep));
    expect([err.status, err.code]).toEqual([400, 'json_too_deep']);
    expect(err.details).toEqual({ maxDepth: DEFAULT_MAX_DEPTH, position: DEFAULT_MAX_DEPTH });
  });

  it('answers 400 to deep objects, and to an unbalanced deep prefix', () => {
    expect(rejection(() => json('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000))).code).toBe('json_too_deep');
    expect(rejection(() => json('['.repeat(1_000_000))).code).toBe('json_too_deep');
  });

  it('accepts exactly the maximum depth and refuses one more', () => {
    const nest = (d: number): string => '['.repeat(d) + ']'.repeat(d);
    expect(json(nest(64))).toBeDefined();
    expect(rejection(() => json(nest(65))).code).toBe('json_too_deep');
    expect(json(`{"a":${nest(63)}}`)).toBeDefined();
    expect(rejection(() => json(`{"a":${nest(64)}}`)).code).toBe('json_too_deep');
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const noisy = JSON.stringify({ s: '['.repeat(500), t: '\\"[[[[' + '{'.repeat(500), u: 'é\\\\', v: ['"]]]'] });
    expect(json(noisy)).toEqual(JSON.parse(noisy));
    expect(rejection(() => json(`["\\\\",${'['.repeat(70)}`)).code).toBe('json_too_deep'); // `\\` ends with the quote
  });

  it('honours a lower maxDepth', () => {
    expect(rejection(() => json('[[[1]]]', { maxDepth: 2 })).code).toBe('json_too_deep');
    expect(json('[[1]]', { maxDepth: 2 })).toEqual([[1]]);
  });

  it('measures the depth scan on 1 MB bodies (printed; no timing assertion)', () => {
    const shapes: Record<string, string> = {
      objects: JSON.stringify(Array.from({ length: 10_200 }, (_, i) => ({ id: i, sku: `SKU-${i}`, name: `Item ${i} "q" ünï`, qty: i % 7, tags: ['a', 'b'], meta: { ok: true } }))),
      numbers: JSON.stringify(Array.from({ length: 175_000 }, (_, i) => i % 100_000)),
      strings: JSON.stringify(Array.from({ length: 5000 }, (_, i) => 'x'.repeat(200) + i)),
    };
    for (const [shape, text] of Object.entries(shapes)) {
      const bytes = utf8(text);
      const scanMs = medianMs(() => assertJsonDepth(bytes, DEFAULT_MAX_DEPTH));
      const parseMs = medianMs(() => JSON.parse(text));
      const MB = bytes.length / 1e6;
      console.log(`depth scan, ${shape} ${MB.toFixed(2)} MB: scan ${(scanMs / MB).toFixed(2)} ms/MB, JSON.parse ${(parseMs / MB).toFixed(2)} ms/MB`);
      expect(bytes.length).toBeGreaterThan(900_000);
    }
  });
});

describe('W-15 prototype keys', () => {
  it('keeps __proto__ and constructor as own data of the JSON body and pollutes nothing', () => {
    const body = json('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('keeps __proto__ form keys as own data of a null-prototype object', () => {
    const body = parseBody(utf8('__proto__=x&__proto__[polluted]=1&constructor[prototype][polluted]=1'), 'application/x-www-form-urlencoded', DEFAULT_ACCEPT).body;
    expect(Object.getPrototypeOf(body)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toBe('x');
    expect(Object.keys(body as object)).toEqual(['__proto__', '__proto__[polluted]', 'constructor[prototype][polluted]']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('malformed JSON', () => {
  it.each([
    ['{"a":1', 6],
    ['[1,2', 4],
    ['{"a":1}x', 7],
    ['{', 1],
  ])('answers 400 malformed_json to %j with the position %d', (text, position) => {
    const err = rejection(() => json(text));
    expect([err.status, err.code, err.details]).toEqual([400, 'malformed_json', { position }]);
    expect(err.message).toBe(`Malformed JSON at position ${position}`);
  });

  it('answers 400 without a position when V8 gives none, and never echoes the payload', () => {
    const err = rejection(() => json('{"token":"s3cr3t-canary", "a": }'));
    expect([err.status, err.code]).toEqual([400, 'malformed_json']);
    expect(JSON.stringify(err.toBody())).not.toContain('s3cr3t-canary');
  });

  it('answers 400 to whitespace only (not an empty body)', () => {
    expect(rejection(() => json('  \n')).code).toBe('malformed_json');
  });
});

function medianMs(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) run(); // warm up the JIT
  for (let i = 0; i < 15; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[7];
}
