import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { compileCacheDir } from '../../../server/runtime/compile-cache.js';

describe('V8 compile cache directory (runtime/compile-cache.ts)', () => {
  it('lives in the user’s own cache directory, XDG_CACHE_HOME first, and is off when asked', () => {
    expect(compileCacheDir({})).toBe(join(homedir(), '.cache', 'hookflow', 'compile-cache'));
    expect(compileCacheDir({ XDG_CACHE_HOME: '/var/cache/u1' })).toBe('/var/cache/u1/hookflow/compile-cache');
    expect(compileCacheDir({ HOOKFLOW_COMPILE_CACHE: 'off' })).toBeUndefined();
  });
});
