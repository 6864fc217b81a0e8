/** Readiness for /readyz: the store takes a write lock and the sandbox child is up; each failing check is named. */
import type { Db } from '../store/db.js';

export interface ReadinessDeps {
  db: Db;
  /** Resolves when a sandbox child is ready to run code. */
  sandboxReady(): Promise<void>;
  /** @default 2000 */
  timeoutMs?: number;
}

export interface Readiness {
  ok: boolean;
  checks: { store: string; sandbox: string };
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} not ready within ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
};

/**
 * Takes the write lock and rewrites the header's user_version with its own value, then rolls back: nothing
 * reaches the disk, but a read-only, locked-out or broken database fails here (the lock alone would not).
 */
function storeCheck(db: Db): string {
  try {
    db.exec('BEGIN IMMEDIATE');
    const v = Number(db.pragma('user_version', { simple: true }));
    db.pragma(`user_version = ${v}`);
    db.exec('ROLLBACK');
    return 'ok';
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    return `store not writable: ${(e as Error).message}`;
  }
}

export async function checkReadiness(d: ReadinessDeps): Promise<Readiness> {
  const store = storeCheck(d.db);
  const sandbox = await within(d.sandboxReady(), d.timeoutMs ?? 2000, 'sandbox child').then(
    () => 'ok',
    (e: unknown) => `sandbox: ${(e as Error).message}`,
  );
  return { ok: store === 'ok' && sandbox === 'ok', checks: { store, sandbox } };
}
