/** Source of the harness evaluated once in each fresh isolate context: compiles user code, runs it, serialises the result under caps. */

/**
 * Evaluates to `(kind, code, maxOutput, maxDepth, maxLog) => step`. The host keeps `step` only as a Reference; it is
 * never reachable from user code. `step(1, inputJson, ctxJson)` starts a call (user code and serialisation all run
 * inside that one isolated-vm call, so its `timeout` covers them, microtasks included); `step(2)` then reads the
 * outcome without running user code. A promise still pending after `step(1)` can never settle: the context has no
 * timers, I/O or host callbacks, and the globals that could schedule later tasks are deleted below.
 *
 * The harness captures the intrinsics it needs before user code runs and never calls a method user code could
 * replace, so a polluted context can corrupt only its own result, never the caps (the host re-checks them anyway).
 */
export const HARNESS_SOURCE = `(function (kind, code, maxOutput, maxDepth, maxLog) {
  'use strict';
  const G = globalThis;
  const apply = Reflect.apply, ownKeys = Reflect.ownKeys, isExtensible = Object.isExtensible;
  const create = Object.create, freeze = Object.freeze, getPrototypeOf = Object.getPrototypeOf;
  const stringify = JSON.stringify, parse = JSON.parse, Str = String;
  const slice = String.prototype.slice, symbolToString = Symbol.prototype.toString, then = Promise.prototype.then;
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

  // Own-key counts of the global and the most-polluted intrinsics (a cheap check, ~10 µs): a change marks the
  // context dirty and the host drops it, so the next call of this cacheKey starts from a fresh context.
  const watched = [G, Object.prototype, Array.prototype, Function.prototype, Promise.prototype];
  const baseline = create(null);
  for (let i = 0; i < watched.length; i++) baseline[i] = ownKeys(watched[i]).length;
  const isDirty = () => {
    for (let i = 0; i < watched.length; i++) {
      if (!isExtensible(watched[i]) || ownKeys(watched[i]).length !== baseline[i]) return true;
    }
    return false;
  };

  const describe = (e) => {
    try {
      if ((typeof e === 'object' && e !== null) || typeof e === 'function') {
        const message = e.message, name = e.name, stack = e.stack;
        if (typeof message !== 'string') {
          return ['error', 'An object was thrown from supplied code within isolated-vm, but that object was not an instance of Error.'];
        }
        return ['error', clip(message, 4096), typeof name === 'string' ? clip(name, 200) : undefined,
          typeof stack === 'string' ? clip(stack, 4096) : undefined];
      }
      if (typeof e === 'symbol') return ['error', 'A symbol was thrown: ' + clip(apply(symbolToString, e, []), 200), 'Symbol'];
      return ['error', clip(Str(e), 4096), typeof e];
    } catch (inner) {
      return ['error', 'An exception was thrown and could not be described'];
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
      return ['ok', s];
    } catch (e) {
      if (e === TOO_LARGE) return ['output', 'output is larger than ' + maxOutput + ' bytes of JSON'];
      if (e === TOO_DEEP) return ['output', 'output is nested deeper than ' + maxDepth + ' levels'];
      return ['output', 'output is not JSON-serialisable: ' + describe(e)[1]];
    }
  };

  // An expression may end in ';' or blanks; the context is still pristine here, before any user code ran.
  let end = code.length;
  while (kind === 'expression' && end > 0 && (code[end - 1] === ';' || code[end - 1] <= ' ')) end--;
  let fn, compileError;
  try {
    fn = kind === 'expression'
      ? new AsyncFunction('input', 'ctx', 'return (' + apply(slice, code, [0, end]) + '\\n);')
      : new AsyncFunction('input', 'ctx', code);
  } catch (e) { compileError = describe(e); }

  let pending = false, outcome = ['error', 'not started'];
  const onOk = (v) => { outcome = serialize(v); pending = false; };
  const onErr = (e) => { outcome = describe(e); pending = false; };
  return function step(mode, inputJson, ctxJson) {
    if (mode === 1) {
      logText = ''; logLeft = maxLog; dropped = 0;
      if (compileError !== undefined) { outcome = compileError; pending = false; return; }
      pending = true;
      let p;
      try {
        p = fn(inputJson === '' ? undefined : parse(inputJson), ctxJson === '' ? undefined : parse(ctxJson));
      } catch (e) { onErr(e); return; }
      apply(then, p, [onOk, onErr]);
      return;
    }
    return { status: pending ? 'pending' : outcome[0], a: outcome[1], b: outcome[2], c: outcome[3],
      logs: logText, dropped: dropped, dirty: isDirty() };
  };
})`;
