/** The SSRF policy: may this host, resolved to this address, be connected to (classifier + allow-list + private-networks switch). */
import { BlockList, isIP } from 'node:net';
import { classifyAddress, type BlockedClass } from './ip-class.js';

export interface GuardPolicy {
  /** `HOOKFLOW_ALLOW_PRIVATE_NETWORKS=true`: every address class is allowed. @default false */
  allowPrivateNetworks: boolean;
  /** Entries that bypass the guard: host names (`hooks.internal`, `*.corp.example`), IPs and CIDRs (`10.1.0.0/16`). */
  allowList?: readonly string[];
}

export interface AddressGuard {
  /** `undefined` when `host` (as written in the URL) may be reached at `address`; otherwise why not. */
  check(host: string, address: string): BlockedClass | undefined;
}

/** Refusal raised by the connect-time lookup; the HTTP client turns it into a permanent `ssrf_blocked`. */
export class SsrfBlockedError extends Error {
  readonly code = 'ESSRFBLOCKED';
  constructor(readonly host: string, readonly address: string, readonly addressClass: BlockedClass) {
    super(`${host === address ? host : `${host} resolves to ${address}, which`} is a ${addressClass} address; outgoing requests to it are blocked`);
    this.name = 'SsrfBlockedError';
  }
}

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Lower-cased, without brackets or a trailing dot: `LocalHost.` and `localhost` are one host. */
export const normaliseHost = (host: string): string => host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');

export type AllowEntry = { kind: 'host'; host: string } | { kind: 'suffix'; suffix: string } | { kind: 'net'; net: string; prefix: number; type: 'ipv4' | 'ipv6' };

/** Parses one allow-list entry, or returns why it is not one. */
export function parseAllowEntry(raw: string): AllowEntry | string {
  const entry = raw.trim().toLowerCase();
  const [addr, bits, extra] = entry.split('/');
  const family = isIP(addr.replace(/^\[(.*)\]$/, '$1'));
  if (family !== 0) {
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (extra !== undefined || !(prefix >= 0 && prefix <= max)) return `"${raw}" has a bad prefix length (0–${max})`;
    return { kind: 'net', net: addr.replace(/^\[(.*)\]$/, '$1'), prefix, type: family === 4 ? 'ipv4' : 'ipv6' };
  }
  const host = normaliseHost(entry);
  if (bits !== undefined || host.length > 253 || !HOST.test(host)) return `"${raw}" is neither a host name, an IP address nor a CIDR`;
  return host.startsWith('*.') ? { kind: 'suffix', suffix: host.slice(1) } : { kind: 'host', host };
}

export function createAddressGuard(policy: GuardPolicy): AddressGuard {
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const nets = new BlockList();
  for (const raw of policy.allowList ?? []) {
    const e = parseAllowEntry(raw);
    if (typeof e === 'string') throw new TypeError(`allow-list: ${e}`);
    if (e.kind === 'host') hosts.add(e.host);
    else if (e.kind === 'suffix') suffixes.push(e.suffix);
    else nets.addSubnet(e.net, e.prefix, e.type);
  }
  const hostAllowed = (host: string): boolean => hosts.has(host) || suffixes.some((s) => host.endsWith(s));
  const addressAllowed = (ip: string): boolean => {
    const family = isIP(ip);
    return family !== 0 && nets.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
  return {
    check(host, address) {
      const cls = classifyAddress(address);
      if (cls === 'public' || policy.allowPrivateNetworks) return undefined;
      const ip = normaliseHost(address).replace(/%.*$/, '');
      return hostAllowed(normaliseHost(host)) || addressAllowed(ip) ? undefined : cls;
    },
  };
}
