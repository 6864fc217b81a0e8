/** Pure IP address classifier for the SSRF guard: public, or which blocked range an address falls in. */
import { BlockList, isIP } from 'node:net';

/** Why an address may not be connected to. `invalid` covers anything that is not a plain IPv4/IPv6 literal. */
export type BlockedClass =
  | 'loopback' | 'unspecified' | 'private' | 'cgnat' | 'link-local' | 'multicast' | 'broadcast'
  | 'reserved' | 'documentation' | 'benchmarking' | 'tunnel' | 'invalid';

export type AddressClass = 'public' | BlockedClass;

type Rule = readonly [network: string, prefix: number, cls: BlockedClass];

// First match wins, so a narrower range is listed before a wider one that contains it.
const V4_RULES: readonly Rule[] = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // includes the cloud metadata address 169.254.169.254
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments (DS-Lite, NAT64 discovery …)
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RULES: readonly Rule[] = [
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64 (RFC 8215)
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 32, 'tunnel'], // Teredo: the IPv4 endpoint is obfuscated, never a direct target
  ['2001::', 23, 'reserved'], // IETF protocol assignments
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'reserved'], // SRv6 SIDs
  ['fc00::', 7, 'private'], // unique local
  ['fec0::', 10, 'private'], // deprecated site-local
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
];

/**
 * IPv6 ranges that carry an IPv4 address; the embedded address decides. `ifPublic` is what a public
 * embedded address means: NAT64 and 6to4 reach it, the deprecated forms are never legitimate targets.
 */
const EMBEDDING: ReadonlyArray<{ net: string; prefix: number; offset: number; ifPublic: AddressClass }> = [
  { net: '::ffff:0:0', prefix: 96, offset: 12, ifPublic: 'public' }, // IPv4-mapped
  { net: '::ffff:0:0:0', prefix: 96, offset: 12, ifPublic: 'reserved' }, // IPv4-translated (SIIT)
  { net: '::', prefix: 96, offset: 12, ifPublic: 'reserved' }, // IPv4-compatible (deprecated)
  { net: '64:ff9b::', prefix: 96, offset: 12, ifPublic: 'public' }, // NAT64 well-known prefix
  { net: '2002::', prefix: 16, offset: 2, ifPublic: 'public' }, // 6to4
];

const GLOBAL_UNICAST = single('2000::', 3, 'ipv6');

function single(net: string, prefix: number, type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return list;
}

const compile = (rules: readonly Rule[], type: 'ipv4' | 'ipv6') =>
  rules.map(([net, prefix, cls]) => ({ list: single(net, prefix, type), cls }));

const V4 = compile(V4_RULES, 'ipv4');
const V6 = compile(V6_RULES, 'ipv6');
const V6_EMBEDDING = EMBEDDING.map((e) => ({ ...e, list: single(e.net, e.prefix, 'ipv6') }));

/**
 * Classifies an IP literal (dotted-quad IPv4 or IPv6, brackets and a `%zone` allowed). Anything else,
 * including the legacy notations `127.1` or `0x7f.1` that the URL parser normalises first, is `invalid`.
 */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return classifyV4(ip);
  if (family === 6) return classifyV6(ip);
  return 'invalid';
}

/** True unless the address is public. */
export const isBlockedAddress = (address: string): boolean => classifyAddress(address) !== 'public';

function classifyV4(ip: string): AddressClass {
  for (const r of V4) if (r.list.check(ip, 'ipv4')) return r.cls;
  return 'public';
}

function classifyV6(ip: string): AddressClass {
  const bytes = v6Bytes(ip);
  const canonical = toCanonical(bytes);
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (bytes.every((b, i) => b === (i === 15 ? 1 : 0))) return 'loopback';
  for (const e of V6_EMBEDDING) {
    if (!e.list.check(canonical, 'ipv6')) continue;
    const inner = classifyV4(Array.from(bytes.subarray(e.offset, e.offset + 4)).join('.'));
    return inner === 'public' ? e.ifPublic : inner;
  }
  for (const r of V6) if (r.list.check(canonical, 'ipv6')) return r.cls;
  return GLOBAL_UNICAST.check(canonical, 'ipv6') ? 'public' : 'reserved';
}

/** The 16 bytes of an IPv6 literal already validated by `isIP`: expands `::` and a trailing dotted quad. */
export function v6Bytes(ip: string): Uint8Array {
  let text = ip.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (isIP(tail) === 4) {
    const [a, b, c, d] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const groups = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const before = groups(head);
  const after = groups(rest);
  const all = rest === undefined ? before : [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  const out = new Uint8Array(16);
  all.forEach((g, i) => { out[i * 2] = g >> 8; out[i * 2 + 1] = g & 0xff; });
  return out;
}

const toCanonical = (bytes: Uint8Array): string =>
  Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] << 8) | bytes[i * 2 + 1]).toString(16)).join(':');
