/** Start-up wiring for accounts: build the service, create the head-less owner, announce the one-time setup URL. */
import type { Logger } from '../../nodes/contract.js';
import type { SharedLimits, UserStore } from '../store/types.js';
import { deriveKey } from '../secrets/crypto.js';
import { createAccounts, type Accounts } from './accounts.js';
import { createPasswordHasher, type ScryptCost } from './passwords.js';

export interface BootAccountsDeps {
  users: UserStore;
  /** Login failure counters shared by a cluster (PostgreSQL). */
  sharedLimits?: SharedLimits;
  /** The master key; sessions are signed with `deriveKey(master, 'sessions')`, never with the encryption key. */
  master: Buffer;
  ids: { next(prefix: string): string };
  clock: { now(): number };
  log: Logger;
  /** HOOKFLOW_OWNER_EMAIL + HOOKFLOW_OWNER_PASSWORD: created on the first start, ignored once an owner exists. */
  owner?: { email: string; password: string };
  /** @default DEFAULT_COST */
  passwordCost?: ScryptCost;
}

/** The session-signing key for a master key (exported so tests can prove it is not the encryption key). */
export const sessionKeyFor = (master: Buffer): Buffer => deriveKey(master, 'sessions');

export async function bootAccounts(d: BootAccountsDeps): Promise<Accounts> {
  const accounts = createAccounts({
    store: d.users, ids: d.ids, clock: d.clock, sessionKey: sessionKeyFor(d.master),
    hasher: createPasswordHasher({ cost: d.passwordCost }), sharedLimits: d.sharedLimits, hasOwner: (await d.users.countUsers()) > 0,
  });
  if (d.owner) {
    const done = await accounts.setup.ensureOwner(d.owner.email, d.owner.password);
    if (done === 'created') d.log.info({ email: d.owner.email }, 'owner account created from HOOKFLOW_OWNER_EMAIL');
    else d.log.info({}, 'HOOKFLOW_OWNER_EMAIL/PASSWORD ignored: an owner account already exists');
  }
  return accounts;
}

/**
 * While no owner exists, logs `<public url>/setup?token=<token>` once (at warn, so it shows at the default
 * level) and returns a function giving the URL for as long as setup stays open.
 */
export function announceSetup(accounts: Accounts, baseUrl: string, log: Logger): () => string | undefined {
  const url = (): string | undefined => {
    const token = accounts.setup.token();
    return token === undefined ? undefined : `${baseUrl}/setup?token=${token}`;
  };
  const first = url();
  if (first !== undefined) log.warn({ setupUrl: first }, 'no owner account yet: open the setup URL to create one (it works once)');
  return url;
}
