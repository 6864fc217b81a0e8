import { describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { createSessions } from '../../../server/accounts/sessions.js';
import { fakeClock, memoryStore, testIds } from './store-fixture.js';

const DAY = 86_400_000;

function world() {
  const clock = fakeClock();
  const store = memoryStore(clock);
  const user = store.createFirstUser({ id: testIds().next('usr'), email: 'o@example.com', passwordHash: 'x' });
  if (!user) throw new Error('no user');
  const key = randomBytes(32);
  const sessions = createSessions({ store, key, clock });
  return { clock, store, user, key, sessions };
}

describe('sessions', () => {
  it('hands out a fresh 256-bit id each time and stores only its HMAC', () => {
    const { store, user, key, sessions } = world();
    const a = sessions.start(user.id);
    const b = sessions.start(user.id);
    expect(a.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.value).not.toBe(b.value);
    expect(a.maxAgeSec).toBe(30 * 86_400);
    const digest = createHmac('sha256', key).update(a.value).digest('hex');
    expect(sessions.digest(a.value)).toBe(digest);
    expect(store.sessions.find(digest)?.userId).toBe(user.id);
    expect(store.sessions.find(a.value)).toBeUndefined();
    expect(sessions.resolve(a.value)).toEqual({ userId: user.id });
  });

  it('a different signing key does not accept the session', () => {
    const { store, user, clock, sessions } = world();
    const s = sessions.start(user.id);
    const other = createSessions({ store, key: randomBytes(32), clock });
    expect(other.resolve(s.value)).toBeUndefined();
  });

  it('ends after 7 idle days, but use keeps it alive', () => {
    const { clock, user, sessions } = world();
    const used = sessions.start(user.id);
    const idle = sessions.start(user.id);
    for (let d = 0; d < 3; d++) {
      clock.advance(3 * DAY);
      expect(sessions.resolve(used.value)).toBeDefined();
    }
    expect(sessions.resolve(idle.value)).toBeUndefined();
  });

  it('ends 30 days after login however much it is used', () => {
    const { clock, user, sessions } = world();
    const s = sessions.start(user.id);
    for (let d = 0; d < 29; d++) {
      clock.advance(DAY);
      expect(sessions.resolve(s.value)).toBeDefined();
    }
    clock.advance(DAY);
    expect(sessions.resolve(s.value)).toBeUndefined();
  });

  it('writes last-seen at most once a minute', () => {
    const { clock, store, user, sessions } = world();
    const s = sessions.start(user.id);
    const h = sessions.digest(s.value);
    const first = store.sessions.find(h)?.lastSeenAt;
    clock.advance(30_000);
    sessions.resolve(s.value);
    expect(store.sessions.find(h)?.lastSeenAt).toBe(first);
    clock.advance(30_000);
    sessions.resolve(s.value);
    expect(store.sessions.find(h)?.lastSeenAt).toBe(clock.now());
  });

  it('end() makes the id useless; malformed values are ignored', () => {
    const { user, sessions } = world();
    const s = sessions.start(user.id);
    sessions.end(s.value);
    expect(sessions.resolve(s.value)).toBeUndefined();
    for (const bad of [undefined, '', 'short', `${s.value}x`, s.value.replace(/./, '!')]) {
      expect(sessions.resolve(bad)).toBeUndefined();
      expect(() => sessions.end(bad)).not.toThrow();
    }
  });

  it('purges expired sessions when a new one starts', () => {
    const { clock, store, user, sessions } = world();
    const old = sessions.start(user.id);
    clock.advance(8 * DAY);
    sessions.start(user.id);
    expect(store.sessions.find(sessions.digest(old.value))).toBeUndefined();
  });
});
