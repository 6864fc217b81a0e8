/**
 * User code for S-31: `fingerprint()` describes every object reachable from globalThis (and the intrinsics only
 * reachable from instances) by path, without calling any getter; `sweep(mode, secret)` tries to change all of them
 * (`mode`: overwrite, redefine, add, delete, or all of these).
 */

/** Roots shared by both: globalThis, then the prototypes of instances whose intrinsics no property names. */
const ROOTS = `const roots = () => {
  const hidden = { GeneratorFunction: function* () {}, AsyncFunction: async function () {}, AsyncGeneratorFunction: async function* () {},
    ArrayIterator: [][Symbol.iterator](), MapIterator: new Map()[Symbol.iterator](), SetIterator: new Set()[Symbol.iterator](),
    StringIterator: ''[Symbol.iterator](), RegExpStringIterator: /a/[Symbol.matchAll](''), IteratorHelper: [].values().map((x) => x),
    WrapForValidIterator: Iterator.from({ next() { return { done: true }; } }), Arguments: (function () { return arguments; })(),
    Segments: new Intl.Segmenter().segment('') };
  const out = [['globalThis', globalThis]];
  for (const name of Object.keys(hidden)) out.push(['%' + name + '%', Object.getPrototypeOf(hidden[name])]);
  return out;
};`;

export const FINGERPRINT = `${ROOTS}
function fingerprint() {
  const ownKeys = Reflect.ownKeys, getDesc = Reflect.getOwnPropertyDescriptor, getProto = Reflect.getPrototypeOf;
  const paths = new Map(), queue = [], lines = [];
  const isObj = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';
  const name = (v, path) => {
    if (!isObj(v)) return typeof v + ':' + String(v).slice(0, 40);
    if (!paths.has(v)) { paths.set(v, path); queue.push(v); }
    return '@' + paths.get(v);
  };
  for (const [path, v] of roots()) name(v, path);
  for (let i = 0; i < queue.length; i++) {
    const o = queue[i], path = paths.get(o);
    lines.push(path + ' proto=' + name(getProto(o), path + '.[[Prototype]]') + ' extensible=' + Object.isExtensible(o));
    const keys = ownKeys(o).map((k) => [String(k), k]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [label, k] of keys) {
      const d = getDesc(o, k), at = path + '.' + label;
      const flags = (d.writable ? 'w' : '-') + (d.enumerable ? 'e' : '-') + (d.configurable ? 'c' : '-');
      lines.push(at + ' ' + flags + ' ' + ('value' in d ? name(d.value, at) : 'get=' + name(d.get, at + '.get') + ' set=' + name(d.set, at + '.set')));
    }
  }
  return lines;
}`;

export const SWEEP = `
function sweep(mode, secret) {
  const R = Reflect, ownKeys = R.ownKeys, getDesc = R.getOwnPropertyDescriptor, getProto = R.getPrototypeOf;
  const set = R.set, define = R.defineProperty, del = R.deleteProperty, setProto = R.setPrototypeOf, now = Date.now;
  const t0 = now();
  const seen = new Set(), targets = [];
  const visit = (v) => { if (((typeof v === 'object' && v !== null) || typeof v === 'function') && !seen.has(v)) { seen.add(v); targets.push(v); } };
  for (const [, v] of roots()) visit(v);
  for (let i = 0; i < targets.length; i++) {
    const o = targets[i];
    for (const k of ownKeys(o)) { const d = getDesc(o, k); visit(d.value); visit(d.get); visit(d.set); }
    visit(getProto(o));
  }
  // Except in 'all', the sweep spares what a promise's resolution reads (Promise.prototype.constructor and .then), so a
  // harness that reuses contexts survives the sweep and what persists shows in the next execution.
  const spare = (o, k) => mode !== 'all' && o === Promise.prototype && (k === 'constructor' || k === 'then');
  const work = targets.map((o) => [o, ownKeys(o).filter((k) => !spare(o, k))]);
  const mark = Symbol('sweep');
  let tried = 0;
  const attempt = (fn) => { tried++; try { fn(); } catch (e) {} };
  for (let i = 0; i < work.length; i++) {
    const o = work[i][0], keys = work[i][1];
    if (mode === 'add' || mode === 'all') {
      attempt(() => set(o, 'sweptKey', secret));
      attempt(() => define(o, mark, { value: secret, writable: true, enumerable: true, configurable: true }));
      attempt(() => define(o, 'sweptFixed', { value: secret }));
    }
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (mode === 'overwrite' || mode === 'all') attempt(() => set(o, k, secret));
      if (mode === 'redefine' || mode === 'all') {
        attempt(() => define(o, k, { value: secret, writable: true, enumerable: true, configurable: true }));
        attempt(() => define(o, k, { get: () => secret, configurable: true }));
      }
      if (mode === 'delete' || (mode === 'all' && j % 2 === 0)) attempt(() => del(o, k));
    }
    if (mode === 'all') attempt(() => setProto(o, { swept: secret }));
  }
  return { tried, took: now() - t0 };
}`;
