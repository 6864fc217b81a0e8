/** API tokens: `hf_` + 32 random bytes, shown once at creation, stored only as a SHA-256 digest, revocable at once. */
import { createHash, randomBytes } from 'node:crypto';
import type { TokenRecord, TokenScope, UserStore } from '../store/types.js';

export type { TokenScope };

export const TOKEN_PREFIX = 'hf_';
const FORMAT = /^hf_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60_000;

/** A token as listed: never the token itself. */
export type TokenInfo = Pick<TokenRecord, 'id' | 'name' | 'scope' | 'createdAt' | 'lastUsedAt'>;

export interface ApiTokens {
  /** Creates a token; the answer is the only time `token` is ever shown. */
  create(userId: string | null, name: string, scope?: TokenScope): Promise<TokenInfo & { token: string }>;
  list(): Promise<TokenInfo[]>;
  /** False when no such token exists. */
  revoke(id: string): Promise<boolean>;
  /** The token's record when `bearer` is a live token, else undefined. */
  resolve(bearer: string): Promise<TokenRecord | undefined>;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const info = ({ id, name, scope, createdAt, lastUsedAt }: TokenRecord): TokenInfo => ({ id, name, scope, createdAt, lastUsedAt });

export function createApiTokens(deps: { store: UserStore; ids: { next(prefix: string): string }; clock: { now(): number } }): ApiTokens {
  const { store, ids, clock } = deps;
  return {
    async create(userId, name, scope = 'owner') {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const rec = await store.tokens.insert({ id: ids.next('tok'), userId, name, hash: sha256(token), scope });
      return { ...info(rec), token };
    },
    list: async () => (await store.tokens.list()).map(info),
    revoke: (id) => store.tokens.delete(id),
    async resolve(bearer) {
      if (!FORMAT.test(bearer)) return undefined;
      const rec = await store.tokens.findByHash(sha256(bearer));
      if (!rec) return undefined;
      const last = rec.lastUsedAt === null ? 0 : Date.parse(rec.lastUsedAt);
      if (clock.now() - last >= TOUCH_EVERY_MS) await store.tokens.touch(rec.id);
      return rec;
    },
  };
}
