/** Walks a real Express app's router stack into the list of routes it serves (shared by the auth and OpenAPI tests). */

export interface Endpoint {
  method: string;
  /** A concrete path to call (parameters filled in). */
  path: string;
  /** The route as declared, for messages. */
  declared: string;
  /** True for a RegExp route or a path-mounted middleware (not a plain string route). */
  pattern?: RegExp;
}

interface LayerLike {
  rawPath?: unknown;
  name?: unknown;
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: unknown };
}

const isLayerList = (x: unknown): x is LayerLike[] => Array.isArray(x) && x.every((l) => typeof l === 'object' && l !== null);

export function stackOf(app: unknown): LayerLike[] {
  const router = typeof app === 'function' || typeof app === 'object' ? (app as { router?: { stack?: unknown } }).router : undefined;
  if (!router || !isLayerList(router.stack)) throw new Error('cannot find the Express router stack');
  return router.stack;
}

/** `/:id`, `*splat` and `{/:opt}` (path-to-regexp 8) become concrete segments. */
const concrete = (p: string): string => p.replace(/[{}]/g, '').replace(/:\w+/g, 'x').replace(/\*\w+/g, 'x');
const join = (a: string, b: string): string => (a + b).replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1') || '/';
const ALL = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function walk(stack: LayerLike[], prefix = ''): Endpoint[] {
  const out: Endpoint[] = [];
  for (const layer of stack) {
    const raw = layer.rawPath;
    if (layer.route) {
      const methods = Object.entries(layer.route.methods ?? {}).filter(([, on]) => on).flatMap(([m]) => (m === '_all' ? ALL : [m.toUpperCase()]));
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const method of methods) {
          if (typeof p === 'string') out.push({ method, path: concrete(join(prefix, p)), declared: join(prefix, p) });
          else if (p instanceof RegExp) out.push({ method, path: join(prefix, '/some-editor-page'), declared: `${prefix}${p}`, pattern: p });
        }
      }
    } else if (layer.handle && isLayerList(layer.handle.stack)) {
      out.push(...walk(layer.handle.stack, typeof raw === 'string' && raw !== '/' ? join(prefix, raw) : prefix));
    } else if (typeof raw === 'string' && raw !== '/') {
      // Middleware mounted on a path can answer requests by itself: probe it like a route.
      for (const method of ['GET', 'POST']) out.push({ method, path: concrete(join(prefix, raw)), declared: `use ${join(prefix, raw)}`, pattern: /./ });
    }
  }
  return out;
}

/** Every route of `app`, as declared. */
export const routesOf = (app: unknown): Endpoint[] => walk(stackOf(app));
