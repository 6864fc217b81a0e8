/** The command line on PostgreSQL: doctor's database checks, migrate, backup's advice, and a bad --role. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../helpers/pg.js';
import { migrationFiles } from '../../server/store/postgres/migrate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '', HOOKFLOW_LOG_LEVEL: 'silent', ...env },
  });
}

describe('hookflow CLI on PostgreSQL', () => {
  it('migrate applies every migration once; doctor checks connection, version, migration level and synchronous_commit', async () => {
    const db = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-pgcli-'));
    const env = { HOOKFLOW_DATA_DIR: dir, HOOKFLOW_DATABASE_URL: db.url, HOOKFLOW_SECRET_KEY: 'ab'.repeat(32) };
    try {
      const before = cli(['doctor'], env);
      expect(before.stdout).toMatch(/^ok {4}postgres connection: postgres:\/\/.+ \(pool 10 per process\)$/m);
      expect(before.stdout).toMatch(/^ok {4}postgres version: PostgreSQL \d+/m);
      expect(before.stdout).toMatch(new RegExp(`^warn  postgres migrations: ${migrationFiles().length} pending`, 'm'));
      expect(before.stdout).toMatch(/^ok {4}postgres synchronous_commit: on for Hookflow's accepting connections/m);
      expect(before.stdout).not.toMatch(/sqlite/);
      const first = cli(['migrate'], env);
      expect(first.status).toBe(0);
      expect(first.stdout).toContain(`migrations applied: ${migrationFiles().join(', ')}`);
      expect(cli(['migrate'], env).stdout).toContain('migrations applied: none pending');
      expect(cli(['doctor'], env).stdout).toMatch(new RegExp(`^ok {4}postgres migrations: ${migrationFiles().length} applied`, 'm'));
      const bad = cli(['doctor'], { ...env, HOOKFLOW_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/^fail  postgres connection: postgres:\/\/nobody@127\.0\.0\.1:1\/none: /m);
      const backup = cli(['backup', join(dir, 'copy')], env);
      expect(backup.status).toBe(1);
      expect(backup.stderr).toMatch(/pg_dump --format=custom/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  }, 120_000);

  it('a bad role or database URL stops with one line naming it (exit 78), the password never shown', () => {
    const role = cli(['start', '--role', 'boss'], {});
    expect(role.status).toBe(78);
    expect(role.stderr.trim()).toBe('hookflow: bad configuration: --role: must be one of all, ingress, worker, got "boss"');
    const env = cli(['start'], { HOOKFLOW_ROLE: 'queue' });
    expect(env.status).toBe(78);
    expect(env.stderr).toContain('HOOKFLOW_ROLE: must be one of all, ingress, worker');
    const url = cli(['start'], { HOOKFLOW_DATABASE_URL: 'mysql://u:hunter2@h/db' });
    expect(url.status).toBe(78);
    expect(url.stderr).toContain('HOOKFLOW_DATABASE_URL: must start with postgres://');
    expect(url.stderr).not.toContain('hunter2');
  }, 120_000);
});
