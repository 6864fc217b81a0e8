/** A real SQLite user store in memory (with the real migrations) and a hand-driven clock, for account unit tests. */
import { openDb, migrate } from '../../../server/store/db.js';
import { createUserStore } from '../../../server/store/sqlite/users.js';
import { asyncRepo } from '../../../server/store/sqlite/async-repo.js';
import type { UserStore } from '../../../server/store/types.js';

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

export function memoryStore(clock: FakeClock): UserStore {
  const db = openDb(':memory:');
  migrate(db);
  return asyncRepo(createUserStore(db, clock.now));
}

export function testIds(): { next(prefix: string): string } {
  let seq = 0;
  return { next: (prefix) => `${prefix}_${(++seq).toString(36).padStart(6, '0')}` };
}
