/** A Hookflow cluster for tests: real processes (tsx) on one PostgreSQL database of their own, sharing one secret key. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_TOKEN } from '../helpers/app.js';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

export type Role = 'all' | 'ingress' | 'worker';

export interface Node extends ChildServer {
  role: Role;
  dataDir: string;
  port: number;
  env: Record<string, string>;
  /** Start it again after a kill, on the same data directory (so the same worker id). */
  restart(): Promise<Node>;
}

export interface Cluster {
  db: TestDatabase;
  secretKey: string;
  nodes: Node[];
  start(role: Role, env?: Record<string, string>): Promise<Node>;
  /** A read-only look at the shared database. */
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, args?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startCluster(base: Record<string, string> = {}, dbUrl?: { url: string; drop(): Promise<void> }): Promise<Cluster> {
  const db = (dbUrl as TestDatabase | undefined) ?? (await createTestDatabase());
  const secretKey = randomBytes(32).toString('hex');
  const nodes: Node[] = [];
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  const launch = async (role: Role, env: Record<string, string>, dataDir: string, port: number): Promise<Node> => {
    const full = {
      HOOKFLOW_DATABASE_URL: db.url, HOOKFLOW_SECRET_KEY: secretKey, HOOKFLOW_ROLE: role, HOOKFLOW_DATABASE_POOL: '4', ...base, ...env,
    };
    const child = await startChildServer(dataDir, port, full, 120_000);
    const node: Node = {
      ...child, role, dataDir, port, env,
      async restart() {
        const again = await launch(role, env, dataDir, port);
        nodes[nodes.indexOf(node)] = again;
        return again;
      },
    };
    return node;
  };
  return {
    db, secretKey, nodes,
    async start(role, env = {}) {
      const node = await launch(role, env, mkdtempSync(join(tmpdir(), `hookflow-node-${role}-`)), await freePort());
      nodes.push(node);
      return node;
    },
    query: async <T extends pg.QueryResultRow>(sql: string, args: unknown[] = []) => (await pool.query<T>(sql, args)).rows,
    async close() {
      await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
      for (const n of nodes) rmSync(n.dataDir, { recursive: true, force: true });
      await pool.end().catch(() => undefined);
      await db.drop();
    },
  };
}

export async function api<T = any>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** The webhook URL of a flow on another node (same token, other port). */
export const hookOn = (node: { url: string }, hookUrl: string): string => `${node.url}${new URL(hookUrl).pathname}`;

export async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, stepMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
