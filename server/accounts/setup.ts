/** First-run owner setup: a one-time start-up token, one owner at most (atomic), closed for good once it exists. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { UserRecord, UserStore } from '../store/types.js';
import type { PasswordHasher } from './passwords.js';
import { AccountError, invalidField, objectBody } from './account-error.js';
import { emailProblem, normalizeEmail, passwordProblem } from './rules.js';

export interface Setup {
  /**
   * The one-time token while no owner is known to exist (generated per start, held only in memory), else undefined.
   * Known: seen at start-up or by a later setup call; an owner created by another process of a cluster closes
   * this process's setup at its next call (`complete` checks the store).
   */
  token(): string | undefined;
  /** Creates the owner from `{email, password, token}`; throws AccountError (closed, bad token, field, race). */
  complete(body: unknown): Promise<UserRecord>;
  /** Head-less start: creates the owner unless one exists. Throws AccountError naming a bad field. */
  ensureOwner(email: string, password: string): Promise<'created' | 'exists'>;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Compares digests, so neither the length nor the content of the expected token leaks through timing. */
function checkToken(given: unknown, expected: string | undefined): void {
  const ok = typeof given === 'string' && expected !== undefined && timingSafeEqual(digest(given), digest(expected));
  if (!ok) throw new AccountError('setup_token_invalid', 'the setup token is missing or wrong; use the URL printed at start-up');
}

function checkFields(email: unknown, password: unknown): { email: string; password: string } {
  const e = emailProblem(email);
  if (e || typeof email !== 'string') throw invalidField('email', e ?? 'must be a string');
  const p = passwordProblem(password);
  if (p || typeof password !== 'string') throw invalidField('password', p ?? 'must be a string');
  return { email, password };
}

/** `hasOwner`: whether an owner account existed at start-up (the store's countUsers). */
export function createSetup(deps: { store: UserStore; hasher: PasswordHasher; ids: { next(prefix: string): string }; hasOwner: boolean }): Setup {
  const { store, hasher, ids } = deps;
  let token: string | undefined = deps.hasOwner ? undefined : randomBytes(32).toString('base64url');
  let inProgress = false;
  const isOpen = async (): Promise<boolean> => {
    if (token !== undefined && (await store.countUsers()) > 0) token = undefined;
    return token !== undefined;
  };

  const create = async (email: string, password: string): Promise<UserRecord | undefined> => {
    const passwordHash = await hasher.hash(password);
    const user = await store.createFirstUser({ id: ids.next('usr'), email: normalizeEmail(email), passwordHash });
    token = undefined;
    return user;
  };

  return {
    token: () => token,
    async complete(body) {
      if (!(await isOpen())) throw new AccountError('setup_closed', 'setup is closed: an owner account exists');
      const b = objectBody(body);
      checkToken(b.token, token);
      const f = checkFields(b.email, b.password);
      if (inProgress) throw new AccountError('setup_in_progress', 'another setup request is being handled');
      inProgress = true;
      try {
        const user = await create(f.email, f.password);
        if (!user) throw new AccountError('owner_exists', 'an owner account already exists');
        return user;
      } finally {
        inProgress = false;
      }
    },
    async ensureOwner(email, password) {
      checkFields(email, password);
      if ((await store.countUsers()) > 0) return 'exists';
      return (await create(email, password)) ? 'created' : 'exists';
    },
  };
}
