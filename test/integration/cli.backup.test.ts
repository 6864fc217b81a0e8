/** `hookflow backup`: a consistent copy taken by the real CLI while the server accepts webhooks, restorable by a new instance. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post } from '../helpers/flows.js';
import { cli } from './cli-helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'hookflow-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const NODES = [{ id: 'hook', type: 'webhook', params: {} }];

describe('hookflow backup', { timeout: 90_000 }, () => {
  it('copies a consistent database while webhooks keep arriving, with the key file, and a new instance serves it', async () => {
    const t: TestApp = await startTestApp();
    const flow = await activeFlow(t, NODES, [], 'backed-up flow');
    let sending = true;
    let acknowledged = 0;
    const sender = (async () => {
      while (sending) {
        const r = await post(flow.hook, JSON.stringify({ n: acknowledged }));
        if (r.status === 202) acknowledged++;
      }
    })();
    while (acknowledged < 50) await new Promise((r) => setTimeout(r, 10));
    const out = join(scratch, 'one');
    const run = await cli(['backup', out], { HOOKFLOW_DATA_DIR: t.dataDir });
    sending = false;
    await sender;
    await t.close({ keepData: true });

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('database copied');
    expect(statSync(join(out, 'hookflow.db')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'secret.key'), 'utf8')).toBe(readFileSync(join(t.dataDir, 'secret.key'), 'utf8'));
    expect(existsSync(join(out, 'hookflow.db.partial'))).toBe(false);

    const copy = new Database(join(out, 'hookflow.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const events = copy.prepare('SELECT count(*) FROM events').pluck().get() as number;
    copy.close();
    expect(events).toBeGreaterThanOrEqual(50);

    // Restore: the backup directory is a data directory a new instance starts on, key included.
    const restored = await startTestApp({}, out);
    try {
      const flows = await restored.api('GET', '/api/flows');
      expect(flows.body.items.map((f: { name: string }) => f.name)).toEqual(['backed-up flow']);
      const list = await restored.api('GET', `/api/executions?flowId=${flow.id}&limit=1`);
      expect(list.body.total).toBe(events);
    } finally {
      await restored.close();
      rmSync(t.dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a directory that already holds a backup, the data directory itself, and a missing database', async () => {
    const data = join(scratch, 'data');
    mkdirSync(data);
    const missing = await cli(['backup', join(scratch, 'x')], { HOOKFLOW_DATA_DIR: data });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no database at');

    const same = await cli(['backup', data], { HOOKFLOW_DATA_DIR: data });
    expect(same.code).toBe(64);

    const full = join(scratch, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'hookflow.db'), 'not mine');
    writeFileSync(join(data, 'hookflow.db'), '');
    const taken = await cli(['backup', full], { HOOKFLOW_DATA_DIR: data });
    expect(taken.code).toBe(64);
    expect(taken.stderr).toContain('already holds hookflow.db');
    expect(readFileSync(join(full, 'hookflow.db'), 'utf8')).toBe('not mine');

    const none = await cli(['backup'], { HOOKFLOW_DATA_DIR: data });
    expect(none.code).toBe(64);
  });
});
