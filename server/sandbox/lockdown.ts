/**
 * Source of the lockdown run once in each fresh isolate context, before any user code: every intrinsic reachable from
 * `globalThis` (and the hidden ones reachable only from instances) is frozen, the global object's own bindings are
 * made read-only, and legacy state that outlives a call (RegExp.$1 … RegExp.input) is removed. A warm context is then
 * pristine at the start of every call as long as the global object has no own properties added (checked per call).
 */

/**
 * Evaluates to `(G) => void`. Properties that user code commonly assigns on objects that inherit them (`e.name = …`
 * on an error, `obj.toString = …`) become accessors whose setter defines an own property on the receiver, so a frozen
 * prototype does not break that assignment ("override mistake"); assigning them on the prototype itself throws.
 * `constructor` is left alone on the prototypes V8 guards with protectors (arrays, promises, typed arrays, regexps).
 */
export const LOCKDOWN_SOURCE = `(function lockdown(G) {
  'use strict';
  const ownKeys = Reflect.ownKeys, getDesc = Reflect.getOwnPropertyDescriptor, define = Reflect.defineProperty;
  const getProto = Reflect.getPrototypeOf, freeze = Object.freeze;
  const getDescs = Object.getOwnPropertyDescriptors;
  const TE = TypeError;

  // Legacy RegExp statics keep the last match (RegExp.input is the last string searched) between calls.
  for (const k of ['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8', '$9', 'input', '$_', 'lastMatch', '$&', 'lastParen', '$+',
    'leftContext', '$\`', 'rightContext', "$'"]) {
    if (!delete RegExp[k]) throw new TE('lockdown: cannot remove RegExp.' + k);
  }

  // Intrinsics only reachable from instances, not through properties of globalThis.
  const hidden = [
    function* () {}, async function () {}, async function* () {}, [][Symbol.iterator](), new Map()[Symbol.iterator](),
    new Set()[Symbol.iterator](), ''[Symbol.iterator](), /a/[Symbol.matchAll](''), [].values().map((x) => x),
    Iterator.from({ next() { return { done: true }; } }), (function () { return arguments; })(),
  ].map(getProto);
  const segments = new Intl.Segmenter().segment('');
  hidden.push(getProto(segments), getProto(segments[Symbol.iterator]()));

  const ENABLE = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'name', 'message'];
  const guarded = new Set([Array.prototype, Promise.prototype, RegExp.prototype, getProto(Int8Array.prototype)]);
  const enable = (o) => {
    if (typeof o === 'function') return;
    for (const k of ENABLE) {
      if (k === 'constructor' && guarded.has(o)) continue;
      const d = getDesc(o, k);
      if (!d || !('value' in d) || !d.writable || !d.configurable) continue;
      const value = d.value;
      // Methods, so the accessors own no 'prototype' object; they are walked (and frozen) after this.
      const pair = {
        get() { return value; },
        set(v) {
          if (this === o) throw new TE('Cannot assign to read only property \\'' + k + '\\' of a built-in object');
          if (!define(this, k, { value: v, writable: true, enumerable: true, configurable: true })) {
            throw new TE('Cannot assign to property \\'' + k + '\\'');
          }
        },
      };
      const ok = define(o, k, { get: pair.get, set: pair.set, enumerable: d.enumerable, configurable: true });
      if (!ok) throw new TE('lockdown: cannot redefine ' + String(k));
    }
  };

  const seen = new Set([G]);
  const queue = [...hidden];
  const visit = (v) => {
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
      if (!seen.has(v)) { seen.add(v); queue.push(v); }
    }
  };
  const walk = (o) => {
    if (typeof o === 'function') {
      // Most built-in functions own only 'length' and 'name' (primitives): nothing to walk but the prototype.
      const keys = ownKeys(o);
      if (keys.length === 2 && keys[0] === 'length' && keys[1] === 'name') return visit(getProto(o));
    }
    const ds = getDescs(o);
    for (const k of ownKeys(ds)) {
      const d = ds[k];
      visit(d.value); visit(d.get); visit(d.set);
    }
    visit(getProto(o));
  };
  walk(G);
  for (let i = 0; i < queue.length; i++) {
    const o = queue[i];
    enable(o);
    walk(o);
  }
  for (let i = 0; i < queue.length; i++) {
    freeze(queue[i]);
    if (!Object.isFrozen(queue[i])) throw new TE('lockdown: an intrinsic could not be frozen');
  }

  // The global object stays extensible (sloppy code may assign undeclared names: the harness removes them after the
  // call), but every binding it starts with is read-only and cannot be deleted.
  for (const k of ownKeys(G)) {
    const d = getDesc(G, k);
    if (!define(G, k, 'value' in d ? { writable: false, configurable: false } : { configurable: false })) {
      throw new TE('lockdown: cannot fix the global ' + String(k));
    }
  }
  return queue.length;
})`;
