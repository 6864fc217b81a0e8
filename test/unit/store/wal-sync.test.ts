import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { fdatasync } from 'node:fs';
import { createWalSync } from '../../../server/store/sqlite/wal-sync.js';
import { createSqliteStore } from '../../../server/store/sqlite/index.js';
import { createIds } from '../../../server/adapters/ids.js';

const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-walsync-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
};

describe('WAL fdatasync off the event loop (wal-sync.ts)', () => {
  it('resolves a ticket only after a fdatasync that started after it, and shares one fdatasync among waiting tickets', async () => {
    const t = tmp();
    const file = join(t.dir, 'x-wal');
    writeFileSync(file, 'frames');
    const calls: Array<(err: NodeJS.ErrnoException | null) => void> = [];
    const fake = ((_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => { calls.push(cb); }) as unknown as typeof fdatasync;
    const s = createWalSync(file, fake);
    let first = false;
    let second = false;
    void s.until(s.mark()).then(() => { first = true; });
    expect(calls).toHaveLength(1); // started at once
    const t2 = s.mark(); // committed while the first fdatasync runs: needs the next one
    void s.until(t2).then(() => { second = true; });
    void s.until(t2);
    calls[0](null);
    await new Promise((r) => setImmediate(r));
    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(calls).toHaveLength(2); // one more for both waiters on t2
    calls[1](null);
    await new Promise((r) => setImmediate(r));
    expect(second).toBe(true);
    await s.barrier(); // nothing pending: no new fdatasync
    expect(calls).toHaveLength(2);
    s.close();
    t.done();
  });

  it('after a failed fdatasync, that batch and every later durable write fail (the disk state is unknown)', async () => {
    const t = tmp();
    const file = join(t.dir, 'x-wal');
    writeFileSync(file, 'frames');
    let n = 0;
    const failing = ((_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      n++;
      setImmediate(() => cb(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })));
    }) as unknown as typeof fdatasync;
    const s = createWalSync(file, failing);
    await expect(s.until(s.mark())).rejects.toThrow(/fdatasync of the WAL failed: EIO/);
    await expect(s.until(s.mark())).rejects.toThrow(/fdatasync of the WAL failed/);
    await expect(s.barrier()).rejects.toThrow(/fdatasync/);
    expect(n).toBe(1);
    s.close();
    t.done();
  });

  it('the SQLite store: an accept resolves stored, and the accepting connection is back at synchronous=FULL after the batch', async () => {
    const t = tmp();
    const ids = createIds();
    const store = createSqliteStore(join(t.dir, 'hookflow.db'), ids);
    const flowId = ids.next('flw');
    const envelope = (i: number) => ({ method: 'POST', headers: {}, query: {}, body: { i }, receivedAt: new Date(0).toISOString(), eventId: `evt_${i}` });
    const rs = await Promise.all([1, 2, 3].map((i) => store.executions.accept({ flowId, flowVersion: 1, mode: 'async', envelope: envelope(i) })));
    for (const r of rs) expect((await store.executions.get(r.executionId))?.status).toBe('queued');
    expect(Number(store.raw.db.pragma('synchronous', { simple: true }))).toBe(2);
    await store.close();
    t.done();
  });
});
