/** Id and token generation: time-ordered ids for rows, 256-bit random tokens for webhook URLs. */
import { randomBytes } from 'node:crypto';

export interface Ids {
  /** `prefix_` + 9 chars of time + 16 random chars: sorts by creation time. */
  next(prefix: string): string;
  /** 32 random bytes, base64url (43 chars). */
  token(): string;
}

export function createIds(now: () => number = Date.now): Ids {
  let pool = randomBytes(4096);
  let offset = 0;
  const take = (n: number): Buffer => {
    if (offset + n > pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    const b = pool.subarray(offset, offset + n);
    offset += n;
    return b;
  };
  return {
    next: (prefix) => `${prefix}_${now().toString(36).padStart(9, '0')}${take(12).toString('base64url')}`,
    token: () => randomBytes(32).toString('base64url'),
  };
}
