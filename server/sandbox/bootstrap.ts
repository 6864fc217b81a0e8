/** Source of the harness evaluated once in each fresh isolate context: locks the context down, compiles user code, runs it, serialises the result under caps. */
import { LOCKDOWN_SOURCE } from './lockdown.js';

/** Longest error message or stack the harness lets out of the isolate (the host clips again). */
export const MAX_ERROR_TEXT = 4096;

/**
 * Evaluates to `(kind, code, maxOutput, maxDepth, maxLog) => step`. The host keeps `step` only as a Reference; it is
 * never reachable from user code. `step(1, inputJson, ctxJson)` starts a call (user code and serialisation all run
 * inside that one isolated-vm call, so its `timeout` covers them, microtasks included); `step(2)` then reads the
 * outcome without running user code. A promise still pending after `step(1)` can never settle: the context has no
 * timers, I/O or host callbacks, and the globals that could schedule later tasks are deleted below.
 *
 * `step(2)` answers one string: a JSON header `{s, a, b, c, l, d, k}` (status, message or result size, error name,
 * stack, console text, dropped console calls, whether the context is still pristine), a newline, then the result's
 * JSON when the status is `ok`. Every text in it is clipped here, and the harness reads no value through a prototype
 * user code could reach (the outcome lives in closure variables, not in arrays or objects), so a getter planted on
 * `Array.prototype` or `Object.prototype` cannot add to what leaves the isolate (S-32).
 *
 * Before user code first runs, every intrinsic is frozen (lockdown.ts). Before and after each call the global object
 * must have the same own keys it started with: names that sloppy code assigned are deleted again, and a global that
 * cannot be restored (made non-extensible, given a new prototype, a non-configurable addition) marks the context for
 * disposal; a call that finds it so does not run (status 'dirty') and is run again in a fresh context.
 */
