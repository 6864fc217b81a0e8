/**
 * V8's code cache for the modules the CLI loads (node:module enableCompileCache, Node ≥ 22.1): a start after the
 * first one skips compiling express, ajv, pino … again, which is most of the time to ready. The cache lives in the
 * user's own cache directory (0700), never a shared temporary one: another local user must not be able to plant
 * compiled code. Node checks each entry against the source it was made from and ignores a stale or unreadable one,
 * so a failure here only costs the speed-up. HOOKFLOW_COMPILE_CACHE=off disables it.
 */
import module from 'node:module';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HOOKFLOW_COMPILE_CACHE === 'off') return undefined;
  const base = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(base, 'hookflow', 'compile-cache');
}

export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  const dir = compileCacheDir(env);
  const enable = (module as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (dir === undefined || enable === undefined) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    enable(dir);
  } catch {
    // no home directory or not writable: start without the cache
  }
}
