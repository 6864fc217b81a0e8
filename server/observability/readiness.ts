/** Readiness for /readyz: the store takes a write and the sandbox child is up; each failing check is named. */

export interface ReadinessDeps {
  /** 'ok', or why the store cannot take a write (Store.health). */
  storeHealth(): Promise<string>;
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

export async function checkReadiness(d: ReadinessDeps): Promise<Readiness> {
  const store = await within(d.storeHealth(), d.timeoutMs ?? 2000, 'store').catch((e: unknown) => `store not writable: ${(e as Error).message}`);
  const sandbox = await within(d.sandboxReady(), d.timeoutMs ?? 2000, 'sandbox child').then(
    () => 'ok',
    (e: unknown) => `sandbox: ${(e as Error).message}`,
  );
  return { ok: store === 'ok' && sandbox === 'ok', checks: { store, sandbox } };
}
