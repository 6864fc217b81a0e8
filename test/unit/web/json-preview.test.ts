import { describe, expect, it } from 'vitest';
import { jsonPreview } from '../../../web/src/json-preview.js';

describe('jsonPreview', () => {
  it('is JSON.stringify(v, null, 2) when the text fits, and its prefix when it does not (500 generated values)', () => {
    let seed = 11;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const gen = (depth: number): unknown => {
      switch (rnd(depth > 3 ? 5 : 7)) {
        case 0: return null;
        case 1: return rnd(2) === 0;
        case 2: return rnd(100000) / (rnd(3) + 1) - 500;
        case 3: return 'ab"\\\n\u00e9\u2028x\ud83d\ude00'.slice(rnd(8)).repeat(rnd(4));
        case 4: return '';
        case 5: return Array.from({ length: rnd(5) }, () => gen(depth + 1));
        default: return Object.fromEntries(Array.from({ length: rnd(5) }, (_, i) => [`k${i}${'"'.repeat(rnd(2))}`, gen(depth + 1)]));
      }
    };
    for (let i = 0; i < 500; i++) {
      const v = gen(0);
      const max = rnd(400);
      const full = JSON.stringify(v, null, 2);
      const p = jsonPreview(v, max);
      expect(p.cut).toBe(full.length > max);
      expect(p.text).toBe(full.slice(0, max));
    }
  });

  it('drops undefined members and writes null for undefined array items, as JSON does', () => {
    const v = { a: undefined, b: [undefined, 1], c: { toJSON: () => 'x' }, d: new Date(0) };
    expect(jsonPreview(v, 1000).text).toBe(JSON.stringify(v, null, 2));
  });

  it('reads no more of a huge value than it shows', () => {
    const big = { s: 'y'.repeat(5_000_000), items: Array.from({ length: 200_000 }, (_, i) => ({ i })) };
    const p = jsonPreview(big, 1000);
    expect(p).toEqual({ text: JSON.stringify(big, null, 2).slice(0, 1000), cut: true });
  });
});
