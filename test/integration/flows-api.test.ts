import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

const flowBody = (over: Record<string, unknown> = {}) => ({
  name: 'Order',
  nodes: [
    { id: 'hook', type: 'webhook', params: { methods: ['POST'] } },
    { id: 'answer', type: 'respond', params: { status: 201, body: { ok: true } } },
  ],
  edges: [{ from: 'hook', to: 'answer' }],
  ...over,
});

describe('flow API', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('refuses every /api route without the bearer token', async () => {
    for (const [m, p] of [['GET', '/api/flows'], ['POST', '/api/flows'], ['GET', '/api/executions'], ['GET', '/api/node-types'], ['GET', '/api/nope']]) {
      const res = await fetch(`${t.url}${p}`, { method: m });
      expect(res.status, `${m} ${p}`).toBe(401);
      const bad = await fetch(`${t.url}${p}`, { method: m, headers: { authorization: 'Bearer wrong-token-wrong-token' } });
      expect(bad.status, `${m} ${p} wrong token`).toBe(401);
    }
  });

  it('creates, reads, lists, updates with a new version, and deletes a flow', async () => {
    const created = await t.api('POST', '/api/flows', flowBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Order', version: 1, active: false });
    expect(created.body.id).toMatch(/^flw_/);
    expect(created.body.webhook.url).toBe(`${t.url}/hooks/${created.body.webhook.token}`);
    expect(Buffer.from(created.body.webhook.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const id = created.body.id as string;
    expect((await t.api('GET', `/api/flows/${id}`)).body).toMatchObject({ id, version: 1 });
    const updated = await t.api('PUT', `/api/flows/${id}`, flowBody({ name: 'Order v2' }));
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Order v2', version: 2 });
    const list = await t.api('GET', '/api/flows?limit=100');
    expect(list.body.items.some((f: { id: string }) => f.id === id)).toBe(true);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    expect((await t.api('DELETE', `/api/flows/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/flows/${id}`)).status).toBe(404);
    expect((await t.api('DELETE', `/api/flows/${id}`)).status).toBe(404);
  });

  it('serves each saved version as it was, without the webhook token', async () => {
    const { body } = await t.api('POST', '/api/flows', flowBody());
    await t.api('PUT', `/api/flows/${body.id}`, flowBody({ name: 'Order v2', edges: [] }));
    const v1 = await t.api('GET', `/api/flows/${body.id}/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual({ id: body.id, name: 'Order v2', version: 1, nodes: flowBody().nodes, edges: [{ from: 'hook', to: 'answer' }] });
    expect(JSON.stringify(v1.body)).not.toContain(body.webhook.token);
    expect((await t.api('GET', `/api/flows/${body.id}/versions/2`)).body.edges).toEqual([]);
    expect((await t.api('GET', `/api/flows/${body.id}/versions/3`)).status).toBe(404);
    const bad = await t.api('GET', `/api/flows/${body.id}/versions/0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('version');
  });

  it('rejects a stale version on update with 409', async () => {
    const { body } = await t.api('POST', '/api/flows', flowBody());
    await t.api('PUT', `/api/flows/${body.id}`, flowBody({ version: 1 }));
    const stale = await t.api('PUT', `/api/flows/${body.id}`, flowBody({ version: 1 }));
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
  });

  it.each([
    ['an unknown node type', flowBody({ nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'x', type: 'teleport', params: {} }], edges: [] }), 'x', 'type'],
    ['bad params', flowBody({ nodes: [{ id: 'hook', type: 'webhook', params: { methods: ['FETCH'] } }], edges: [] }), 'hook', 'params.methods'],
    ['a dangling edge', flowBody({ edges: [{ from: 'hook', to: 'ghost' }] }), undefined, 'edges[0].to'],
    ['an unknown port', flowBody({ edges: [{ from: 'hook', fromPort: 'nope', to: 'answer' }] }), 'hook', 'edges[0].fromPort'],
    ['two triggers', flowBody({ nodes: [{ id: 'a', type: 'webhook', params: {} }, { id: 'b', type: 'webhook', params: {} }], edges: [] }), undefined, 'nodes'],
    ['a cycle', flowBody({
      nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'a', type: 'delay', params: { ms: 1 } }, { id: 'b', type: 'delay', params: { ms: 1 } }],
      edges: [{ from: 'hook', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'a' }],
    }), undefined, 'edges'],
  ])('answers 400 naming the node and field for %s, and stores nothing', async (_name, body, nodeId, field) => {
    const before = (await t.api('GET', '/api/flows')).body.total;
    const res = await t.api('POST', '/api/flows', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_flow');
    expect(res.body.error.details[0].field).toContain(field);
    if (nodeId) {
      expect(res.body.error.details[0].nodeId).toBe(nodeId);
      expect(res.body.error.message).toContain(nodeId);
    }
    expect((await t.api('GET', '/api/flows')).body.total).toBe(before);
  });

  it('answers 400 for malformed JSON and keeps the flow unchanged on a bad update', async () => {
    const res = await fetch(`${t.url}/api/flows`, { method: 'POST', headers: { authorization: 'Bearer test-api-token-0123456789abcdef', 'content-type': 'application/json' }, body: '{"name":' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('malformed_json');
    const { body } = await t.api('POST', '/api/flows', flowBody());
    const bad = await t.api('PUT', `/api/flows/${body.id}`, flowBody({ edges: [{ from: 'hook', to: 'ghost' }] }));
    expect(bad.status).toBe(400);
    expect((await t.api('GET', `/api/flows/${body.id}`)).body).toMatchObject({ version: 1, edges: [{ from: 'hook', to: 'answer' }] });
  });

  it('activates, deactivates and rotates the webhook token', async () => {
    const { body } = await t.api('POST', '/api/flows', flowBody());
    const hook = (token: string) => fetch(`${t.url}/hooks/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect((await hook(body.webhook.token)).status).toBe(404);
    expect((await t.api('POST', `/api/flows/${body.id}/activate`)).body.active).toBe(true);
    expect((await hook(body.webhook.token)).status).toBe(202);
    const rotated = await t.api('POST', `/api/flows/${body.id}/rotate-token`);
    expect(rotated.body.webhook.token).not.toBe(body.webhook.token);
    expect((await hook(body.webhook.token)).status).toBe(404);
    expect((await hook(rotated.body.webhook.token)).status).toBe(202);
    await t.api('POST', `/api/flows/${body.id}/deactivate`);
    expect((await hook(rotated.body.webhook.token)).status).toBe(404);
  });

  it('stores only a hash and a sealed copy of the webhook token', async () => {
    const { body } = await t.api('POST', '/api/flows', flowBody());
    const row = t.app.store.raw.db.prepare('SELECT * FROM flows WHERE id = ?').get(body.id) as Record<string, string>;
    expect(JSON.stringify(row)).not.toContain(body.webhook.token);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the node-type catalogue from the registry', async () => {
    const res = await t.api('GET', '/api/node-types');
    const types = res.body.items.map((n: { type: string }) => n.type);
    expect(types).toEqual(expect.arrayContaining(['webhook', 'transform', 'respond', 'delay']));
    const transform = res.body.items.find((n: { type: string }) => n.type === 'transform');
    expect(transform.ports).toEqual(['out', 'error']);
    expect(transform.params.properties.code.type).toBe('string');
    expect(transform.retry.maxAttempts).toBe(1);
  });
});
