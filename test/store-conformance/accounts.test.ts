/** Conformance: owner accounts, sessions, API tokens and credentials (sealed rows, key check) on both stores. */
import { expect, it } from 'vitest';
import { forEachStore } from './harness.js';

forEachStore('accounts, sessions, tokens', (s) => {
  it('creates the first user once, even when two processes race; finds it by email in any case', async () => {
    const sub = s();
    const other = await sub.peer();
    const tries = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      (i % 2 ? other : sub.store).users.createFirstUser({ id: `usr_${i}`, email: `o${i}@example.com`, passwordHash: 'h' })));
    expect(tries.filter((u) => u !== undefined)).toHaveLength(1);
    expect(await sub.store.users.countUsers()).toBe(1);
    const winner = tries.find((u) => u !== undefined);
    expect(await sub.store.users.findByEmail((winner?.email ?? '').toUpperCase())).toMatchObject({ id: winner?.id, passwordHash: 'h' });
    expect(await sub.store.users.get(winner?.id ?? '')).toEqual(winner);
  });

  it('stores sessions by digest with touch, delete and purge of expired or idle ones', async () => {
    const sub = s();
    const u = (await sub.query<{ id: string }>('SELECT id FROM users'))[0];
    const t0 = sub.clock.now();
    await sub.store.users.sessions.insert('h-live', u.id, t0 + 100_000);
    await sub.store.users.sessions.insert('h-idle', u.id, t0 + 100_000);
    await sub.store.users.sessions.insert('h-old', u.id, t0 + 10);
    expect(await sub.store.users.sessions.find('h-live')).toEqual({ userId: u.id, createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 100_000 });
    sub.clock.t += 50;
    await sub.store.users.sessions.touch('h-live');
    expect((await sub.store.users.sessions.find('h-live'))?.lastSeenAt).toBe(t0 + 50);
    expect(await sub.store.users.sessions.purge(t0 + 20)).toBe(2);
    expect(await sub.store.users.sessions.find('h-idle')).toBeUndefined();
    expect(await sub.store.users.sessions.delete('h-live')).toBe(true);
    expect(await sub.store.users.sessions.delete('h-live')).toBe(false);
  });

  it('stores API tokens by hash with scope, lists newest first, touches and deletes', async () => {
    const sub = s();
    const a = await sub.store.users.tokens.insert({ id: 'tok_a', userId: null, name: 'ci', hash: 'hash-a' });
    sub.clock.t += 1000;
    const b = await sub.store.users.tokens.insert({ id: 'tok_b', userId: null, name: 'dash', hash: 'hash-b', scope: 'read' });
    expect(a).toMatchObject({ scope: 'owner', lastUsedAt: null });
    expect((await sub.store.users.tokens.list()).map((t) => t.id)).toEqual(['tok_b', 'tok_a']);
    expect(await sub.store.users.tokens.findByHash('hash-b')).toEqual(b);
    await sub.store.users.tokens.touch('tok_a');
    expect((await sub.store.users.tokens.findByHash('hash-a'))?.lastUsedAt).toBe(new Date(sub.clock.now()).toISOString());
    expect(await sub.store.users.tokens.delete('tok_a')).toBe(true);
    expect(await sub.store.users.tokens.findByHash('hash-a')).toBeUndefined();
  });
});

forEachStore('credentials', (s) => {
  const row = (id: string, name = id) => ({ id, name, type: 'hmac', fields: ['secret'], sealed: `sealed:${id}`, createdAt: 1, updatedAt: 1 });

  it('inserts, updates, gets and pages sealed rows', async () => {
    const { store } = s();
    for (const id of ['cred_a', 'cred_b', 'cred_c']) await store.credentials.insert(row(id));
    expect(await store.credentials.update('cred_b', { name: 'B', fields: ['secret', 'x'], sealed: 'new' }, 5)).toBe(true);
    expect(await store.credentials.update('cred_zz', { name: 'B', fields: [], sealed: 'new' }, 5)).toBe(false);
    expect(await store.credentials.get('cred_b')).toEqual({ id: 'cred_b', name: 'B', type: 'hmac', fields: ['secret', 'x'], sealed: 'new', createdAt: 1, updatedAt: 5 });
    const p1 = await store.credentials.list({ limit: 2 });
    expect(p1.items.map((c) => c.id)).toEqual(['cred_c', 'cred_b']);
    expect((await store.credentials.list({ limit: 2, cursor: p1.nextCursor ?? undefined })).items.map((c) => c.id)).toEqual(['cred_a']);
  });

  it('refuses to delete a credential a flow uses, naming the flow; deletes an unused one', async () => {
    const { store, ids } = s();
    await store.credentials.insert(row('cred_used'));
    const flowId = ids.next('flw');
    await store.flows.create(flowId, { name: 'Uses it', nodes: [{ id: 'n', type: 'http', params: { credentialId: 'cred_used' } }], edges: [] }, { hash: `h-${flowId}`, sealed: 's' });
    const uses = (nodes: Array<{ params?: unknown }>) => nodes.some((n) => JSON.stringify(n.params).includes('cred_used'));
    expect(await store.credentials.deleteUnlessUsed('cred_used', uses)).toEqual({ found: true, usedBy: [{ id: flowId, name: 'Uses it' }] });
    expect(await store.credentials.get('cred_used')).toBeDefined();
    expect(await store.credentials.deleteUnlessUsed('cred_a', () => false)).toEqual({ found: true, usedBy: [] });
    expect(await store.credentials.deleteUnlessUsed('cred_a', () => false)).toEqual({ found: false, usedBy: [] });
    expect(await store.credentials.anyFlowToken()).toBeDefined();
  });

  it('keeps the first key check value when two processes write one', async () => {
    const sub = s();
    const other = await sub.peer();
    expect(await sub.store.credentials.keyCheck()).toBeUndefined();
    const [a, b] = await Promise.all([sub.store.credentials.initKeyCheck('first', 1), other.credentials.initKeyCheck('second', 2)]);
    expect(a).toBe(b);
    expect(await sub.store.credentials.initKeyCheck('third', 3)).toBe(a);
    expect(await sub.store.credentials.keyCheck()).toBe(a);
  });
});
