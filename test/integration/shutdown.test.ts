/** Graceful stop on SIGTERM: in-flight steps finish within the grace period, parked work resumes at the next start, exit 0. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_TOKEN } from '../helpers/app.js';
import { freePort, startChildServer } from '../helpers/child-server.js';

const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

describe('graceful shutdown', () => {
  it('finishes the running step, exits 0, and resumes the parked execution after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-stop-'));
    const port = await freePort();
    let server = await startChildServer(dir, port);
    try {
      const mk = async (nodes: unknown[], edges: unknown[]) => {
        const r = await fetch(`${server.url}/api/flows`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'x', active: true, nodes, edges }) });
        return ((await r.json()) as { webhook: { url: string } }).webhook.url;
      };
      const hook = { id: 'hook', type: 'webhook', params: {} };
      const busy = await mk([hook, { id: 'spin', type: 'transform', params: { code: 'const end = Date.now() + 800; while (Date.now() < end) {} return 1', timeoutMs: 3000 } }], [{ from: 'hook', to: 'spin' }]);
      const parked = await mk([hook, { id: 'wait', type: 'delay', params: { ms: 1500 } }], [{ from: 'hook', to: 'wait' }]);
      const fire = async (url: string) => ((await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { executionId: string }).executionId;
      const running = await fire(busy);
      const waiting = await fire(parked);
      await new Promise((r) => setTimeout(r, 200));
      const exited = new Promise<number | null>((resolve) => server.proc.once('exit', (code) => resolve(code)));
      server.proc.kill('SIGTERM');
      expect(await exited).toBe(0);

      server = await startChildServer(dir, port);
      const status = async (id: string) => ((await (await fetch(`${server.url}/api/executions/${id}`, { headers: auth })).json()) as { status: string }).status;
      expect(await status(running)).toBe('succeeded');
      let s = await status(waiting);
      for (let i = 0; i < 60 && s !== 'succeeded'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        s = await status(waiting);
      }
      expect(s).toBe('succeeded');
    } finally {
      await server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
