import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { describeTrust, forwardedClient, parseTrustProxy, peerIsTrustedProxy, type ProxyTrust } from '../../../server/http/proxy-trust.js';

const trust = (raw: string): ProxyTrust => {
  const t = parseTrustProxy(raw);
  if (typeof t === 'object' && 'error' in t) throw new Error(t.error);
  return t;
};

describe('parseTrustProxy', () => {
  it.each([['', false], ['false', false], ['0', false], ['no', false], ['true', true], ['TRUE', true], ['yes', true], ['1', true], ['2', 2], [' 32 ', 32]])(
    '%j → %j', (raw, want) => expect(parseTrustProxy(raw)).toBe(want));

  it('reads a list of addresses, CIDRs and named ranges', () => {
    const t = trust('loopback, 10.0.0.0/8, 2001:db8::1, [2001:db8:1::]/48');
    expect(describeTrust(t)).toBe('loopback, 10.0.0.0/8, 2001:db8::1, [2001:db8:1::]/48');
    expect(peerIsTrustedProxy(t, '127.0.0.1')).toBe(true);
    expect(peerIsTrustedProxy(t, '::ffff:127.0.0.1')).toBe(true);
    expect(peerIsTrustedProxy(t, '::1')).toBe(true);
    expect(peerIsTrustedProxy(t, '10.200.0.1')).toBe(true);
    expect(peerIsTrustedProxy(t, '2001:db8::1')).toBe(true);
    expect(peerIsTrustedProxy(t, '2001:db8:1:ffff::9')).toBe(true);
    expect(peerIsTrustedProxy(t, '2001:db8::2')).toBe(false);
    expect(peerIsTrustedProxy(t, '192.168.1.1')).toBe(false);
  });

  it.each([
    ['33', /hop count must be between 1 and 32/],
    ['maybe', /"maybe" is neither an IP address, a CIDR nor one of loopback/],
    ['10.0.0.0/33', /"10.0.0.0\/33" has a bad prefix length/],
    ['loopback, constructor', /"constructor" is neither/],
    ['proxy.example.com', /neither an IP address/],
  ])('refuses %j', (raw, message) => {
    const r = parseTrustProxy(raw);
    expect(r).toEqual({ error: expect.stringMatching(message) });
  });

  it('a bad value stops loadConfig with one line naming the variable', () => {
    let err: unknown;
    try {
      loadConfig({ HOOKFLOW_TRUST_PROXY: 'sometimes' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^HOOKFLOW_TRUST_PROXY: must be true, false, a hop count or a list of proxy addresses: "sometimes"/);
    expect(loadConfig({ HOOKFLOW_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({}).trustProxy).toBe(false);
  });
});

describe('forwardedClient', () => {
  const xff = '6.6.6.6, 203.0.113.7, 10.0.0.2';
  it('without trust: the socket peer, whatever the header says', () => {
    expect(forwardedClient(false, '10.0.0.1', xff)).toBe('10.0.0.1');
    expect(forwardedClient(false, '::ffff:192.0.2.1', xff)).toBe('192.0.2.1');
    expect(forwardedClient(false, undefined, xff)).toBe('unknown');
  });

  it('true / 1: the entry our proxy appended', () => {
    expect(forwardedClient(true, '10.0.0.1', xff)).toBe('10.0.0.2');
    expect(forwardedClient(1, '10.0.0.1', xff)).toBe('10.0.0.2');
    expect(forwardedClient(true, '10.0.0.1', undefined)).toBe('10.0.0.1');
  });

  it('a hop count walks that many proxies back, never further than the header goes', () => {
    expect(forwardedClient(2, '10.0.0.1', xff)).toBe('203.0.113.7');
    expect(forwardedClient(3, '10.0.0.1', xff)).toBe('6.6.6.6');
    expect(forwardedClient(9, '10.0.0.1', xff)).toBe('6.6.6.6');
    expect(forwardedClient(2, '10.0.0.1', ['203.0.113.7', '10.0.0.2'])).toBe('203.0.113.7'); // repeated headers join in order
  });

  it('an address list skips every trusted proxy and stops at the first other address', () => {
    const t = trust('10.0.0.0/8');
    expect(forwardedClient(t, '10.0.0.1', xff)).toBe('203.0.113.7');
    // A peer outside the list is the client itself: its X-Forwarded-For is ignored.
    expect(forwardedClient(t, '198.51.100.9', xff)).toBe('198.51.100.9');
    // A client cannot make itself look like a proxy by writing trusted addresses on the left.
    expect(forwardedClient(t, '10.0.0.1', '10.9.9.9, 198.51.100.5')).toBe('198.51.100.5');
    expect(forwardedClient(t, '10.0.0.1', '10.0.0.3, 10.0.0.2')).toBe('10.0.0.3'); // all proxies: the leftmost
  });

  it('X-Forwarded-Proto is believed only from a trusted peer', () => {
    expect(peerIsTrustedProxy(false, '127.0.0.1')).toBe(false);
    expect(peerIsTrustedProxy(true, '203.0.113.1')).toBe(true);
    expect(peerIsTrustedProxy(3, '203.0.113.1')).toBe(true);
    expect(peerIsTrustedProxy(trust('loopback'), '203.0.113.1')).toBe(false);
  });
});
