import { describe, expect, it } from 'vitest';
import { classifyAddress, isBlockedAddress, v6Bytes } from '../../../server/adapters/ip-class.js';

// Addresses appear here only as strings handed to a pure function: nothing is ever connected to.
const table: Array<[string, string]> = [
  // IPv4 loopback, unspecified, private
  ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['127.1.2.3', 'loopback'],
  ['0.0.0.0', 'unspecified'], ['0.255.255.255', 'unspecified'],
  ['10.0.0.1', 'private'], ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['172.15.255.255', 'public'], ['172.32.0.0', 'public'],
  ['192.168.0.1', 'private'], ['192.168.255.255', 'private'], ['192.169.0.0', 'public'],
  ['100.64.0.1', 'cgnat'], ['100.127.255.255', 'cgnat'], ['100.63.255.255', 'public'], ['100.128.0.0', 'public'],
  ['169.254.169.254', 'link-local'], ['169.254.0.1', 'link-local'],
  ['224.0.0.1', 'multicast'], ['239.255.255.255', 'multicast'],
  ['255.255.255.255', 'broadcast'], ['240.0.0.1', 'reserved'], ['250.1.2.3', 'reserved'],
  ['192.0.0.8', 'reserved'], ['192.0.2.1', 'documentation'], ['198.51.100.7', 'documentation'], ['203.0.113.9', 'documentation'],
  ['198.18.0.1', 'benchmarking'], ['198.19.255.255', 'benchmarking'], ['198.20.0.0', 'public'],
  ['192.88.99.1', 'reserved'],
  ['8.8.8.8', 'public'], ['1.1.1.1', 'public'], ['93.184.215.14', 'public'],
  // IPv6
  ['::1', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'], ['::', 'unspecified'],
  ['fc00::1', 'private'], ['fd12:3456::1', 'private'], ['fec0::1', 'private'],
  ['fe80::1', 'link-local'], ['febf::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
  ['ff02::1', 'multicast'], ['ff0e::1', 'multicast'],
  ['2001:db8::1', 'documentation'], ['3fff::1', 'documentation'],
  ['2001::1', 'tunnel'], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'tunnel'], ['2001:2::1', 'reserved'],
  ['100::1', 'reserved'], ['5f00::1', 'reserved'], ['1::', 'reserved'], ['4000::1', 'reserved'],
  ['64:ff9b:1::1', 'private'],
  ['2606:4700:4700::1111', 'public'], ['2a00:1450:4001::200e', 'public'],
  // IPv4 embedded in IPv6: the embedded address decides
  ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'], ['::ffff:a9fe:a9fe', 'link-local'], ['::ffff:8.8.8.8', 'public'],
  ['::127.0.0.1', 'loopback'], ['::7f00:1', 'loopback'], ['::a00:1', 'private'], ['::808:808', 'reserved'],
  ['::ffff:0:127.0.0.1', 'loopback'], ['::ffff:0:808:808', 'reserved'],
  ['64:ff9b::127.0.0.1', 'loopback'], ['64:ff9b::a9fe:a9fe', 'link-local'], ['64:ff9b::808:808', 'public'],
  ['2002:7f00:1::', 'loopback'], ['2002:c0a8:101::1', 'private'], ['2002:a9fe:a9fe::', 'link-local'], ['2002:808:808::1', 'public'],
  // brackets as in URLs
  ['[::1]', 'loopback'], ['[::ffff:7f00:1]', 'loopback'],
  // not IP literals: never public
  ['127.1', 'invalid'], ['0x7f.1', 'invalid'], ['2130706433', 'invalid'], ['0177.0.0.1', 'invalid'],
  ['localhost', 'invalid'], ['', 'invalid'], ['1.2.3.4.5', 'invalid'], ['::ffff:1.2.3', 'invalid'],
];

describe('classifyAddress', () => {
  it.each(table)('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
    expect(isBlockedAddress(address)).toBe(cls !== 'public');
  });

  // H-2: the URL parser normalises legacy notations first; the final check sees the normalised literal.
  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://0.0.0.0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['http://[::ffff:7f00:1]/', '[::ffff:7f00:1]'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', '[::ffff:7f00:1]'],
    ['http://[::1]/', '[::1]'],
  ])('%s → hostname %s → blocked', (url, hostname) => {
    const h = new URL(url).hostname;
    expect(h).toBe(hostname);
    expect(isBlockedAddress(h)).toBe(true);
  });

  it('leaves host names (localhost., LocalHost) to the resolver: they are not literals', () => {
    expect(new URL('http://localhost./').hostname).toBe('localhost.');
    expect(new URL('http://LocalHost/').hostname).toBe('localhost');
    expect(classifyAddress('localhost.')).toBe('invalid');
  });
});

describe('v6Bytes', () => {
  it('expands ::, a trailing dotted quad and full forms alike', () => {
    const hex = (ip: string) => Buffer.from(v6Bytes(ip)).toString('hex');
    expect(hex('::1')).toBe('00000000000000000000000000000001');
    expect(hex('::ffff:127.0.0.1')).toBe('00000000000000000000ffff7f000001');
    expect(hex('2001:db8::8:800:200c:417a')).toBe('20010db80000000000080800200c417a');
    expect(hex('1:2:3:4:5:6:7:8')).toBe('00010002000300040005000600070008');
    expect(hex('1::')).toBe('00010000000000000000000000000000');
  });
});
