/** Conformance: drafts and the published version of a flow (issue 11, part 1), the same on SQLite and PostgreSQL. */
import { expect, it } from 'vitest';
import { forEachStore } from './harness.js';

const input = (name: string, active = false) => ({ name, active, nodes: [{ id: 'hook', type: 'webhook', params: { v: name } }], edges: [] });
const tok = (n: string) => ({ hash: `hash-${n}`, sealed: `sealed-${n}` });

forEachStore('publishing', (s) => {
  it('saves drafts: an inactive flow starts unpublished; publish picks a saved version; later saves leave it', async () => {
    const { store, ids } = s();
    const id = ids.next('flw');
    expect((await store.flows.create(id, input('A'), tok(id), { savedBy: 'ann@example.test' })).publishedVersion).toBeNull();
    expect((await store.flows.publish(id, 1))?.publishedVersion).toBe(1);
    const v2 = await store.flows.update(id, input('B'), undefined, { savedBy: 'api token' });
    expect(v2).toMatchObject({ version: 2, publishedVersion: 1 });
    expect(await store.flows.publish(id, 9)).toBeUndefined();
    expect((await store.flows.get(id))?.publishedVersion).toBe(1);
    expect(await store.flows.publish('flw_gone', 1)).toBeUndefined();
    const v3 = await store.flows.update(id, input('C'), 2, { publish: true });
    expect(v3).toMatchObject({ version: 3, publishedVersion: 3 });
    expect((await store.flows.publish(id, 2))?.publishedVersion).toBe(2);
    expect((await store.flows.findByTokenHash(`hash-${id}`))?.publishedVersion).toBe(2);
  });

  it('publishes at once a flow created active or with publish, and on first activation', async () => {
    const { store, ids } = s();
    const a = ids.next('flw');
    expect((await store.flows.create(a, input('A', true), tok(a))).publishedVersion).toBe(1);
    const b = ids.next('flw');
    expect((await store.flows.create(b, input('B'), tok(b), { publish: true })).publishedVersion).toBe(1);
    const c = ids.next('flw');
    await store.flows.create(c, input('C'), tok(c));
    await store.flows.update(c, input('C2'));
    expect((await store.flows.setActive(c, true))?.publishedVersion).toBe(2);
    await store.flows.update(c, input('C3'));
    expect((await store.flows.setActive(c, false))?.publishedVersion).toBe(2);
    expect((await store.flows.setActive(c, true))?.publishedVersion).toBe(2);
    const d = ids.next('flw');
    await store.flows.create(d, input('D'), tok(d));
    expect((await store.flows.update(d, input('D2', true)))?.publishedVersion).toBe(2);
  });

  it('lists versions newest first with who saved them and when', async () => {
    const { store, ids, clock } = s();
    const id = ids.next('flw');
    await store.flows.create(id, input('A'), tok(id), { savedBy: 'ann@example.test' });
    clock.t += 60_000;
    await store.flows.update(id, input('B'), undefined, { savedBy: 'cli' });
    clock.t += 60_000;
    await store.flows.update(id, input('C'));
    const list = await store.flows.listVersions(id);
    expect(list?.map((v) => [v.version, v.savedBy])).toEqual([[3, null], [2, 'cli'], [1, 'ann@example.test']]);
    expect(Date.parse(list![0].savedAt) - Date.parse(list![2].savedAt)).toBe(120_000);
    expect(await store.flows.listVersions('flw_gone')).toBeUndefined();
  });

  it('keeps sticky notes per version, and reads documents without notes back without them', async () => {
    const { store, ids } = s();
    const id = ids.next('flw');
    const notes = [{ id: 'n1', text: 'remember', position: { x: 1, y: 2 } }];
    expect((await store.flows.create(id, { ...input('A'), notes }, tok(id))).notes).toEqual(notes);
    const v2 = await store.flows.update(id, input('B'));
    expect(v2 && 'notes' in v2).toBe(false);
    expect((await store.flows.getVersion(id, 1))?.notes).toEqual(notes);
    expect(await store.flows.getVersion(id, 2).then((f) => f && 'notes' in f)).toBe(false);
  });
});
