/** THREATS D-9: a long-running reader lets the WAL grow during 10k commits; once it ends, the WAL is cut back. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_JOURNAL_SIZE_LIMIT, openDb, type OpenOptions } from '../../server/store/db.js';

const dir = mkdtempSync(join(tmpdir(), 'hookflow-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LIMIT = 4 * 1024 * 1024;

/** 10k single-row commits while a reader holds its snapshot, then the reader ends and writes go on; WAL sizes before and after. */
function growWithReader(name: string, opts: OpenOptions): { during: number; after: number } {
  const file = join(dir, `${name}.db`);
  const writer = openDb(file, { ...opts, synchronous: 'NORMAL' });
  writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const reader = openDb(file, opts);
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM t').get();
  const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
  for (let i = 0; i < 10_000; i++) insert.run('x'.repeat(300));
  const during = statSync(`${file}-wal`).size;
  reader.exec('COMMIT');
  // The next commits run the automatic checkpoint (now complete) and restart the WAL from its beginning.
  for (let i = 0; i < 1_100; i++) insert.run('y');
  const after = statSync(`${file}-wal`).size;
  reader.close();
  writer.close();
  return { during, after };
}

describe('D-9 WAL growth under a long-running reader', { timeout: 60_000 }, () => {
  it('sets the limit on every connection by default', () => {
    const db = openDb(join(dir, 'default.db'));
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(DEFAULT_JOURNAL_SIZE_LIMIT);
    db.close();
  });

  it('cuts the WAL back to the limit once the reader is gone', () => {
    const { during, after } = growWithReader('limited', { journalSizeLimit: LIMIT });
    expect(during).toBeGreaterThan(4 * LIMIT);
    expect(after).toBeLessThanOrEqual(LIMIT);
  });

  it('negative control: without a limit the grown WAL stays at its peak size', () => {
    const { during, after } = growWithReader('unlimited', { journalSizeLimit: -1 });
    expect(after).toBeGreaterThanOrEqual(during);
  });
});
