/** Node < 22.12 is refused with one line by the real entry (dist/cli.js), before the CLI or a native addon loads. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPPORTED_NODE, unsupportedNode } from '../../server/runtime/node-version.js';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { buildServer } from '../../scripts/build-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The machine's system Node (v20 here): the old runtime a user may still have. */
const SYSTEM_NODE = '/usr/bin/node';
const systemVersion = existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim() : '';

describe('supported Node.js versions', () => {
  it('match package.json engines', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.engines.node).toBe(SUPPORTED_NODE);
  });

  it('are 22.12+ and 24+, nothing older and no odd release line', () => {
    for (const v of ['24.0.0', '24.22.3', 'v24.1.0', '22.12.0', '22.23.5', '26.0.0']) expect(unsupportedNode(v), v).toBeUndefined();
    for (const v of ['20.20.2', 'v20.19.0', '22.11.0', '22.0.0', '23.11.1', '18.20.8', 'garbage']) expect(unsupportedNode(v), v).toMatch(/is not supported: Hookflow needs Node.js 24 LTS, or 22.12 or newer/);
    expect(unsupportedNode('20.20.2')).toContain('Node.js v20.20.2 is not supported');
  });
});

describe('the bundled entry, dist/cli.js', () => {
  let out: string;
  beforeAll(async () => {
    // Inside the checkout (tmp/ is git-ignored), so the bundle's imports resolve to this node_modules as dist/'s do.
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    out = join(mkdtempSync(join(ROOT, 'tmp', 'node-version-')), 'dist');
    await buildServer({ outdir: out });
  }, 60_000);
  afterAll(() => { if (out) rmSync(join(out, '..'), { recursive: true, force: true }); });

  it.skipIf(!systemVersion || unsupportedNode(systemVersion) === undefined)(`refuses the system Node (${systemVersion || 'none'}) with one line and exit 78`, () => {
    for (const args of [['--help'], ['start'], []]) {
      const r = spawnSync(SYSTEM_NODE, [join(out, 'cli.js'), ...args], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH ?? '', HOOKFLOW_DATA_DIR: join(out, 'data') } });
      expect(r.status, r.stderr).toBe(78);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`hookflow: Node.js v${systemVersion} is not supported: Hookflow needs Node.js 24 LTS, or 22.12 or newer (README.md, "Quick start", says how to install it)\n`);
      // Nothing started: no data directory was created.
      expect(existsSync(join(out, 'data'))).toBe(false);
    }
  });

  it(`runs the CLI on this Node (${process.version})`, () => {
    const r = spawnSync(process.execPath, ['--no-node-snapshot', join(out, 'cli.js'), '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: hookflow [command]');
  });
});
