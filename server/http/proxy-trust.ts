/** HOOKFLOW_TRUST_PROXY: which hops in front of us may speak for the client (X-Forwarded-For / -Proto), in the manner of Express `trust proxy`. */
import { BlockList, isIP } from 'node:net';

/** Proxies named by address: only a peer in `list` is believed, and the X-Forwarded-For walk skips every listed hop. */
export interface TrustedProxies {
  /** The entries as configured (`loopback`, `10.0.0.0/8`, `192.0.2.7` …), for logs and docs. */
  readonly entries: readonly string[];
  readonly list: BlockList;
}

/**
 * `false`: no proxy (X-Forwarded-* ignored). `true`: one proxy, whatever its address (same as `1`).
 * A number n: n proxies in a chain. {@link TrustedProxies}: any chain of proxies with these addresses.
 */
export type ProxyTrust = boolean | number | TrustedProxies;

/** Express's named ranges, so a Caddy or nginx on the same host or in a private network is one word. */
const NAMED: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

const MAX_HOPS = 32;

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1; brackets and zone ids are dropped. */
export function normaliseIp(raw: string): string {
  const ip = raw.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

function addEntry(list: BlockList, entry: string): string | undefined {
  const [addr, bits, extra] = entry.split('/');
  const ip = normaliseIp(addr);
  const family = isIP(ip);
  if (family === 0) return `"${entry}" is neither an IP address, a CIDR nor one of ${Object.keys(NAMED).join(', ')}`;
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (extra !== undefined || !(prefix >= 0 && prefix <= max)) return `"${entry}" has a bad prefix length (0–${max})`;
  list.addSubnet(ip, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return undefined;
}

/**
 * Parses HOOKFLOW_TRUST_PROXY, or returns why the value is bad. Accepted: empty/`false`/`0`/`no` (off),
 * `true`/`yes`/`1` (one proxy), a hop count `2`…`32`, or a comma-separated list of IPs, CIDRs and the names
 * `loopback`, `linklocal`, `uniquelocal`.
 */
export function parseTrustProxy(raw: string | undefined): ProxyTrust | { error: string } {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0' || v === 'no') return false;
  if (v === 'true' || v === 'yes' || v === '1') return true;
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    return n <= MAX_HOPS ? n : { error: `a hop count must be between 1 and ${MAX_HOPS}, got ${n}` };
  }
  const entries = v.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const list = new BlockList();
  for (const e of entries) {
    const problem = Object.hasOwn(NAMED, e) ? NAMED[e].map((cidr) => addEntry(list, cidr)).find(Boolean) : addEntry(list, e);
    if (problem) return { error: `must be true, false, a hop count or a list of proxy addresses: ${problem}` };
  }
  return { entries, list };
}

/** Number of hops `trust` believes without looking at addresses, or undefined for an address list. */
const hopCount = (trust: ProxyTrust): number | undefined =>
  typeof trust === 'boolean' ? (trust ? 1 : 0) : typeof trust === 'number' ? trust : undefined;

/** Is the address `hop` steps from us (0 = our socket's peer) a proxy we believe? */
export function isTrustedHop(trust: ProxyTrust, address: string, hop: number): boolean {
  const n = hopCount(trust);
  if (n !== undefined) return hop < n;
  if (typeof trust !== 'object') return false;
  const ip = normaliseIp(address);
  const family = isIP(ip);
  return family !== 0 && trust.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

const splitList = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v.join(',') : v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The client's address: walk from our peer back along X-Forwarded-For (right to left, each proxy appends
 * the address it saw) while the hop is a trusted proxy; the first untrusted address is the client. Entries
 * a client wrote itself sit left of the first trusted proxy's entry and are never reached.
 */
export function forwardedClient(trust: ProxyTrust, peer: string | undefined, xff: string | string[] | undefined): string {
  const start = peer === undefined ? 'unknown' : normaliseIp(peer);
  if (trust === false) return start;
  const chain = [start, ...splitList(xff).reverse().map(normaliseIp)];
  for (let hop = 0; hop < chain.length - 1; hop++) {
    if (!isTrustedHop(trust, chain[hop], hop)) return chain[hop];
  }
  return chain[chain.length - 1];
}

/** Whether X-Forwarded-Proto (and the like) may be believed: our peer is a trusted proxy. */
export const peerIsTrustedProxy = (trust: ProxyTrust, peer: string | undefined): boolean =>
  trust !== false && isTrustedHop(trust, peer ?? '', 0);

/** How the setting reads in logs: `false`, `1 hop`, `2 hops`, or the address list. */
export function describeTrust(trust: ProxyTrust): string {
  const n = hopCount(trust);
  if (n === 0) return 'false';
  if (n !== undefined) return `${n} hop${n === 1 ? '' : 's'}`;
  return typeof trust === 'object' ? trust.entries.join(', ') : String(trust);
}
