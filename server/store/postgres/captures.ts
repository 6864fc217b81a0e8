/** Capture windows and captured deliveries on PostgreSQL (twin of sqlite/captures.ts). */
import type { CaptureRow, CaptureStore } from '../types.js';
import { inTx, type Pool } from './pool.js';

interface DbRow {
  id: string; flow_id: string; received_at: number; method: string; query: string; headers: string; body: Buffer;
  sig_ok: number; sig_reason: string | null; auth_kind: string; auth_preset: string | null; client: string | null; live: number;
}

const toRow = (r: DbRow): CaptureRow => ({
  id: r.id, flowId: r.flow_id, receivedAt: r.received_at, method: r.method, query: r.query,
  headers: JSON.parse(r.headers) as Record<string, string>, body: r.body,
  signature: { ok: r.sig_ok === 1, reason: r.sig_reason, kind: r.auth_kind, preset: r.auth_preset },
  client: r.client, live: r.live === 1,
});

export function createPgCaptureStore(pool: Pool): CaptureStore {
  return {
    insert: (c, keep) => inTx(pool, async (tx) => {
      // The flow row is locked in share mode: a delete waits, and a capture never outlives its flow.
      if ((await tx.query('SELECT 1 FROM flows WHERE id = $1 FOR SHARE', [c.flowId])).rowCount === 0) return false;
      await tx.query(`INSERT INTO captures (id, flow_id, received_at, method, query, headers, body, sig_ok, sig_reason, auth_kind, auth_preset, client, live)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [c.id, c.flowId, c.receivedAt, c.method, c.query, JSON.stringify(c.headers), c.body, c.signature.ok ? 1 : 0, c.signature.reason,
        c.signature.kind, c.signature.preset, c.client, c.live ? 1 : 0]);
      await tx.query('DELETE FROM captures WHERE flow_id = $1 AND id IN (SELECT id FROM captures WHERE flow_id = $1 ORDER BY id DESC OFFSET $2)', [c.flowId, keep]);
      return true;
    }),
    async list(flowId, limit, cursor) {
      const [rows, n] = await Promise.all([
        pool.query<DbRow>('SELECT * FROM captures WHERE flow_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3', [flowId, cursor ?? null, limit + 1]),
        pool.query<{ n: number }>('SELECT count(*) AS n FROM captures WHERE flow_id = $1', [flowId]),
      ]);
      const items = rows.rows.slice(0, limit).map(toRow);
      return { items, total: n.rows[0].n, nextCursor: rows.rows.length > limit ? items[items.length - 1].id : null };
    },
    async get(flowId, id) {
      const r = (await pool.query<DbRow>('SELECT * FROM captures WHERE flow_id = $1 AND id = $2', [flowId, id])).rows[0];
      return r && toRow(r);
    },
    async setWindow(flowId, until) {
      const r = await pool.query(`INSERT INTO capture_windows (flow_id, until) SELECT id, $2 FROM flows WHERE id = $1
        ON CONFLICT (flow_id) DO UPDATE SET until = excluded.until`, [flowId, until]);
      return (r.rowCount ?? 0) > 0;
    },
    async clearWindow(flowId) {
      await pool.query('DELETE FROM capture_windows WHERE flow_id = $1', [flowId]);
    },
    async openWindows(now) {
      return (await pool.query<{ flow_id: string; until: number }>('SELECT flow_id, until FROM capture_windows WHERE until > $1', [now]))
        .rows.map((r) => ({ flowId: r.flow_id, until: r.until }));
    },
  };
}
