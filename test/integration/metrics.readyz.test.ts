/** /readyz checks on real parts: a read-only SQLite connection fails the store check, a sandbox never ready fails the other. */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkReadiness } from '../../server/observability/readiness.js';
import { sqliteWritable } from '../../server/store/sqlite/health.js';

describe('readiness checks', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
  const db = (readonly: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-readyz-'));
    dirs.push(dir);
    const file = join(dir, 'x.db');
    new Database(file).exec('CREATE TABLE t (x)');
    const conn = new Database(file, { readonly });
    return async () => sqliteWritable(conn);
  };

  it('is ready with a writable store and a ready sandbox', async () => {
    const r = await checkReadiness({ storeHealth: db(false), sandboxReady: async () => undefined });
    expect(r).toEqual({ ok: true, checks: { store: 'ok', sandbox: 'ok' } });
  });

  it('names the store when it cannot take a write lock', async () => {
    const r = await checkReadiness({ storeHealth: db(true), sandboxReady: async () => undefined });
    expect(r.ok).toBe(false);
    expect(r.checks.store).toMatch(/^store not writable: /);
    expect(r.checks.sandbox).toBe('ok');
  });

  it('names the sandbox when its child is not up in time', async () => {
    const r = await checkReadiness({ storeHealth: db(false), sandboxReady: () => new Promise(() => undefined), timeoutMs: 50 });
    expect(r).toEqual({ ok: false, checks: { store: 'ok', sandbox: 'sandbox: sandbox child not ready within 50 ms' } });
  });
});
