import { describe, expect, it } from 'vitest';
import { accountKey, addressKey, createLoginLimiter } from '../../../server/accounts/login-limiter.js';

const fakeClock = (t = 1_000_000) => ({ t, now() { return this.t; }, advance(ms: number) { this.t += ms; } });

describe('login failure limiter', () => {
  it('allows 10 failures per key, then refuses with a retry time', () => {
    const clock = fakeClock();
    const l = createLoginLimiter({ clock });
    for (let i = 0; i < 10; i++) expect(l.reserve(['acct:a'])).toEqual({ ok: true });
    expect(l.reserve(['acct:a'])).toEqual({ ok: false, retryAfterSec: 6 });
    expect(l.reserve(['acct:b'])).toEqual({ ok: true });
  });

  it('refills one failure every 6 s and is full again after a minute', () => {
    const clock = fakeClock();
    const l = createLoginLimiter({ clock });
    for (let i = 0; i < 10; i++) l.reserve(['k']);
    clock.advance(5_999);
    expect(l.reserve(['k']).ok).toBe(false);
    clock.advance(1);
    expect(l.reserve(['k']).ok).toBe(true);
    clock.advance(60_000);
    for (let i = 0; i < 10; i++) expect(l.reserve(['k']).ok).toBe(true);
  });

  it('gives a reservation back on success', () => {
    const l = createLoginLimiter({ clock: fakeClock() });
    for (let i = 0; i < 50; i++) {
      expect(l.reserve(['k']).ok).toBe(true);
      l.release(['k']);
    }
  });

  it('reserves in every bucket or in none', () => {
    const l = createLoginLimiter({ clock: fakeClock(), perMinute: 2 });
    l.reserve(['ip:1', 'acct:x']);
    l.reserve(['ip:1', 'acct:x']);
    expect(l.reserve(['ip:2', 'acct:x']).ok).toBe(false); // the account is out
    expect(l.reserve(['ip:2', 'acct:y']).ok).toBe(true); // ip:2 was not charged by the refusal above
    expect(l.reserve(['ip:2', 'acct:z']).ok).toBe(true);
    expect(l.reserve(['ip:2', 'acct:w']).ok).toBe(false);
  });

  it('forgets idle keys, keeping memory bounded', () => {
    const clock = fakeClock();
    const l = createLoginLimiter({ clock, maxKeys: 10 });
    for (let i = 0; i < 1000; i++) l.reserve([`k${i}`]);
    expect(l.size()).toBeLessThanOrEqual(10);
    for (let i = 0; i < 10; i++) l.reserve(['hot']);
    expect(l.reserve(['hot']).ok).toBe(false);
    clock.advance(60_000);
    l.reserve(['other']);
    clock.advance(60_000);
    l.reserve(['other']);
    expect(l.size()).toBe(1); // 'hot' sat idle for two minutes: full again, so dropped
  });

  it.each([
    ['127.0.0.1', 'ip:127.0.0.1'],
    ['::ffff:10.1.2.3', 'ip:10.1.2.3'],
    ['2001:db8:aa:bb:1:2:3:4', 'ip6:2001:db8:aa:bb::/64'],
    ['2001:db8:aa:bb::9', 'ip6:2001:db8:aa:bb::/64'],
    ['2001:0db8:00aa:00bb:ffff::', 'ip6:2001:db8:aa:bb::/64'],
    ['2001:db8::1', 'ip6:2001:db8:0:0::/64'],
    ['::1', 'ip6:0:0:0:0::/64'],
  ])('keys address %s as %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it('keys accounts by their normalized email', () => {
    expect(accountKey('owner@example.com')).toBe('acct:owner@example.com');
  });
});
