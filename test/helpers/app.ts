/** Start a real Hookflow in-process on a temp data directory and an ephemeral loopback port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { startHookflow, type Hookflow, type StartOptions } from '../../server/main.js';
import type { SqliteStore } from '../../server/store/sqlite/index.js';

export const TEST_TOKEN = 'test-api-token-0123456789abcdef';

export interface TestApp {
  /** On SQLite (these tests never set HOOKFLOW_DATABASE_URL), so the raw connections are there for inspection. */
  app: Hookflow & { store: SqliteStore };
  url: string;
  dataDir: string;
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}, dataDir?: string, opts: StartOptions = {}): Promise<TestApp> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'hookflow-test-'));
  const cfg = loadConfig({
    HOOKFLOW_PORT: '0', HOOKFLOW_HOST: '127.0.0.1', HOOKFLOW_DATA_DIR: dir, HOOKFLOW_API_TOKEN: TEST_TOKEN,
    HOOKFLOW_LOG_LEVEL: 'silent', ...env,
  });
  const app = (await startHookflow(cfg, opts)) as Hookflow & { store: SqliteStore };
  const url = app.url;
  return {
    app, url, dataDir: dir,
    async api(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async close(opts) {
      await app.close();
      if (!opts?.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Poll until `fn` returns a truthy value or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, stepMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
