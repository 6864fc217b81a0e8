/** Pure: render `{{ path }}` templates in params against {input, trigger, nodes}. Look-ups only, never code. */
import { getPath } from '../../nodes/paths.js';

export interface TemplateScope {
  input: unknown;
  trigger: unknown;
  nodes: Readonly<Record<string, unknown>>;
  execution?: unknown;
  /** Resume URLs of the execution's `wait` nodes by node id: `{{ resume.approve }}`. */
  resume?: Readonly<Record<string, string>>;
}

const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const ROOTS = new Set(['input', 'trigger', 'nodes', 'execution', 'resume']);

/** Look one template path up in the scope: the first segment must be a known root. */
export function lookUp(scope: TemplateScope, path: string): unknown {
  const dot = path.search(/[.[]/);
  const root = dot === -1 ? path : path.slice(0, dot);
  if (!ROOTS.has(root)) return undefined;
  const base = (scope as unknown as Record<string, unknown>)[root];
  // `{{ nodes }}` is the live outputs map: a node output holding it would contain itself. Render a copy,
  // cut at a depth and a size, so chains of such look-ups stay bounded too.
  if (dot === -1) return root === 'nodes' ? boundedCopy(base) : base;
  const rest = path[dot] === '.' ? path.slice(dot + 1) : path.slice(dot);
  return getPath(base, rest);
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** Render one string: exactly one template yields the value itself; otherwise values are written as text. */
export function renderString(s: string, scope: TemplateScope): unknown {
  if (!s.includes('{{')) return s;
  const whole = WHOLE.exec(s);
  if (whole) return lookUp(scope, whole[1]);
  return s.replace(TEMPLATE, (_m, path: string) => asText(lookUp(scope, path)));
}

/** True when the string holds at least one template. */
export const hasTemplate = (s: string): boolean => s.includes('{{') && /\{\{[^{}]*\}\}/.test(s);

/** Render every string in a params tree, except the top-level keys in `raw` (code, schemas). */
export function renderParams(
  params: Record<string, unknown>,
  scope: TemplateScope,
  raw: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) setOwn(out, k, raw.includes(k) ? v : renderValue(v, scope));
  return out;
}

function renderValue(v: unknown, scope: TemplateScope): unknown {
  if (typeof v === 'string') return renderString(v, scope);
  if (Array.isArray(v)) return v.map((x) => renderValue(x, scope));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, renderValue(x, scope));
    return out;
  }
  return v;
}

/** Assignment that keeps a `__proto__` key as an own data property instead of replacing the prototype. */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Levels and values a copy of `{{ nodes }}` keeps; what lies beyond is replaced by a `[cut: …]` marker string. */
export const NODES_COPY_LIMITS = { depth: 32, values: 100_000 } as const;

/** A plain-data copy of `value` with at most `depth` levels and `values` values; deeper or further parts become a marker. */
export function boundedCopy(value: unknown, limits: { depth: number; values: number } = NODES_COPY_LIMITS): unknown {
  let budget = limits.values;
  const copy = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (depth >= limits.depth) return `[cut: deeper than ${limits.depth} levels]`;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) {
        if (--budget < 0) { out.push(`[cut: more than ${limits.values} values]`); break; }
        out.push(copy(x, depth + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (--budget < 0) { setOwn(out, '[cut]', `more than ${limits.values} values`); break; }
      setOwn(out, k, copy(x, depth + 1));
    }
    return out;
  };
  return copy(value, 0);
}
