/** Where the mailer may connect (E-9): the SMTP host resolved once and checked by the http node's address policy, then pinned. */
import { isIP } from 'node:net';
import { NodeError, retryable } from '../../nodes/contract.js';
import { SsrfBlockedError, type AddressGuard } from './address-guard.js';
import { resolveChecked, type Resolver } from './safe-lookup.js';

/** The address to connect to, and the name TLS must present and verify when the host was a name. */
export interface SmtpTarget {
  address: string;
  servername?: string;
}

/** The same refusal the http node gives (`ssrf_blocked`, permanent), naming the host, address and class for the record. */
export const blockedError = (e: SsrfBlockedError): NodeError =>
  new NodeError('ssrf_blocked', e.message, { retryable: false, details: { host: e.host, address: e.address, class: e.addressClass } });

/**
 * Resolves `host` (a name, or an IP literal in any notation the system resolver takes: `127.1`, `2130706433`,
 * `[::ffff:7f00:1]`) and checks every address. Connecting to the returned address, never to the name, means
 * a DNS answer that changes after the check (rebinding) is never used.
 *
 * @throws NodeError `ssrf_blocked` (permanent) when any address is loopback, private, link-local … and not
 * allowed by HOOKFLOW_ALLOWED_HOSTS / HOOKFLOW_ALLOW_PRIVATE_NETWORKS; `smtp_transient` (retryable) when the
 * name does not resolve.
 */
export async function smtpTarget(host: string, guard: AddressGuard, resolver?: Resolver): Promise<SmtpTarget> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  try {
    if (isIP(bare) !== 0) {
      const blocked = guard.check(bare, bare);
      if (blocked !== undefined) throw new SsrfBlockedError(bare, bare, blocked);
      return { address: bare };
    }
    const [first] = await resolveChecked(bare, { guard, resolver });
    return { address: first.address, servername: bare };
  } catch (e) {
    if (e instanceof SsrfBlockedError) throw blockedError(e);
    const code = (e as { code?: unknown }).code;
    throw retryable('smtp_transient', `SMTP host ${bare} could not be resolved${typeof code === 'string' ? ` (${code})` : ''}`, { details: { code: 'EDNS' } });
  }
}
