import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

describe('/api/inventory', () => {
  it('PUT creates an item (201), then sets it (200); each change is a movement without an execution', async () => {
    const created = await t.api('PUT', '/api/inventory/TSHIRT-M', { name: 'T-shirt M', quantity: 12 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sku: 'TSHIRT-M', name: 'T-shirt M', quantity: 12 });
    expect(new Date(created.body.updatedAt).toISOString()).toBe(created.body.updatedAt);
    const set = await t.api('PUT', '/api/inventory/TSHIRT-M', { quantity: 7 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ sku: 'TSHIRT-M', name: 'T-shirt M', quantity: 7 });
    await t.api('PUT', '/api/inventory/TSHIRT-M', { name: 'T-shirt (M)', quantity: 7 });
    expect((await t.api('GET', '/api/inventory/TSHIRT-M')).body).toMatchObject({ name: 'T-shirt (M)', quantity: 7 });
    const mv = await t.api('GET', '/api/inventory/TSHIRT-M/movements');
    expect(mv.status).toBe(200);
    expect(mv.body.total).toBe(3);
    expect(mv.body.items.map((m: { delta: number; before: number; after: number; executionId: null; nodeId: null }) => [m.delta, m.before, m.after, m.executionId, m.nodeId]))
      .toEqual([[0, 7, 7, null, null], [-5, 12, 7, null, null], [12, 0, 12, null, null]]);
  });

  it.each([
    ['quantity', { name: 'x' }],
    ['quantity', { quantity: -1 }],
    ['quantity', { quantity: 1.5 }],
    ['quantity', { quantity: '3' }],
    ['name', { quantity: 1, name: 'x'.repeat(201) }],
    ['name', { quantity: 1, name: 5 }],
    ['colour', { quantity: 1, colour: 'red' }],
    ['body', [1, 2]],
  ])('PUT with a bad %s answers 400 naming the field and changes nothing', async (field, body) => {
    const res = await t.api('PUT', '/api/inventory/BAD-1', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.message.startsWith(field)).toBe(true);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field })]);
    expect((await t.api('GET', '/api/inventory/BAD-1')).status).toBe(404);
  });

  it('a SKU with a control character or over 100 characters is refused', async () => {
    expect((await t.api('PUT', `/api/inventory/${encodeURIComponent('A\nB')}`, { quantity: 1 })).status).toBe(400);
    expect((await t.api('PUT', `/api/inventory/${'x'.repeat(101)}`, { quantity: 1 })).body.error.code).toBe('invalid_sku');
  });

  it('GET of an unknown SKU and its movements answer 404', async () => {
    expect((await t.api('GET', '/api/inventory/NOPE')).status).toBe(404);
    expect((await t.api('GET', '/api/inventory/NOPE/movements')).status).toBe(404);
  });

  it('lists by sku with search (sku or name, LIKE wildcards taken literally), limit and cursor', async () => {
    for (const [sku, name] of [['MUG-1', 'Mug red'], ['MUG-2', 'Mug blue'], ['MUG-3', 'Mug 100%'], ['CAP-1', 'Blue cap']]) {
      expect((await t.api('PUT', `/api/inventory/${sku}`, { name, quantity: 1 })).status).toBe(201);
    }
    const p1 = await t.api('GET', '/api/inventory?search=mug&limit=2');
    expect(p1.body).toMatchObject({ total: 3, nextCursor: 'MUG-2' });
    expect(p1.body.items.map((i: { sku: string }) => i.sku)).toEqual(['MUG-1', 'MUG-2']);
    const p2 = await t.api('GET', `/api/inventory?search=mug&limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body).toMatchObject({ total: 3, nextCursor: null });
    expect(p2.body.items.map((i: { sku: string }) => i.sku)).toEqual(['MUG-3']);
    const blue = await t.api('GET', '/api/inventory?search=BLUE');
    expect(blue.body.items.map((i: { sku: string }) => i.sku)).toEqual(['CAP-1', 'MUG-2']);
    const pct = await t.api('GET', `/api/inventory?search=${encodeURIComponent('%')}`);
    expect(pct.body.items.map((i: { sku: string }) => i.sku)).toEqual(['MUG-3']);
    expect((await t.api('GET', '/api/inventory?limit=0')).status).toBe(400);
  });

  it('pages movements newest first', async () => {
    for (const q of [1, 2, 3, 4]) await t.api('PUT', '/api/inventory/PAGED', { quantity: q });
    const p1 = await t.api('GET', '/api/inventory/PAGED/movements?limit=3');
    expect(p1.body.items.map((m: { after: number }) => m.after)).toEqual([4, 3, 2]);
    expect(p1.body.total).toBe(4);
    const p2 = await t.api('GET', `/api/inventory/PAGED/movements?limit=3&cursor=${p1.body.nextCursor}`);
    expect(p2.body.items.map((m: { after: number }) => m.after)).toEqual([1]);
    expect(p2.body.nextCursor).toBeNull();
    expect((await t.api('GET', '/api/inventory/PAGED/movements?cursor=abc')).status).toBe(400);
  });

  it('needs authentication', async () => {
    expect((await fetch(`${t.url}/api/inventory`)).status).toBe(401);
  });
});
