/**
 * D-5 for a cluster: a worker frozen with SIGSTOP in the middle of a side effect loses its lease to another worker,
 * which finishes the execution; when the frozen one thaws, its late write carries a stale fence and is refused.
 */
import { describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { api, startCluster, until } from './cluster-helpers.js';

interface Call { req: IncomingMessage; res: ServerResponse; key: string }

describe('cluster lease fencing', () => {
  it('D-5 a SIGSTOPped worker loses its lease to another; its late result is refused', async () => {
    const calls: Call[] = [];
    const rcv = createServer((req, res) => { calls.push({ req, res, key: String(req.headers['webhook-id'] ?? req.headers['x-hookflow-idempotency-key'] ?? '') }); });
    await new Promise<void>((r) => rcv.listen(0, '127.0.0.1', () => r()));
    const addr = rcv.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/slow`;
    const c = await startCluster({ HOOKFLOW_LEASE_MS: '1500', HOOKFLOW_ALLOWED_HOSTS: '127.0.0.1', HOOKFLOW_LOG_LEVEL: 'warn' });
    try {
      const ingress = await c.start('ingress');
      const first = await c.start('worker');
      const f = await api(ingress.url, 'POST', '/api/flows', {
        name: 'freeze', active: true,
        nodes: [
          { id: 'hook', type: 'webhook', params: {} },
          { id: 'call', type: 'http', params: { method: 'POST', url, body: { n: 1 }, timeoutMs: 60_000 } },
        ],
        edges: [{ from: 'hook', to: 'call' }],
      });
      expect(f.status).toBe(201);
      const accepted = await fetch(f.body.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const { executionId } = (await accepted.json()) as { executionId: string };
      await until(async () => calls.length === 1, 30_000, 50);
      const [lease] = await c.query<{ lease_owner: string; fence: number }>('SELECT lease_owner, fence FROM executions WHERE id = $1', [executionId]);
      first.proc.kill('SIGSTOP');
      const second = await c.start('worker');
      // The lease runs out (nobody renews it) and the second worker claims the execution and calls again.
      await until(async () => calls.length === 2, 30_000, 50);
      const [taken] = await c.query<{ lease_owner: string; fence: number }>('SELECT lease_owner, fence FROM executions WHERE id = $1', [executionId]);
      expect(taken.lease_owner).not.toBe(lease.lease_owner);
      expect(taken.fence).toBeGreaterThan(lease.fence);
      expect(calls[1].key).toBe(calls[0].key); // the same idempotency key: the receiver can tell it is a repeat
      calls[1].res.writeHead(200, { 'content-type': 'application/json' }).end('{"by":"second"}');
      await until(async () => (await api(ingress.url, 'GET', `/api/executions/${executionId}`)).body.status === 'succeeded', 30_000);
      // Thaw the first worker and let its call complete: its write must not land.
      first.proc.kill('SIGCONT');
      calls[0].res.writeHead(200, { 'content-type': 'application/json' }).end('{"by":"first"}');
      await until(async () => /lease lost/.test(first.output()), 30_000, 100);
      const done = (await api(ingress.url, 'GET', `/api/executions/${executionId}`)).body as { status: string; steps: Array<{ nodeId: string; output: { body: unknown } }> };
      expect(done.status).toBe('succeeded');
      expect(done.steps.find((s) => s.nodeId === 'call')?.output.body).toEqual({ by: 'second' });
      const [final] = await c.query<{ fence: number; lease_owner: string | null }>('SELECT fence, lease_owner FROM executions WHERE id = $1', [executionId]);
      expect(final.fence).toBe(taken.fence);
      expect(second.output()).not.toMatch(/lease lost/);
    } finally {
      for (const n of c.nodes) n.proc.kill('SIGCONT');
      for (const call of calls) if (!call.res.writableEnded) call.res.destroy();
      await c.close();
      rcv.close();
    }
  }, 400_000);
});
