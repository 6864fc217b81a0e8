/**
 * SIGKILL in the middle of a split over 200 items: after the restart every item's inventory move happens exactly once
 * (the stock table's key is execution:node:item), every item reaches the receiver, and the only repeats are the few
 * calls in flight at the kill, with the same idempotency key.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_TOKEN } from '../helpers/app.js';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server.js';
import { startReceiver } from '../helpers/http-receiver.js';

const ITEMS = 200;
const CONCURRENCY = 4;
const KILL_AT = 70;

const api = async (s: ChildServer, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${s.url}${path}`, {
    method, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe('split across a SIGKILL', () => {
  it('after a restart, every item\'s side effect happened exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-split-crash-'));
    const env = { HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' };
    const port = await freePort();
    let killed: Promise<void> | undefined;
    let server = await startChildServer(dir, port, env);
    const rx = await startReceiver(async (r, res, n) => {
      if (n >= KILL_AT && !killed) killed = server.kill('SIGKILL');
      await new Promise((d) => setTimeout(d, 5));
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    try {
      for (let i = 0; i < ITEMS; i++) expect((await api(server, 'PUT', `/api/inventory/SKU-${i}`, { quantity: 5 })).status).toBe(201);
      const created = await api(server, 'POST', '/api/flows', {
        name: 'split crash', active: true,
        nodes: [
          { id: 'hook', type: 'webhook', params: {} },
          { id: 'lines', type: 'split', params: { path: 'input.body.lines', concurrency: CONCURRENCY } },
          { id: 'stock', type: 'inventory', params: { operation: 'decrement', itemsPath: 'input' } },
          { id: 'notify', type: 'http', params: { method: 'POST', url: `${rx.url}/line`, body: '{{ input }}' } },
          { id: 'all', type: 'aggregate', params: {} },
        ],
        edges: [{ from: 'hook', to: 'lines' }, { from: 'lines', to: 'stock' }, { from: 'stock', fromPort: 'ok', to: 'notify' }, { from: 'notify', to: 'all' }],
      });
      expect(created.status).toBe(201);
      const lines = Array.from({ length: ITEMS }, (_, i) => ({ sku: `SKU-${i}`, qty: 1 }));
      const accepted = await fetch(created.body.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines }) });
      const executionId = ((await accepted.json()) as { executionId: string }).executionId;
      for (let i = 0; !killed; i++) {
        if (i > 3000) throw new Error(`never killed; receiver got ${rx.requests.length}`);
        await new Promise((d) => setTimeout(d, 10));
      }
      await killed;
      const beforeRestart = rx.requests.length;
      expect(beforeRestart).toBeLessThan(ITEMS);

      server = await startChildServer(dir, port, env);
      let e: any;
      for (let i = 0; ; i++) {
        e = (await api(server, 'GET', `/api/executions/${executionId}`)).body;
        if (['succeeded', 'failed', 'canceled'].includes(e.status)) break;
        if (i > 1200) throw new Error(`not finished: ${e.status}`);
        await new Promise((d) => setTimeout(d, 50));
      }
      expect(e.status).toBe('succeeded');
      expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'all').output.counts).toEqual({ total: ITEMS, succeeded: ITEMS, failed: 0, skipped: 0 });

      // Inventory: exactly one move per item, each SKU down by exactly one.
      for (let i = 0; i < ITEMS; i++) {
        const moves = (await api(server, 'GET', `/api/inventory/SKU-${i}/movements`)).body.items.filter((m: { executionId: string | null }) => m.executionId === executionId);
        expect(moves.map((m: { nodeId: string; delta: number }) => [m.nodeId, m.delta])).toEqual([[`stock:${i}`, -1]]);
        expect((await api(server, 'GET', `/api/inventory/SKU-${i}`)).body.quantity).toBe(4);
      }
      // The receiver: every item's key arrived; a key arrived twice only for calls in flight at the kill.
      const keys = rx.requests.map((r) => r.headers['idempotency-key']);
      const counts = new Map<string, number>();
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual(lines.map((_, i) => `${executionId}:notify:${i}`).sort());
      const repeated = [...counts.values()].filter((c) => c > 1);
      expect(repeated.every((c) => c === 2)).toBe(true);
      expect(repeated.length).toBeLessThanOrEqual(CONCURRENCY);
    } finally {
      await server.kill('SIGTERM');
      await rx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
