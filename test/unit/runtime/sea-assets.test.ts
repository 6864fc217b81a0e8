import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeBaseDir, isSea } from '../../../server/runtime/sea-assets.js';
import { childConfigArg, startedWithoutSnapshot } from '../../../server/runtime/sea-child.js';
import { bundledDir, sqliteBinding } from '../../../server/runtime/native.js';

describe('where the single binary extracts its assets', () => {
  const uid = process.getuid?.();
  it.each([
    [{ HOOKFLOW_NATIVE_DIR: '/srv/cache', XDG_CACHE_HOME: '/x', HOME: '/home/a' }, '/srv/cache'],
    [{ XDG_CACHE_HOME: '/x', HOME: '/home/a' }, '/x/hookflow'],
    [{ XDG_CACHE_HOME: 'relative', HOME: '/home/a' }, '/home/a/.cache/hookflow'],
    [{ HOME: '/home/a' }, '/home/a/.cache/hookflow'],
    [{ HOME: '/' }, join(tmpdir(), `hookflow-${uid}`)],
    [{}, join(tmpdir(), `hookflow-${uid}`)],
  ])('%o → %s', (env, want) => {
    expect(nativeBaseDir(env)).toBe(want);
  });

  it('rejects a relative HOOKFLOW_NATIVE_DIR, naming it', () => {
    expect(() => nativeBaseDir({ HOOKFLOW_NATIVE_DIR: 'cache' })).toThrow('HOOKFLOW_NATIVE_DIR must be an absolute path, got "cache"');
  });
});

describe('outside the single binary nothing changes', () => {
  it('is not a SEA under vitest', () => expect(isSea()).toBe(false));
  it('passes no sqlite binding and keeps the source-tree folders', () => {
    expect(sqliteBinding()).toEqual({});
    expect(bundledDir('migrations', '/src/migrations')).toBe('/src/migrations');
  });
  it('takes only process.execArgv (the command line, or the binary\'s SEA execArgv) as proof of --no-node-snapshot', () => {
    expect(startedWithoutSnapshot(['--no-node-snapshot'])).toBe(true);
    expect(startedWithoutSnapshot(['--import', 'tsx'])).toBe(false);
    expect(startedWithoutSnapshot([])).toBe(false);
    expect(startedWithoutSnapshot([], { NODE_OPTIONS: '--no-node-snapshot' })).toBe(false);
  });
  it('reads the child config after the script path', () => {
    expect(childConfigArg(['/usr/bin/node', '/app/child.js', '{"a":1}'])).toBe('{"a":1}');
  });
});
