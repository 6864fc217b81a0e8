import { describe, expect, it } from 'vitest';
import { createAddressGuard, normaliseHost, parseAllowEntry } from '../../../server/adapters/address-guard.js';
import { ConfigError, loadConfig } from '../../../server/config.js';

describe('address guard', () => {
  it('blocks non-public literals and passes public ones', () => {
    const g = createAddressGuard({ allowPrivateNetworks: false });
    expect(g.check('127.0.0.1', '127.0.0.1')).toBe('loopback');
    expect(g.check('x.test', '169.254.169.254')).toBe('link-local');
    expect(g.check('x.test', '[::1]')).toBe('loopback');
    expect(g.check('x.test', '8.8.8.8')).toBeUndefined();
  });

  it('allowPrivateNetworks lifts every class', () => {
    const g = createAddressGuard({ allowPrivateNetworks: true });
    for (const a of ['127.0.0.1', '10.0.0.1', '::1', '169.254.169.254']) expect(g.check('x.test', a)).toBeUndefined();
  });

  it('an allowed host name lifts the guard for that name only; a CIDR for its addresses only', () => {
    const g = createAddressGuard({ allowPrivateNetworks: false, allowList: ['hooks.internal', '127.0.0.1', '10.8.0.0/16'] });
    expect(g.check('HOOKS.internal.', '10.0.0.9')).toBeUndefined();
    expect(g.check('other.internal', '10.0.0.9')).toBe('private');
    expect(g.check('other.internal', '10.8.1.1')).toBeUndefined();
    expect(g.check('127.0.0.1', '127.0.0.1')).toBeUndefined();
    expect(g.check('127.0.0.2', '127.0.0.2')).toBe('loopback');
  });

  it('normalises hosts: case, brackets, a trailing dot', () => {
    expect(normaliseHost('LocalHost.')).toBe('localhost');
    expect(normaliseHost('[::1]')).toBe('::1');
  });

  it.each([
    ['hooks.internal', { kind: 'host', host: 'hooks.internal' }],
    ['*.corp.example', { kind: 'suffix', suffix: '.corp.example' }],
    ['10.0.0.0/8', { kind: 'net', net: '10.0.0.0', prefix: 8, type: 'ipv4' }],
    ['192.168.1.10', { kind: 'net', net: '192.168.1.10', prefix: 32, type: 'ipv4' }],
    ['fd00::/8', { kind: 'net', net: 'fd00::', prefix: 8, type: 'ipv6' }],
    ['[::1]', { kind: 'net', net: '::1', prefix: 128, type: 'ipv6' }],
  ])('parses the allow-list entry %s', (raw, entry) => {
    expect(parseAllowEntry(raw)).toEqual(entry);
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/x', '10.0.0.0/8/1', 'bad host', 'http://x.test', '-x.test', 'x.test/8', '*', ''])(
    'refuses the allow-list entry %j', (raw) => {
      expect(typeof parseAllowEntry(raw)).toBe('string');
      expect(() => createAddressGuard({ allowPrivateNetworks: false, allowList: [raw] })).toThrow(/allow-list/);
    });
});

describe('HOOKFLOW_ALLOWED_HOSTS', () => {
  const base = { HOOKFLOW_DATA_DIR: '/tmp/hookflow-config-test' };

  it('is a comma-separated list, empty by default', () => {
    expect(loadConfig(base).allowedHosts).toEqual([]);
    expect(loadConfig({ ...base, HOOKFLOW_ALLOWED_HOSTS: ' hooks.internal, 10.0.0.0/8 ,,*.corp.example' }).allowedHosts)
      .toEqual(['hooks.internal', '10.0.0.0/8', '*.corp.example']);
  });

  it('names the variable and the bad entry', () => {
    expect(() => loadConfig({ ...base, HOOKFLOW_ALLOWED_HOSTS: 'ok.test,10.0.0.0/40' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HOOKFLOW_ALLOWED_HOSTS: 'ok.test,10.0.0.0/40' })).toThrow(/^HOOKFLOW_ALLOWED_HOSTS: "10.0.0.0\/40"/);
  });
});
