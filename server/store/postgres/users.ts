/** PostgreSQL repository for owner accounts, login sessions and API tokens (hashes only; never a raw secret). */
import type { TokenRecord, UserStore, UserWithHash } from '../types.js';
import { inTx, type Pool } from './pool.js';

interface UserRow { id: string; email: string; password_hash: string; created_at: number }
interface SessionRow { user_id: string; created_at: number; last_seen_at: number; expires_at: number }
interface TokenRow { id: string; user_id: string | null; name: string; scope: string; created_at: number; last_used_at: number | null }

const iso = (ms: number): string => new Date(ms).toISOString();
const toUser = (r: UserRow): UserWithHash => ({ id: r.id, email: r.email, createdAt: iso(r.created_at), passwordHash: r.password_hash });
const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id, userId: r.user_id, name: r.name, scope: r.scope === 'read' ? 'read' : 'owner', createdAt: iso(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
});
const TOKEN_COLS = 'id, user_id, name, scope, created_at, last_used_at';
const changed = (r: { rowCount: number | null }): boolean => (r.rowCount ?? 0) > 0;

export function createPgUserStore(pool: Pool, now: () => number = Date.now): UserStore {
  const get = async (id: string) => {
    const r = (await pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
    return r ? { id: r.id, email: r.email, createdAt: iso(r.created_at) } : undefined;
  };
  return {
    countUsers: async () => (await pool.query<{ n: number }>('SELECT count(*) AS n FROM users')).rows[0].n,
    async createFirstUser({ id, email, passwordHash }) {
      // One owner at most, whichever process asks: an advisory transaction lock serialises check and insert (the
      // insert is a later statement than the lock, so its snapshot sees an owner another process just committed).
      const t = now();
      const r = await inTx(pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock(7283734)');
        return c.query(`INSERT INTO users (id, email, password_hash, created_at, updated_at)
          SELECT $1, $2, $3, $4, $4 WHERE NOT EXISTS (SELECT 1 FROM users)`, [id, email, passwordHash, t]);
      });
      return changed(r) ? get(id) : undefined;
    },
    async findByEmail(email) {
      const r = (await pool.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email])).rows[0];
      return r && toUser(r);
    },
    get,
    sessions: {
      async insert(idHash, userId, expiresAt) {
        const t = now();
        await pool.query('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)', [idHash, userId, t, expiresAt]);
      },
      async find(idHash) {
        const r = (await pool.query<SessionRow>('SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = $1', [idHash])).rows[0];
        return r ? { userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at } : undefined;
      },
      touch: async (idHash) => { await pool.query('UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2', [now(), idHash]); },
      delete: async (idHash) => changed(await pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash])),
      purge: async (idleBefore) => (await pool.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2', [now(), idleBefore])).rowCount ?? 0,
    },
    loginAddresses: {
      async known(userId, address, since) {
        return (await pool.query('SELECT 1 FROM login_addresses WHERE user_id = $1 AND address = $2 AND last_login_at >= $3', [userId, address, since])).rowCount !== 0;
      },
      async remember(userId, address, forgetBefore) {
        await pool.query(`INSERT INTO login_addresses (user_id, address, last_login_at) VALUES ($1, $2, $3)
          ON CONFLICT (user_id, address) DO UPDATE SET last_login_at = excluded.last_login_at`, [userId, address, now()]);
        await pool.query('DELETE FROM login_addresses WHERE user_id = $1 AND last_login_at < $2', [userId, forgetBefore]);
      },
    },
    tokens: {
      async insert({ id, userId, name, hash, scope = 'owner' }) {
        const t = now();
        await pool.query('INSERT INTO api_tokens (id, user_id, name, token_hash, scope, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [id, userId, name, hash, scope, t]);
        return { id, userId, name, scope, createdAt: iso(t), lastUsedAt: null };
      },
      list: async () => (await pool.query<TokenRow>(`SELECT ${TOKEN_COLS} FROM api_tokens ORDER BY created_at DESC, id DESC`)).rows.map(toToken),
      async findByHash(hash) {
        const r = (await pool.query<TokenRow>(`SELECT ${TOKEN_COLS} FROM api_tokens WHERE token_hash = $1`, [hash])).rows[0];
        return r && toToken(r);
      },
      touch: async (id) => { await pool.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [now(), id]); },
      delete: async (id) => changed(await pool.query('DELETE FROM api_tokens WHERE id = $1', [id])),
    },
  };
}
