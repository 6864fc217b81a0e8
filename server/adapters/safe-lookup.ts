/** A `lookup` hook for net/http: resolves the name, refuses it if ANY address is blocked, and hands only checked addresses to connect. */
import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { SsrfBlockedError, type AddressGuard } from './address-guard.js';

/** Name → addresses. Injected so tests can answer without DNS; the default is the system resolver. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** `dns.lookup` with every address, in the order the system gives them (what Node itself connects with). */
export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export interface SafeLookupOptions {
  guard: AddressGuard;
  /** @default systemResolver */
  resolver?: Resolver;
  /** Last look at each approved address before connect; throw to refuse. A test seam (fail instead of connecting). */
  beforeConnect?: (host: string, address: string) => void;
}

const notFound = (hostname: string): Error =>
  Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND', hostname });

const familyOf = (f: unknown): 4 | 6 | undefined => (f === 4 || f === 'IPv4' ? 4 : f === 6 || f === 'IPv6' ? 6 : undefined);

/** Resolves `hostname` and checks every answer; throws SsrfBlockedError if any is blocked. */
export async function resolveChecked(hostname: string, opts: SafeLookupOptions, family?: 4 | 6): Promise<LookupAddress[]> {
  const answers = await (opts.resolver ?? systemResolver)(hostname);
  for (const a of answers) {
    const blocked = opts.guard.check(hostname, a.address);
    if (blocked !== undefined) throw new SsrfBlockedError(hostname, a.address, blocked);
  }
  const usable = family === undefined ? answers : answers.filter((a) => a.family === family);
  if (usable.length === 0) throw notFound(hostname);
  for (const a of usable) opts.beforeConnect?.(hostname, a.address);
  return usable;
}

/**
 * The `lookup` option of `http.request` / `net.connect`. Node calls it for every connection to a host
 * name (never for an IP literal: the client checks those itself), so the address checked is the address
 * connected to, and a DNS answer that changes between two lookups (rebinding) is checked again.
 */
export function createSafeLookup(opts: SafeLookupOptions): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, opts, familyOf(options.family)).then(
      (list) => {
        // Leave the promise chain before calling into net, so its throws are not turned into rejections.
        if (options.all === true) process.nextTick(() => callback(null, list));
        else process.nextTick(() => callback(null, list[0].address, list[0].family));
      },
      (err: NodeJS.ErrnoException) => process.nextTick(() => callback(err, '')),
    );
  };
}
