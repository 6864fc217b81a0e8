// D-10: every file Hookflow writes into its data directory is 0600, even in a pre-existing 0755 directory under umask 022.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { backupDataDir } from '../../server/cli/backup.js';
import { checkDataFiles } from '../../server/cli/doctor-checks.js';
import { loadConfig } from '../../server/config.js';

const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);

describe('data file modes (D-10)', () => {
  const dirs: string[] = [];
  const previous = process.umask(0o022);
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  afterEach(() => { process.umask(previous); process.umask(0o022); });

  const openDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'hookflow-modes-'));
    chmodSync(d, 0o755);
    dirs.push(d);
    return d;
  };

  it('D-10: database, WAL, SHM, secret key and node id are 0600 in a pre-existing 0755 directory; backups too', async () => {
    const dir = openDir();
    const t = await startTestApp({}, dir);
    try {
      const f = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: {} }], []);
      const r = await post(f.hook, '{"a":1}');
      await finished(t, (await r.json()).executionId);
      const files = readdirSync(dir);
      for (const name of ['hookflow.db', 'hookflow.db-wal', 'hookflow.db-shm', 'secret.key', 'node-id']) expect(files, name).toContain(name);
      for (const name of files) expect(mode(join(dir, name)), name).toBe('600');
      const cfg = loadConfig({ HOOKFLOW_DATA_DIR: dir });
      expect(checkDataFiles(cfg)).toMatchObject({ level: 'ok' });
      const out = openDir();
      await backupDataDir(dir, out);
      for (const name of readdirSync(out)) expect(mode(join(out, name)), `backup ${name}`).toBe('600');
    } finally {
      await t.close({ keepData: true });
    }
  });

  it('D-10: files left 0644 by an older version are tightened at start, and doctor names a loose one', async () => {
    const dir = openDir();
    const t = await startTestApp({}, dir);
    await t.close({ keepData: true });
    for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
    const cfg = loadConfig({ HOOKFLOW_DATA_DIR: dir });
    const loose = checkDataFiles(cfg);
    expect(loose.level).toBe('fail');
    expect(loose.detail).toMatch(/hookflow\.db.*644/);
    const again = await startTestApp({}, dir);
    try {
      for (const name of readdirSync(dir)) expect(mode(join(dir, name)), name).toBe('600');
    } finally {
      await again.close({ keepData: true });
    }
    expect(existsSync(join(dir, 'hookflow.db'))).toBe(true);
    writeFileSync(join(dir, 'unrelated.txt'), 'not ours', { mode: 0o644 });
    expect(checkDataFiles(cfg).level).toBe('ok');
  });
});
