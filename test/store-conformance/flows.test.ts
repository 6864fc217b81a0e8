/** Conformance: flows and their saved versions behave the same on SQLite and PostgreSQL. */
import { expect, it } from 'vitest';
import { VersionConflict } from '../../server/store/types.js';
import { forEachStore } from './harness.js';

const input = (name: string, active = false) => ({
  name, active, nodes: [{ id: 'hook', type: 'webhook', params: {} }], edges: [],
});
const tok = (n: string) => ({ hash: `hash-${n}`, sealed: `sealed-${n}` });

forEachStore('flows', (s) => {
  it('creates a flow at version 1 and keeps every saved version', async () => {
    const { store, ids } = s();
    const id = ids.next('flw');
    const created = await store.flows.create(id, input('First', true), tok(id));
    expect(created).toMatchObject({ id, name: 'First', active: true, version: 1, tokenHash: `hash-${id}`, tokenSealed: `sealed-${id}` });
    const v2 = await store.flows.update(id, { ...input('Second'), nodes: [{ id: 'h2', type: 'webhook', params: { a: 1 } }] });
    expect(v2).toMatchObject({ version: 2, name: 'Second', active: false });
    expect((await store.flows.getVersion(id, 1))?.nodes[0].id).toBe('hook');
    expect((await store.flows.getVersion(id, 2))?.nodes[0]).toEqual({ id: 'h2', type: 'webhook', params: { a: 1 } });
    expect(await store.flows.getVersion(id, 3)).toBeUndefined();
    expect(await store.flows.getVersion('flw_nope', 1)).toBeUndefined();
  });

  it('refuses a save against a stale version with VersionConflict and changes nothing', async () => {
    const { store, ids } = s();
    const id = ids.next('flw');
    await store.flows.create(id, input('A'), tok(id));
    await store.flows.update(id, input('B'), 1);
    await expect(store.flows.update(id, input('C'), 1)).rejects.toBeInstanceOf(VersionConflict);
    expect((await store.flows.get(id))?.name).toBe('B');
    expect(await store.flows.update('flw_gone', input('X'))).toBeUndefined();
  });

  it('keeps active when an update does not say, switches it with setActive, rotates the token', async () => {
    const { store, ids } = s();
    const id = ids.next('flw');
    await store.flows.create(id, input('A', true), tok(id));
    expect((await store.flows.update(id, { name: 'A', nodes: input('A').nodes, edges: [] }))?.active).toBe(true);
    expect((await store.flows.setActive(id, false))?.active).toBe(false);
    const rotated = await store.flows.setToken(id, tok(`${id}-2`));
    expect(rotated?.tokenHash).toBe(`hash-${id}-2`);
    expect(await store.flows.findByTokenHash(`hash-${id}`)).toBeUndefined();
    expect((await store.flows.findByTokenHash(`hash-${id}-2`))?.id).toBe(id);
    expect(await store.flows.setActive('flw_gone', true)).toBeUndefined();
  });

  it('lists newest first with a cursor and a total, and deletes', async () => {
    const { store, ids, clock } = s();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.t += 1000;
      const id = ids.next('flw');
      made.push(id);
      await store.flows.create(id, input(`L${i}`), tok(id));
    }
    const total = (await store.flows.list({ limit: 1 })).total;
    const page1 = await store.flows.list({ limit: 3 });
    expect(page1.items.map((f) => f.id)).toEqual(made.slice(-3).reverse());
    const page2 = await store.flows.list({ limit: 3, cursor: page1.nextCursor ?? undefined });
    expect(page2.items.slice(0, 2).map((f) => f.id)).toEqual(made.slice(0, 2).reverse());
    expect(await store.flows.delete(made[0])).toBe(true);
    expect(await store.flows.delete(made[0])).toBe(false);
    expect((await store.flows.list({ limit: 1 })).total).toBe(total - 1);
    expect(await store.flows.getVersion(made[0], 1)).toBeUndefined();
  });
});
