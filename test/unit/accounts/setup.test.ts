import { describe, expect, it } from 'vitest';
import { createSetup } from '../../../server/accounts/setup.js';
import { createPasswordHasher } from '../../../server/accounts/passwords.js';
import { AccountError } from '../../../server/accounts/account-error.js';
import { fakeClock, memoryStore, testIds } from './store-fixture.js';

const hasher = () => createPasswordHasher({ cost: { logN: 10, r: 8, p: 1 } });
const world = () => {
  const store = memoryStore(fakeClock());
  return { store, setup: createSetup({ store, hasher: hasher(), ids: testIds(), hasOwner: false }) };
};
const good = (token: string | undefined) => ({ email: 'Owner@Example.com', password: 'a long enough password', token });

async function failure(p: Promise<unknown>): Promise<AccountError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof AccountError)) throw new Error(`expected an AccountError, got ${String(e)}`);
  return e;
}

describe('owner setup', () => {
  it('has a 256-bit one-time token while no user exists, and creates the owner with it', async () => {
    const { store, setup } = world();
    const token = setup.token();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const user = await setup.complete(good(token));
    expect(user.email).toBe('owner@example.com');
    expect(await store.countUsers()).toBe(1);
    expect(setup.token()).toBeUndefined();
    expect((await failure(setup.complete(good(token)))).code).toBe('setup_closed');
  });

  it('refuses a missing or wrong token before looking at the fields', async () => {
    const { store, setup } = world();
    for (const token of [undefined, '', 'x', `${setup.token()}x`, 42]) {
      const e = await failure(setup.complete({ email: 'bad', password: 'short', token }));
      expect(e.code).toBe('setup_token_invalid');
    }
    expect(await store.countUsers()).toBe(0);
  });

  it.each([
    [{ email: 'nope', password: 'a long enough password' }, 'email'],
    [{ email: 'o@example.com', password: 'short' }, 'password'],
    [{ email: 'o@example.com', password: 'x'.repeat(201) }, 'password'],
    [{ email: 'o@example.com' }, 'password'],
  ])('names the bad field %#', async (fields, field) => {
    const { store, setup } = world();
    const e = await failure(setup.complete({ ...fields, token: setup.token() }));
    expect(e.code).toBe('invalid_request');
    expect(e.info.field).toBe(field);
    expect(await store.countUsers()).toBe(0);
  });

  it('refuses a body that is not an object', async () => {
    const { setup } = world();
    for (const body of [undefined, null, [], 'x']) expect((await failure(setup.complete(body))).info.field).toBe('body');
  });

  it('creates exactly one owner from concurrent requests', async () => {
    const { store, setup } = world();
    const token = setup.token();
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) =>
      setup.complete({ email: `o${i}@example.com`, password: 'a long enough password', token })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AccountError).code] : []));
    expect(codes.every((c) => c === 'setup_in_progress' || c === 'setup_closed' || c === 'owner_exists')).toBe(true);
    expect(await store.countUsers()).toBe(1);
  });

  it('the store itself inserts a first user only once', async () => {
    const { store } = world();
    expect(await store.createFirstUser({ id: 'usr_1', email: 'a@example.com', passwordHash: 'h' })).toBeDefined();
    expect(await store.createFirstUser({ id: 'usr_2', email: 'b@example.com', passwordHash: 'h' })).toBeUndefined();
    expect(await store.countUsers()).toBe(1);
  });

  it('has no token when an owner already exists', async () => {
    const store = memoryStore(fakeClock());
    await store.createFirstUser({ id: 'usr_1', email: 'a@example.com', passwordHash: 'h' });
    expect(createSetup({ store, hasher: hasher(), ids: testIds(), hasOwner: (await store.countUsers()) > 0 }).token()).toBeUndefined();
  });

  it('ensureOwner creates the head-less owner once and closes setup', async () => {
    const { store, setup } = world();
    expect(await setup.ensureOwner('ops@example.com', 'a long enough password')).toBe('created');
    expect(await setup.ensureOwner('other@example.com', 'a long enough password')).toBe('exists');
    expect(await store.findByEmail('ops@example.com')).toBeDefined();
    expect(setup.token()).toBeUndefined();
    expect((await failure(setup.ensureOwner('x', 'a long enough password'))).info.field).toBe('email');
  });
});
