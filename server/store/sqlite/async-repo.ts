/** Hands out a synchronous better-sqlite3 repository through the store's asynchronous interfaces. */

export type Async<T> = {
  [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : T[K] extends object ? Async<T[K]> : T[K];
};

/** Every method (also of nested objects) returns a promise; a thrown error becomes a rejection. */
export function asyncRepo<T extends object>(repo: T): Async<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(repo)) {
    if (typeof v === 'function') out[k] = async (...a: unknown[]) => (v as (...a: unknown[]) => unknown).apply(repo, a);
    else if (v !== null && typeof v === 'object') out[k] = asyncRepo(v as object);
    else out[k] = v;
  }
  return out as Async<T>;
}
