/**
 * The trigger body is stored once, in its event (W-27). A step's or attempt's output that IS the trigger envelope or
 * its body, holds one of them unchanged (`{error, input}`, `{...input, inventory}`), or spreads the body with a few
 * keys added (`{...input.body, total}`), is stored as a reference instead of a copy; reading puts the values back,
 * so the API's execution detail has the same shape. Pure: SQLite and PostgreSQL stores can share it.
 *
 * Stored form: the record keeps its fields, `output` has `null` where the envelope or the body stood (or the added
 * keys where a spread stood), and `refs: [[path, target], …]` says where: `path` is a list of keys and array
 * indexes from `output`, `target` is `trigger` (the envelope), `body`, or `body+` (`{...body, ...storedValue}`).
 * Records without `refs` (all rows written before) are read as they are.
 */
import type { TriggerEnvelope } from '../../nodes/contract.js';

export type RefTarget = 'trigger' | 'body' | 'body+';
export type Ref = [path: Array<string | number>, target: RefTarget];

interface WithOutput {
  output?: unknown;
}

/** Bodies smaller than this (as JSON text) are cheaper to repeat than to refer to. */
const MIN_BODY_CHARS = 1024;
/** References are looked for this many levels into an output … */
const MAX_PATH = 3;
/** … and only inside containers this small (a body inside a 10,000-item array is not a case worth a scan). */
const MAX_FANOUT = 32;

const bodySizes = new WeakMap<object, number>();

function bodyIsBig(body: unknown): boolean {
  if (typeof body === 'string') return body.length >= MIN_BODY_CHARS;
  if (body === null || typeof body !== 'object') return false;
  let size = bodySizes.get(body);
  if (size === undefined) bodySizes.set(body, (size = JSON.stringify(body)?.length ?? 0));
  return size >= MIN_BODY_CHARS;
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON equality, key order included (copies made by the sandbox or JSON keep it). */
export function sameJson(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || depth > 200) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], bb[i], depth + 1)) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]], depth + 1)) return false;
  }
  return true;
}

function targetOf(v: unknown, env: TriggerEnvelope): RefTarget | undefined {
  if (v === env) return 'trigger';
  const body = env.body;
  if (v === body) return 'body'; // strings compare by value
  if (v === null || typeof v !== 'object' || body === null || typeof body !== 'object') return undefined;
  if (isPlain(v) && v.eventId === env.eventId && 'body' in v && sameJson(v, env)) return 'trigger';
  if (Array.isArray(v) === Array.isArray(body) && Object.keys(v).length === Object.keys(body).length && sameJson(v, body)) return 'body';
  return undefined;
}

/** The keys `v` adds to (or changes in) the body, when `v` is `{...body, ...those}`; undefined otherwise. */
function spreadRest(v: unknown, body: unknown): Record<string, unknown> | undefined {
  if (!isPlain(v) || !isPlain(body)) return undefined;
  const keys = Object.keys(body);
  if (keys.length === 0) return undefined;
  for (const k of keys) if (!Object.hasOwn(v, k)) return undefined;
  const rest: Record<string, unknown> = {};
  let shared = 0;
  for (const [k, x] of Object.entries(v)) {
    if (Object.hasOwn(body, k) && (x === body[k] || sameJson(x, body[k]))) shared++;
    else Object.defineProperty(rest, k, { value: x, enumerable: true, writable: true, configurable: true });
  }
  return shared === 0 ? undefined : rest;
}

function packValue(v: unknown, env: TriggerEnvelope, path: Array<string | number>, refs: Ref[]): unknown {
  const t = targetOf(v, env);
  if (t !== undefined) {
    refs.push([path, t]);
    return null;
  }
  const rest = spreadRest(v, env.body);
  if (rest !== undefined) {
    refs.push([path, 'body+']);
    return rest;
  }
  if (path.length >= MAX_PATH || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    if (v.length > MAX_FANOUT) return v;
    let changed = false;
    const out = v.map((x, i) => { const p = packValue(x, env, [...path, i], refs); changed ||= p !== x; return p; });
    return changed ? out : v;
  }
  const entries = Object.entries(v);
  if (entries.length > MAX_FANOUT) return v;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) {
    const p = packValue(x, env, [...path, k], refs);
    changed ||= p !== x;
    Object.defineProperty(out, k, { value: p, enumerable: true, writable: true, configurable: true });
  }
  return changed ? out : v;
}

/** The records as they should be stored: outputs standing for the trigger become references. Unchanged when none do. */
export function packOutputs<T extends WithOutput>(records: readonly T[], env: TriggerEnvelope | undefined): T[] {
  if (env === undefined || !bodyIsBig(env.body)) return records as T[];
  return records.map((r) => {
    if (r.output === undefined || Object.hasOwn(r, 'refs')) return r; // already stored form (a finish re-writing a row)
    const refs: Ref[] = [];
    const output = packValue(r.output, env, [], refs);
    return refs.length === 0 ? r : { ...r, output, refs };
  });
}

const valueOf = (t: RefTarget, env: TriggerEnvelope, stored: unknown): unknown =>
  t === 'trigger' ? env : t === 'body' ? env.body : { ...(env.body as Record<string, unknown>), ...(stored as Record<string, unknown>) };

/** The records as the API and the runner see them: references replaced by the envelope's values. Mutates parsed JSON. */
export function unpackOutputs<T extends WithOutput>(records: T[], env: TriggerEnvelope | undefined): T[] {
  for (const r of records) {
    const refs = (r as { refs?: Ref[] }).refs;
    if (refs === undefined) continue;
    delete (r as { refs?: Ref[] }).refs;
    if (env === undefined) continue; // the event is gone: the places stay null
    for (const [path, t] of refs) {
      if (path.length === 0) {
        r.output = valueOf(t, env, r.output);
        continue;
      }
      let parent = r.output as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) parent = parent?.[k] as Record<string | number, unknown>;
      const last = path[path.length - 1];
      if (parent !== null && typeof parent === 'object') parent[last] = valueOf(t, env, parent[last]);
    }
  }
  return records;
}
