/** SQLite repository for owner accounts, login sessions and API tokens (hashes only; never a raw secret). */
import type { Db } from '../db.js';
import type { SessionRecord, TokenRecord, TokenScope, UserRecord, UserWithHash } from '../records.js';

export type { SessionRecord, TokenRecord, TokenScope, UserRecord, UserWithHash };

/** Synchronous repository over one connection; the store hands it out asynchronously (types UserStore). */
export interface UserRepo {
  countUsers(): number;
  /**
   * Inserts the user only while no user exists, in one statement: concurrent callers, even from another
   * process on the same file, get exactly one owner. Returns undefined when a user already existed.
   */
  createFirstUser(u: { id: string; email: string; passwordHash: string }): UserRecord | undefined;
  findByEmail(email: string): UserWithHash | undefined;
  get(id: string): UserRecord | undefined;
  sessions: {
    insert(idHash: string, userId: string, expiresAt: number): void;
    find(idHash: string): SessionRecord | undefined;
    touch(idHash: string): void;
    delete(idHash: string): boolean;
    /** Deletes sessions past their absolute expiry or idle since before `idleBefore`. */
    purge(idleBefore: number): number;
  };
  /** Addresses (as keyed hashes) each user signed in from, for the login limiter. Times in epoch ms. */
  loginAddresses: {
    /** Whether `userId` signed in from `address` at or after `since`. */
    known(userId: string, address: string, since: number): boolean;
    /** Records a sign-in now, and forgets the user's addresses unused since `forgetBefore`. */
    remember(userId: string, address: string, forgetBefore: number): void;
  };
  tokens: {
    insert(t: { id: string; userId: string | null; name: string; hash: string; scope?: TokenScope }): TokenRecord;
    list(): TokenRecord[];
    findByHash(hash: string): TokenRecord | undefined;
    touch(id: string): void;
    delete(id: string): boolean;
  };
}

interface UserRow { id: string; email: string; password_hash: string; created_at: number }
interface SessionRow { user_id: string; created_at: number; last_seen_at: number; expires_at: number }
interface TokenRow { id: string; user_id: string | null; name: string; scope: string; created_at: number; last_used_at: number | null }

const iso = (ms: number): string => new Date(ms).toISOString();
const toUser = (r: UserRow): UserWithHash => ({ id: r.id, email: r.email, createdAt: iso(r.created_at), passwordHash: r.password_hash });
const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id, userId: r.user_id, name: r.name, scope: r.scope === 'read' ? 'read' : 'owner', createdAt: iso(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
});
const publicUser = ({ id, email, createdAt }: UserWithHash): UserRecord => ({ id, email, createdAt });

function sessionRepo(db: Db, now: () => number): UserRepo['sessions'] {
  const q = {
    insert: db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
    find: db.prepare<[string], SessionRow>('SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?'),
    touch: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?'),
    del: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    purge: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?'),
  };
  return {
    insert(idHash, userId, expiresAt) {
      const t = now();
      q.insert.run(idHash, userId, t, t, expiresAt);
    },
    find(idHash) {
      const r = q.find.get(idHash);
      return r ? { userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at } : undefined;
    },
    touch: (idHash) => { q.touch.run(now(), idHash); },
    delete: (idHash) => q.del.run(idHash).changes > 0,
    purge: (idleBefore) => q.purge.run(now(), idleBefore).changes,
  };
}

function loginAddressRepo(db: Db, now: () => number): UserRepo['loginAddresses'] {
  const q = {
    known: db.prepare<[string, string, number], number>('SELECT 1 FROM login_addresses WHERE user_id = ? AND address = ? AND last_login_at >= ?').pluck(),
    upsert: db.prepare(`INSERT INTO login_addresses (user_id, address, last_login_at) VALUES (?, ?, ?)
      ON CONFLICT (user_id, address) DO UPDATE SET last_login_at = excluded.last_login_at`),
    forget: db.prepare('DELETE FROM login_addresses WHERE user_id = ? AND last_login_at < ?'),
  };
  return {
    known: (userId, address, since) => q.known.get(userId, address, since) !== undefined,
    remember(userId, address, forgetBefore) {
      q.upsert.run(userId, address, now());
      q.forget.run(userId, forgetBefore);
    },
  };
}

function tokenRepo(db: Db, now: () => number): UserRepo['tokens'] {
  const cols = 'id, user_id, name, scope, created_at, last_used_at';
  const q = {
    insert: db.prepare('INSERT INTO api_tokens (id, user_id, name, token_hash, scope, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    list: db.prepare<[], TokenRow>(`SELECT ${cols} FROM api_tokens ORDER BY created_at DESC, id DESC`),
    byHash: db.prepare<[string], TokenRow>(`SELECT ${cols} FROM api_tokens WHERE token_hash = ?`),
    touch: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
    del: db.prepare('DELETE FROM api_tokens WHERE id = ?'),
  };
  return {
    insert({ id, userId, name, hash, scope = 'owner' }) {
      const t = now();
      q.insert.run(id, userId, name, hash, scope, t);
      return { id, userId, name, scope, createdAt: iso(t), lastUsedAt: null };
    },
    list: () => q.list.all().map(toToken),
    findByHash(hash) {
      const r = q.byHash.get(hash);
      return r ? toToken(r) : undefined;
    },
    touch: (id) => { q.touch.run(now(), id); },
    delete: (id) => q.del.run(id).changes > 0,
  };
}

export function createUserStore(db: Db, now: () => number = Date.now): UserRepo {
  const q = {
    count: db.prepare<[], number>('SELECT count(*) FROM users').pluck(),
    insertFirst: db.prepare(
      `INSERT INTO users (id, email, password_hash, created_at, updated_at)
       SELECT @id, @email, @hash, @now, @now WHERE NOT EXISTS (SELECT 1 FROM users)`),
    byEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    byId: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
  };
  const get = (id: string): UserRecord | undefined => {
    const r = q.byId.get(id);
    return r ? publicUser(toUser(r)) : undefined;
  };
  return {
    countUsers: () => q.count.get() ?? 0,
    createFirstUser({ id, email, passwordHash }) {
      const done = q.insertFirst.run({ id, email, hash: passwordHash, now: now() });
      return done.changes === 1 ? get(id) : undefined;
    },
    findByEmail(email) {
      const r = q.byEmail.get(email);
      return r ? toUser(r) : undefined;
    },
    get,
    sessions: sessionRepo(db, now),
    loginAddresses: loginAddressRepo(db, now),
    tokens: tokenRepo(db, now),
  };
}
