/**
 * D-5: two Hookflow processes share one data directory. The worker running an execution is frozen with
 * SIGSTOP mid-node; its lease expires, the other process takes the execution over and finishes it. When the
 * frozen worker resumes, its late result is refused by the fence and the final state is written once.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_TOKEN } from '../helpers/app.js';
import { freePort, startChildServer } from '../helpers/child-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lease expiry and fencing across processes (D-5) (SQLite: two processes on one file; PostgreSQL: test/cluster/cluster.freeze.test.ts)', () => {
  it('lets another worker take over a frozen one, and refuses the frozen worker\'s late result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-d5-'));
    const env = { HOOKFLOW_LEASE_MS: '1000', HOOKFLOW_LOG_LEVEL: 'warn' };
    const a = await startChildServer(dir, await freePort(), { ...env, HOOKFLOW_NODE_ID: 'worker-a' });
    const b = await startChildServer(dir, await freePort(), { ...env, HOOKFLOW_NODE_ID: 'worker-b' });
    try {
      const created = await fetch(`${a.url}/api/flows`, {
        method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'slow', active: true,
          nodes: [
            { id: 'hook', type: 'webhook', params: {} },
            { id: 'spin', type: 'transform', params: { code: 'const end = Date.now() + 1500; while (Date.now() < end) {} return { by: "whoever" }', timeoutMs: 5000 } },
          ],
          edges: [{ from: 'hook', to: 'spin' }],
        }),
      });
      const flow = (await created.json()) as { webhook: { url: string } };
      const res = await fetch(flow.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const { executionId } = (await res.json()) as { executionId: string };
      // Each read is bounded, so a stall shows as a failed expectation rather than a test timeout.
      const get = async () => (await (await fetch(`${b.url}/api/executions/${executionId}`,
        { headers: { authorization: `Bearer ${TEST_TOKEN}` }, signal: AbortSignal.timeout(5_000) })).json()) as any;
      // Freeze A inside the 1.5 s spin, once its claim is committed: a process frozen while it holds SQLite's
      // write lock would stall every other process (no one can break another's lock), which is not what D-5 is about.
      let e = await get();
      for (let i = 0; i < 100 && e.status !== 'running'; i++) {
        await sleep(20);
        e = await get();
      }
      expect(e.status).toBe('running');
      await sleep(200);
      a.proc.kill('SIGSTOP');
      e = await get();
      for (let i = 0; i < 100 && e.status !== 'succeeded'; i++) {
        await sleep(100);
        e = await get();
      }
      expect(e.status).toBe('succeeded');
      const finishedAt = e.finishedAt;
      a.proc.kill('SIGCONT');
      for (let i = 0; i < 50 && !a.output().includes('lease lost'); i++) await sleep(100);
      expect(a.output()).toContain('lease lost');
      const after = await get();
      expect(after.status).toBe('succeeded');
      expect(after.finishedAt).toBe(finishedAt);
      expect(after.attempts.filter((x: { nodeId: string }) => x.nodeId === 'spin')).toHaveLength(1);
    } finally {
      a.proc.kill('SIGCONT');
      await a.kill('SIGTERM');
      await b.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
