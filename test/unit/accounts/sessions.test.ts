import { describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { createSessions } from '../../../server/accounts/sessions.js';
import { fakeClock, memoryStore, testIds } from './store-fixture.js';

const DAY = 86_400_000;

async function world() {
  const clock = fakeClock();
  const store = memoryStore(clock);
  const user = await store.createFirstUser({ id: testIds().next('usr'), email: 'o@example.com', passwordHash: 'x' });
  if (!user) throw new Error('no user');
  const key = randomBytes(32);
  const sessions = createSessions({ store, key, clock });
  return { clock, store, user, key, sessions };
}

describe('sessions', () => {
  it('hands out a fresh 256-bit id each time and stores only its HMAC', async () => {
    const { store, user, key, sessions } = await world();
    const a = await sessions.start(user.id);
    const b = await sessions.start(user.id);
    expect(a.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.value).not.toBe(b.value);
    expect(a.maxAgeSec).toBe(30 * 86_400);
    const digest = createHmac('sha256', key).update(a.value).digest('hex');
    expect(sessions.digest(a.value)).toBe(digest);
    expect((await store.sessions.find(digest))?.userId).toBe(user.id);
    expect(await store.sessions.find(a.value)).toBeUndefined();
    expect(await sessions.resolve(a.value)).toEqual({ userId: user.id });
  });

  it('a different signing key does not accept the session', async () => {
    const { store, user, clock, sessions } = await world();
    const s = await sessions.start(user.id);
    const other = createSessions({ store, key: randomBytes(32), clock });
    expect(await other.resolve(s.value)).toBeUndefined();
  });

  it('ends after 7 idle days, but use keeps it alive', async () => {
    const { clock, user, sessions } = await world();
    const used = await sessions.start(user.id);
    const idle = await sessions.start(user.id);
    for (let d = 0; d < 3; d++) {
      clock.advance(3 * DAY);
      expect(await sessions.resolve(used.value)).toBeDefined();
    }
    expect(await sessions.resolve(idle.value)).toBeUndefined();
  });

  it('ends 30 days after login however much it is used', async () => {
    const { clock, user, sessions } = await world();
    const s = await sessions.start(user.id);
    for (let d = 0; d < 29; d++) {
      clock.advance(DAY);
      expect(await sessions.resolve(s.value)).toBeDefined();
    }
    clock.advance(DAY);
    expect(await sessions.resolve(s.value)).toBeUndefined();
  });

  it('writes last-seen at most once a minute', async () => {
    const { clock, store, user, sessions } = await world();
    const s = await sessions.start(user.id);
    const h = sessions.digest(s.value);
    const first = (await store.sessions.find(h))?.lastSeenAt;
    clock.advance(30_000);
    await sessions.resolve(s.value);
    expect((await store.sessions.find(h))?.lastSeenAt).toBe(first);
    clock.advance(30_000);
    await sessions.resolve(s.value);
    expect((await store.sessions.find(h))?.lastSeenAt).toBe(clock.now());
  });

  it('end() makes the id useless; malformed values are ignored', async () => {
    const { user, sessions } = await world();
    const s = await sessions.start(user.id);
    await sessions.end(s.value);
    expect(await sessions.resolve(s.value)).toBeUndefined();
    for (const bad of [undefined, '', 'short', `${s.value}x`, s.value.replace(/./, '!')]) {
      expect(await sessions.resolve(bad)).toBeUndefined();
      await expect(sessions.end(bad)).resolves.toBeUndefined();
    }
  });

  it('purges expired sessions when a new one starts', async () => {
    const { clock, store, user, sessions } = await world();
    const old = await sessions.start(user.id);
    clock.advance(8 * DAY);
    await sessions.start(user.id);
    expect(await store.sessions.find(sessions.digest(old.value))).toBeUndefined();
  });
});
