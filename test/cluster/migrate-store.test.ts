/**
 * `hookflow migrate-store --to postgres://…`: a SQLite data directory moves into PostgreSQL with its flows (same
 * webhook URLs), credentials still sealed (and still opening with the same key), accounts, tokens, stock, and
 * every unfinished execution; finished history only with --history. Into a non-empty database it refuses.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp, TEST_TOKEN, eventually } from '../helpers/app.js';
import { loadConfig } from '../../server/config.js';
import { startHookflow } from '../../server/main.js';
import { createTestDatabase } from '../helpers/pg.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWNER = { HOOKFLOW_OWNER_EMAIL: 'owner@example.com', HOOKFLOW_OWNER_PASSWORD: 'a long enough password' };

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '', HOOKFLOW_LOG_LEVEL: 'silent', ...env },
  });
}

describe('hookflow migrate-store', () => {
  it('moves a SQLite data directory into PostgreSQL; the cluster serves the same URLs, keys and pending work', async () => {
    const key = randomBytes(32).toString('hex');
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-move-'));
    const secret = 'whsec-local-shared-secret-0001';
    const src = await startTestApp({ ...OWNER, HOOKFLOW_SECRET_KEY: key }, dir);
    const [db, db2] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      const cred = await src.api('POST', '/api/credentials', { name: 'gh', type: 'hmac', data: { secret } });
      expect(cred.status).toBe(201);
      const signed = await src.api('POST', '/api/flows', {
        name: 'signed', active: true,
        nodes: [
          { id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset: 'github', credentialId: cred.body.id } } },
          { id: 'wait', type: 'delay', params: { ms: '{{ input.body.wait }}' } },
        ],
        edges: [{ from: 'hook', to: 'wait' }],
      });
      expect(signed.status).toBe(201);
      await src.api('PUT', '/api/flows/' + signed.body.id, { ...signed.body, name: 'signed v2' });
      const token = await src.api('POST', '/api/tokens', { name: 'ci' });
      expect(token.status).toBe(201);
      expect((await src.api('PUT', '/api/inventory/MUG', { name: 'Mug', quantity: 7 })).status).toBe(201);
      const sign = (body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const send = (base: string, body: string) => fetch(`${base}${new URL(signed.body.webhook.url).pathname}`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body,
      });
      const done = (await (await send(src.url, '{"wait":0}')).json()) as { executionId: string };
      const parked = (await (await send(src.url, '{"wait":3000}')).json()) as { executionId: string };
      await eventually(async () => (await src.api('GET', `/api/executions/${done.executionId}`)).body.status === 'succeeded');
      await eventually(async () => (await src.api('GET', `/api/executions/${parked.executionId}`)).body.status === 'waiting');
      await src.close({ keepData: true });

      const moved = cli(['migrate-store', '--to', db.url], { HOOKFLOW_DATA_DIR: dir, HOOKFLOW_SECRET_KEY: key });
      expect(moved.stderr).toBe('');
      expect(moved.status).toBe(0);
      expect(moved.stdout).toMatch(/flows 1, flow_versions 2, credentials 1, secret_key_check 1, users 1, login_addresses \d+, sessions \d+, api_tokens 1, stock_items 1, stock_movements 1/);
      expect(moved.stdout).toMatch(/executions 1,/);
      // Into a database that already holds data: refused, nothing changed.
      const again = cli(['migrate-store', '--to', db.url], { HOOKFLOW_DATA_DIR: dir, HOOKFLOW_SECRET_KEY: key });
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/already holds Hookflow data; migrate into an empty database/);
      // With another key: refused before anything is copied.
      const wrong = cli(['migrate-store', '--to', db2.url], { HOOKFLOW_DATA_DIR: dir, HOOKFLOW_SECRET_KEY: 'cd'.repeat(32) });
      expect(wrong.status).toBe(1);
      expect(wrong.stderr).toMatch(/HOOKFLOW_SECRET_KEY does not match/);
      const history = cli(['migrate-store', '--to', db2.url, '--history'], { HOOKFLOW_DATA_DIR: dir, HOOKFLOW_SECRET_KEY: key });
      expect(history.status).toBe(0);
      expect(history.stdout).toMatch(/executions 2,/);

      const dataDir = mkdtempSync(join(tmpdir(), 'hookflow-moved-'));
      const pg = await startHookflow(loadConfig({
        HOOKFLOW_PORT: '0', HOOKFLOW_DATA_DIR: dataDir, HOOKFLOW_DATABASE_URL: db.url, HOOKFLOW_SECRET_KEY: key, HOOKFLOW_API_TOKEN: TEST_TOKEN, HOOKFLOW_LOG_LEVEL: 'silent',
      }));
      try {
        const get = (path: string, bearer = TEST_TOKEN) => fetch(`${pg.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
        const flow = (await (await get(`/api/flows/${signed.body.id}`)).json()) as { name: string; version: number };
        expect(flow).toMatchObject({ name: 'signed v2', version: 2 });
        expect((await get('/api/flows', token.body.token)).status).toBe(200);
        expect(((await (await get('/api/inventory/MUG')).json()) as { quantity: number }).quantity).toBe(7);
        // The same URL and the same sealed secret: a signed delivery is accepted on PostgreSQL.
        const fresh = await send(pg.url, '{"wait":0}');
        expect(fresh.status).toBe(202);
        expect(((await fetch(`${pg.url}${new URL(signed.body.webhook.url).pathname}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' }, body: '{}' })).status)).toBe(401);
        // The parked execution moved and finishes here; the finished one stayed behind without --history.
        await eventually(async () => ((await (await get(`/api/executions/${parked.executionId}`)).json()) as { status: string }).status === 'succeeded', 20_000);
        expect((await get(`/api/executions/${done.executionId}`)).status).toBe(404);
        const login = await fetch(`${pg.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: pg.url }, body: JSON.stringify({ email: OWNER.HOOKFLOW_OWNER_EMAIL, password: OWNER.HOOKFLOW_OWNER_PASSWORD }) });
        expect(login.status).toBe(200);
      } finally {
        await pg.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
      await db2.drop();
    }
  }, 180_000);
});
