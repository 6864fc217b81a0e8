/** `npm start`'s build step: each part rebuilt only when its sources are newer, and no bundler warnings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { isStale } from '../../scripts/build-state.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
mkdirSync(join(ROOT, 'tmp'), { recursive: true }); // git-ignored scratch space inside the checkout
/** Marks `file` as changed now (after the last build). */
const touch = (file: string): void => { const t = new Date(); utimesSync(file, t, t); };

describe('isStale', () => {
  it('is true when an output is missing or any input (walked) is newer than the oldest output', () => {
    const dir = mkdtempSync(join(ROOT, 'tmp', 'stale-'));
    try {
      mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
      for (const f of ['src/a.ts', 'src/deep/b.ts', 'out1', 'out2']) writeFileSync(join(dir, f), f);
      const past = new Date(Date.now() - 60_000);
      for (const f of ['src/a.ts', 'src/deep/b.ts']) utimesSync(join(dir, f), past, past);
      const recent = new Date(Date.now() - 30_000);
      for (const f of ['out1', 'out2']) utimesSync(join(dir, f), recent, recent);
      const outs = [join(dir, 'out1'), join(dir, 'out2')];
      const ins = [join(dir, 'src'), join(dir, 'missing-input')];
      expect(isStale(outs, ins)).toBe(false);
      touch(join(dir, 'src/deep/b.ts'));
      expect(isStale(outs, ins)).toBe(true);
      expect(isStale([...outs, join(dir, 'out3')], [])).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scripts/build.mjs --if-stale on a copy of the checkout', { timeout: 120_000 }, () => {
  let dir: string;
  const build = async (): Promise<string> => {
    const r = await run(process.execPath, [join(dir, 'scripts/build.mjs'), '--if-stale'], { cwd: dir, timeout: 100_000 });
    return r.stdout + r.stderr;
  };
  const mtime = (f: string): number => statSync(join(dir, f)).mtimeMs;

  beforeAll(() => {
    dir = mkdtempSync(join(ROOT, 'tmp', 'build-'));
    for (const p of ['server', 'nodes', 'web/src', 'web/public', 'web/index.html', 'web/vite.config.mts', 'web/tsconfig.json', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json']) {
      cpSync(join(ROOT, p), join(dir, p), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('builds both the first time, without a single bundler warning', async () => {
    const out = await build();
    expect(out).toMatch(/^building the server \(dist\/\)… [\d.]+ s\nbuilding the editor \(web\/dist\)… [\d.]+ s\n$/);
  });

  it('builds nothing and prints nothing when nothing changed', async () => {
    const before = [mtime('dist/cli.js'), mtime('web/dist/index.html')];
    expect(await build()).toBe('');
    expect([mtime('dist/cli.js'), mtime('web/dist/index.html')]).toEqual(before);
  });

  it('rebuilds only the server after a server source changed, only the editor after an editor source changed', async () => {
    touch(join(dir, 'server/config.ts'));
    expect(await build()).toMatch(/^building the server \(dist\/\)… [\d.]+ s\n$/);
    touch(join(dir, 'web/src/main.tsx'));
    expect(await build()).toMatch(/^building the editor \(web\/dist\)… [\d.]+ s\n$/);
    touch(join(dir, 'package-lock.json'));
    expect(await build()).toMatch(/^building the server \(dist\/\)… [\d.]+ s\nbuilding the editor \(web\/dist\)… [\d.]+ s\n$/);
  });
});