export const HARNESS_SOURCE = `(function (kind, code, maxOutput, maxDepth, maxLog) {
  'use strict';
  const G = globalThis;
  const MAX_TEXT = ${MAX_ERROR_TEXT};
  const apply = Reflect.apply, ownKeys = Reflect.ownKeys, isExtensible = Reflect.isExtensible, deleteProperty = Reflect.deleteProperty;
  const create = Object.create, freeze = Object.freeze, getPrototypeOf = Reflect.getPrototypeOf, defineProperty = Reflect.defineProperty;
  const stringify = JSON.stringify, parse = JSON.parse, Str = String;
  const slice = String.prototype.slice, symbolToString = Symbol.prototype.toString, then = Promise.prototype.then;
  const setHas = Set.prototype.has;
  const AsyncFunction = getPrototypeOf(async function () {}).constructor;
  const TOO_LARGE = create(null), TOO_DEEP = create(null);
  const clip = (s, n) => (s.length > n ? apply(slice, s, [0, n]) : s);

  // Sources of work outside a call (tasks posted after GC or a wait, wasm memory outside the heap limit).
  delete G.WebAssembly; delete G.SharedArrayBuffer; delete G.FinalizationRegistry;

  let logText = '', logLeft = maxLog, dropped = 0;
  const show = (v) => {
    if (typeof v === 'string') return v;
    try {
      const s = typeof v === 'object' && v !== null ? stringify(v) : undefined;
      return typeof s === 'string' ? s : Str(v);
    } catch (e) { return '[unprintable]'; }
  };
  const write = (level, args) => {
    if (logLeft <= 0) { dropped++; return; }
    let s = level === 'log' ? '' : level + ': ';
    for (let i = 0; i < args.length && s.length <= logLeft; i++) s += (i > 0 ? ' ' : '') + show(args[i]);
    s = clip(s, logLeft);
    logLeft -= s.length + 1;
    logText += s + '\\n';
  };
  const logger = (level) => function () { write(level, arguments); };
  G.console = freeze({ log: logger('log'), info: logger('info'), warn: logger('warn'), error: logger('error'), debug: logger('debug') });

  (${LOCKDOWN_SOURCE})(G);
  const baseKeys = new Set(ownKeys(G)), baseCount = ownKeys(G).length, baseProto = getPrototypeOf(G);
  /** Removes globals the call added; false when the global object cannot be brought back to its starting state. */
  const restoreGlobal = () => {
    if (!isExtensible(G) || getPrototypeOf(G) !== baseProto) return false;
    const keys = ownKeys(G);
    if (keys.length === baseCount) return true; // the starting bindings cannot be deleted, so nothing was added
    for (let i = 0; i < keys.length; i++) {
      if (!apply(setHas, baseKeys, [keys[i]]) && !deleteProperty(G, keys[i])) return false;
    }
    return ownKeys(G).length === baseCount;
  };

  // The outcome of the current call: status, message or JSON, error name, stack.
  let status = 'none', outA = '', outB, outC;
  const fail = (st, a, b, c) => { status = st; outA = a; outB = b; outC = c; };
  const describe = (e) => {
    try {
      if ((typeof e === 'object' && e !== null) || typeof e === 'function') {
        const message = e.message, name = e.name, stack = e.stack;
        if (typeof message !== 'string') {
          return fail('error', 'An object was thrown from supplied code within isolated-vm, but that object was not an instance of Error.');
        }
        return fail('error', clip(message, MAX_TEXT), typeof name === 'string' ? clip(name, 200) : undefined,
          typeof stack === 'string' ? clip(stack, MAX_TEXT) : undefined);
      }
      if (typeof e === 'symbol') return fail('error', 'A symbol was thrown: ' + clip(apply(symbolToString, e, []), 200), 'Symbol');
      return fail('error', clip(Str(e), MAX_TEXT), typeof e);
    } catch (inner) {
      return fail('error', 'An exception was thrown and could not be described');
    }
  };

  const serialize = (value) => {
    let budget = maxOutput, n = 0;
    const stack = create(null);
    const replacer = function (key, v) {
      while (n > 0 && stack[n - 1] !== this) n--;
      budget -= key.length + 2;
      if (typeof v === 'string') budget -= v.length + 2;
      else if (typeof v === 'object' && v !== null) {
        if (n >= maxDepth) throw TOO_DEEP;
        stack[n++] = v;
      } else budget -= 8;
      if (budget < 0) throw TOO_LARGE;
      return v;
    };
    try {
      const s = stringify(value, replacer);
      if (typeof s === 'string' && s.length > maxOutput) throw TOO_LARGE;
      return fail('ok', typeof s === 'string' ? s : '');
    } catch (e) {
      if (e === TOO_LARGE) return fail('output', 'output is larger than ' + maxOutput + ' bytes of JSON');
      if (e === TOO_DEEP) return fail('output', 'output is nested deeper than ' + maxDepth + ' levels');
      describe(e);
      return fail('output', 'output is not JSON-serialisable: ' + outA);
    }
  };

  // An expression may end in ';' or blanks; the context is still pristine here, before any user code ran.
  let end = code.length;
  while (kind === 'expression' && end > 0 && (code[end - 1] === ';' || code[end - 1] <= ' ')) end--;
  let fn, compileFailed = false, compileA = '', compileB, compileC;
  try {
    fn = kind === 'expression'
      ? new AsyncFunction('input', 'ctx', 'return (' + apply(slice, code, [0, end]) + '\\n);')
      : new AsyncFunction('input', 'ctx', code);
    // arguments.callee reaches fn from sloppy user code: it must not carry anything from one call to the next.
    freeze(fn);
  } catch (e) { describe(e); compileFailed = true; compileA = outA; compileB = outB; compileC = outC; }

  let pending = false;
  const onOk = (v) => { serialize(v); pending = false; };
  const onErr = (e) => { describe(e); pending = false; };
  // ctx positions that were the input object itself arrive as null (protocol.ts RunRequest.alias): each gets its own parse.
  const own = (o, k, v) => { const d = create(null); d.value = v; d.writable = true; d.enumerable = true; d.configurable = true; defineProperty(o, k, d); };
  const unalias = (ctx, inputJson, aliasJson) => {
    if (aliasJson === '' || typeof ctx !== 'object' || ctx === null) return ctx;
    const a = parse(aliasJson);
    if (a.t === true) own(ctx, 'trigger', parse(inputJson));
    const nodes = ctx.nodes, ids = a.n;
    if (typeof nodes === 'object' && nodes !== null) for (let i = 0; i < ids.length; i++) own(nodes, ids[i], parse(inputJson));
    return ctx;
  };
  return function step(mode, inputJson, ctxJson, aliasJson) {
    if (mode === 1) {
      logText = ''; logLeft = maxLog; dropped = 0;
      if (compileFailed) { fail('error', compileA, compileB, compileC); pending = false; return; }
      // Calls are handed to the isolate in batches: one issued before the previous call spoiled the global must
      // not run here. 'dirty' makes the host run it again in a fresh context.
      if (!restoreGlobal()) { fail('dirty', ''); pending = false; return; }
      fail('none', '');
      pending = true;
      let p;
      try {
        p = fn(inputJson === '' ? undefined : parse(inputJson), ctxJson === '' ? undefined : unalias(parse(ctxJson), inputJson, aliasJson));
      } catch (e) { onErr(e); return; }
      apply(then, p, [onOk, onErr]);
      return;
    }
    const ok = !pending && status === 'ok';
    const head = create(null);
    head.s = pending ? 'pending' : status;
    head.a = ok ? undefined : clip(Str(outA), MAX_TEXT);
    head.b = typeof outB === 'string' ? clip(outB, 200) : undefined;
    head.c = typeof outC === 'string' ? clip(outC, MAX_TEXT) : undefined;
    head.l = clip(logText, maxLog + 1);
    head.d = dropped;
    head.k = restoreGlobal();
    return stringify(head) + '\\n' + (ok ? clip(outA, maxOutput) : '');
  };
})`;
