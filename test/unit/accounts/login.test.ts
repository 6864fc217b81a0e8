import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { createAccounts } from '../../../server/accounts/accounts.js';
import { createPasswordHasher } from '../../../server/accounts/passwords.js';
import { AccountError } from '../../../server/accounts/account-error.js';
import { fakeClock, memoryStore, testIds } from './store-fixture.js';

const PASSWORD = 'a long enough password';

async function world(o: { sleep?: boolean } = {}) {
  const clock = fakeClock();
  const store = memoryStore(clock);
  const sleeps: number[] = [];
  const sessionKey = randomBytes(32);
  const accounts = createAccounts({
    store, clock, ids: testIds(), sessionKey, hasher: createPasswordHasher({ cost: { logN: 10, r: 8, p: 1 } }), hasOwner: false,
    ...(o.sleep ? { sleep: async (ms: number) => { sleeps.push(ms); } } : {}),
  });
  await accounts.setup.ensureOwner('owner@example.com', PASSWORD);
  return { clock, store, sessionKey, accounts: Object.assign(accounts, { sleeps }) };
}

async function failure(p: Promise<unknown>): Promise<AccountError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof AccountError)) throw new Error(`expected an AccountError, got ${String(e)}`);
  return e;
}

describe('login', () => {
  it('logs in with the right password, the email in any case', async () => {
    const { accounts } = await world();
    const { user, session } = await accounts.login({ email: ' OWNER@example.com', password: PASSWORD }, '10.0.0.1');
    expect(user.email).toBe('owner@example.com');
    expect(await accounts.sessions.resolve(session.value)).toEqual({ userId: user.id });
  });

  it('fails identically for an unknown user and a wrong password', async () => {
    const { accounts } = await world();
    const unknown = await failure(accounts.login({ email: 'nobody@example.com', password: PASSWORD }, '10.0.0.1'));
    const wrong = await failure(accounts.login({ email: 'owner@example.com', password: `${PASSWORD}!` }, '10.0.0.2'));
    expect([unknown.code, unknown.message, unknown.info]).toEqual([wrong.code, wrong.message, wrong.info]);
    expect(unknown.code).toBe('invalid_credentials');
  });

  it.each([
    [{ password: PASSWORD }, 'email'],
    [{ email: 'owner@example.com' }, 'password'],
    [{ email: 'owner@example.com', password: 'x'.repeat(1025) }, 'password'],
    [[], 'body'],
  ])('names a malformed field %#', async (body, field) => {
    const { accounts } = await world();
    expect((await failure(accounts.login(body, '10.0.0.1'))).info.field).toBe(field);
  });

  it('A-15: failures from other addresses cost the owner at a known address a delay, never a wall', async () => {
    const { accounts, clock } = await world({ sleep: true });
    await accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.9.9'); // the owner's usual address
    for (let i = 0; i < 10; i++) await failure(accounts.login({ email: 'owner@example.com', password: 'wrong password!' }, `10.0.1.${i}`));
    expect(accounts.sleeps).toEqual([]);
    const { user } = await accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.9.9');
    expect(user.email).toBe('owner@example.com');
    expect(accounts.sleeps).toHaveLength(1);
    expect(accounts.sleeps[0]).toBeGreaterThanOrEqual(1000);
    // An address the account never signed in from still meets the wall while the account is under attack.
    expect((await failure(accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.2.1'))).code).toBe('too_many_attempts');
    // A known address is no free pass for guesses: its own failures on the account are walled after 10.
    for (let i = 0; i < 10; i++) expect((await failure(accounts.login({ email: 'owner@example.com', password: 'wrong!' }, '10.0.9.9'))).code).toBe('invalid_credentials');
    expect((await failure(accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.9.9'))).code).toBe('too_many_attempts');
    clock.advance(60_000);
    expect((await accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.9.9')).user).toBeDefined();
  });

  it('A-15: a known address is remembered across restarts of the service (it lives in the store)', async () => {
    const { accounts, store, clock, sessionKey } = await world({ sleep: true });
    await accounts.login({ email: 'owner@example.com', password: PASSWORD }, '2001:db8:1:2::7');
    const again = createAccounts({ store, clock, ids: testIds(), sessionKey, hasher: createPasswordHasher({ cost: { logN: 10, r: 8, p: 1 } }), sleep: async () => undefined, hasOwner: true });
    for (let i = 0; i < 10; i++) await failure(again.login({ email: 'owner@example.com', password: 'wrong password!' }, `10.0.1.${i}`));
    // Same /64, another interface id: the same known address.
    expect((await again.login({ email: 'owner@example.com', password: PASSWORD }, '2001:db8:1:2::99')).user).toBeDefined();
  });

  it('locks an account after 10 failures a minute, from any address, even for the right password', async () => {
    const { accounts, clock } = await world();
    for (let i = 0; i < 10; i++) {
      const e = await failure(accounts.login({ email: 'owner@example.com', password: 'wrong password!' }, `10.0.1.${i}`));
      expect(e.code).toBe('invalid_credentials');
    }
    const locked = await failure(accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.2.1'));
    expect(locked.code).toBe('too_many_attempts');
    expect(locked.info.retryAfterSec).toBeGreaterThanOrEqual(1);
    clock.advance(60_000);
    expect((await accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.2.1')).user.email).toBe('owner@example.com');
  });

  it('locks an address after 10 failures a minute, whichever accounts it tries', async () => {
    const { accounts } = await world();
    for (let i = 0; i < 10; i++) await failure(accounts.login({ email: `u${i}@example.com`, password: 'wrong password!' }, '10.0.0.1'));
    expect((await failure(accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.0.1'))).code).toBe('too_many_attempts');
    expect((await accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.0.2')).user).toBeDefined();
  });

  it('counts concurrent guesses before any of them finishes', async () => {
    const { accounts } = await world();
    const tries = await Promise.allSettled(Array.from({ length: 25 }, () =>
      accounts.login({ email: 'owner@example.com', password: 'wrong password!' }, '10.0.0.1')));
    const codes = tries.map((r) => (r.status === 'rejected' ? (r.reason as AccountError).code : 'ok'));
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(10);
    expect(codes.filter((c) => c === 'too_many_attempts')).toHaveLength(15);
  });

  it('successful logins do not use up the allowance', async () => {
    const { accounts } = await world();
    for (let i = 0; i < 15; i++) {
      const { user } = await accounts.login({ email: 'owner@example.com', password: PASSWORD }, '10.0.0.1');
      expect(user.email).toBe('owner@example.com');
    }
  });
});

describe('API tokens', () => {
  it('are shown once, listed without the secret, stored as SHA-256, and die on revoke', async () => {
    const { accounts, store } = await world();
    const t = await accounts.tokens.create(null, 'ci');
    expect(t.token).toMatch(/^hf_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t.token.slice(3), 'base64url')).toHaveLength(32);
    expect(await accounts.tokens.list()).toEqual([{ id: t.id, name: 'ci', scope: 'owner', createdAt: t.createdAt, lastUsedAt: null }]);
    expect(JSON.stringify(await accounts.tokens.list())).not.toContain(t.token.slice(3));
    expect((await store.tokens.findByHash(createHash('sha256').update(t.token).digest('hex')))?.id).toBe(t.id);
    expect((await accounts.tokens.resolve(t.token))?.id).toBe(t.id);
    expect((await accounts.tokens.list())[0].lastUsedAt).not.toBeNull();
    expect(await accounts.tokens.resolve(`${t.token.slice(0, -1)}${t.token.endsWith('A') ? 'Q' : 'A'}`)).toBeUndefined(); // another last character (it was 'A' one time in 16)
    expect(await accounts.tokens.resolve('hf_short')).toBeUndefined();
    expect(await accounts.tokens.revoke(t.id)).toBe(true);
    expect(await accounts.tokens.resolve(t.token)).toBeUndefined();
    expect(await accounts.tokens.revoke(t.id)).toBe(false);
  });
});
