/** Password hashing with scrypt (node:crypto): random salt, self-describing hashes, constant-time verify, bounded concurrency. */
import { scrypt, randomBytes, timingSafeEqual } from 'node:crypto';
import { normalizePassword } from './rules.js';

/** scrypt cost: N = 2^logN, block size r, parallelism p. */
export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

/**
 * OWASP's scrypt minimum in its 32 MiB form (N=2^15, r=8, p=3: the same work as N=2^17, p=1 in a quarter of
 * the memory), a few hundred milliseconds per hash on one core. @default { logN: 15, r: 8, p: 3 }
 */
export const DEFAULT_COST: ScryptCost = { logN: 15, r: 8, p: 3 };
const KEY_LEN = 32;
const SALT_LEN = 16;
const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** Too many hashes waiting: the caller should answer 503 and let the client retry. */
export class HasherBusyError extends Error {
  constructor() {
    super('password hashing is busy');
    this.name = 'HasherBusyError';
  }
}

export interface PasswordHasher {
  /** `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64). */
  hash(password: string): Promise<string>;
  /**
   * True when `password` matches `stored`. With `stored` undefined (unknown user) or malformed, hashes
   * against a dummy of the same cost and answers false, so the time taken does not reveal which case it was.
   */
  verify(password: string, stored: string | undefined): Promise<boolean>;
}

export interface HasherOptions {
  /** @default DEFAULT_COST */
  cost?: ScryptCost;
  /** Hashes computed at once (each holds 128·N·r bytes). @default 2 */
  maxConcurrent?: number;
  /** Hashes waiting their turn before `HasherBusyError`. @default 64 */
  maxQueued?: number;
}

const derive = (password: string, salt: Buffer, c: ScryptCost): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const N = 2 ** c.logN;
    scrypt(normalizePassword(password), salt, KEY_LEN, { N, r: c.r, p: c.p, maxmem: 256 * N * c.r }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });

interface Parsed { cost: ScryptCost; salt: Buffer; key: Buffer }

function parse(stored: string): Parsed | undefined {
  const m = FORMAT.exec(stored);
  if (!m) return undefined;
  const cost = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (cost.logN < 1 || cost.logN > 20 || cost.r < 1 || cost.p < 1) return undefined;
  return { cost, salt: Buffer.from(m[4], 'base64'), key: Buffer.from(m[5], 'base64') };
}

export function createPasswordHasher(opts: HasherOptions = {}): PasswordHasher {
  const cost = opts.cost ?? DEFAULT_COST;
  const maxConcurrent = opts.maxConcurrent ?? 2;
  const maxQueued = opts.maxQueued ?? 64;
  let active = 0;
  const waiting: Array<() => void> = [];

  const limited = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active < maxConcurrent) active++;
    else if (waiting.length >= maxQueued) throw new HasherBusyError();
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };

  const hash = async (password: string): Promise<string> => {
    const salt = randomBytes(SALT_LEN);
    const key = await limited(() => derive(password, salt, cost));
    return `$scrypt$ln=${cost.logN},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
  };

  // Computed up front, so even the first unknown-user login costs one hash, like every other login.
  const dummy = hash(randomBytes(18).toString('base64')).then((h) => parse(h) as Parsed);
  // A failure is reported to whoever awaits `dummy` in verify(); this only keeps it from being "unhandled" meanwhile.
  dummy.catch(() => undefined);

  const verify = async (password: string, stored: string | undefined): Promise<boolean> => {
    const parsed = stored === undefined ? undefined : parse(stored);
    const target = parsed ?? (await dummy);
    const key = await limited(() => derive(password, target.salt, target.cost));
    const same = key.length === target.key.length && timingSafeEqual(key, target.key);
    return parsed !== undefined && same;
  };

  return { hash, verify };
}
