/** Capture windows and captured deliveries ("listen for a real event"): prepared statements over one connection. */
import type { Db } from '../db.js';
import type { CaptureRow, ListPage } from '../types.js';

export type { CaptureRow };

export interface CaptureRepo {
  /** Stores a capture and prunes the flow's oldest beyond `keep`, in one transaction. False if the flow is gone. */
  insert(c: CaptureRow, keep: number): boolean;
  /** Newest first; cursor = the last id seen. */
  list(flowId: string, limit: number, cursor?: string): ListPage<CaptureRow>;
  get(flowId: string, id: string): CaptureRow | undefined;
  /** Opens (or moves) a flow's window; false if the flow is gone. */
  setWindow(flowId: string, until: number): boolean;
  clearWindow(flowId: string): void;
  /** Every window still open at `now`. */
  openWindows(now: number): Array<{ flowId: string; until: number }>;
}

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

function statements(db: Db) {
  return {
    flowExists: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM flows WHERE id = ?'),
    insert: db.prepare(`INSERT INTO captures (id, flow_id, received_at, method, query, headers, body, sig_ok, sig_reason,
        auth_kind, auth_preset, client, live)
      VALUES (@id, @flowId, @receivedAt, @method, @query, @headers, @body, @sigOk, @sigReason, @kind, @preset, @client, @live)`),
    prune: db.prepare<[string, string, number]>(
      'DELETE FROM captures WHERE flow_id = ? AND id IN (SELECT id FROM captures WHERE flow_id = ? ORDER BY id DESC LIMIT -1 OFFSET ?)'),
    page: db.prepare<[string, string, number], DbRow>('SELECT * FROM captures WHERE flow_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
    total: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM captures WHERE flow_id = ?'),
    get: db.prepare<[string, string], DbRow>('SELECT * FROM captures WHERE flow_id = ? AND id = ?'),
    setWindow: db.prepare<[string, number]>(
      'INSERT INTO capture_windows (flow_id, until) VALUES (?, ?) ON CONFLICT (flow_id) DO UPDATE SET until = excluded.until'),
    clearWindow: db.prepare<[string]>('DELETE FROM capture_windows WHERE flow_id = ?'),
    open: db.prepare<[number], { flow_id: string; until: number }>('SELECT flow_id, until FROM capture_windows WHERE until > ?'),
  };
}

export function createCaptureRepo(db: Db): CaptureRepo {
  const s = statements(db);
  const insert = db.transaction((c: CaptureRow, keep: number): boolean => {
    if (s.flowExists.get(c.flowId) === undefined) return false;
    s.insert.run({
      id: c.id, flowId: c.flowId, receivedAt: c.receivedAt, method: c.method, query: c.query, headers: JSON.stringify(c.headers),
      body: c.body, sigOk: c.signature.ok ? 1 : 0, sigReason: c.signature.reason, kind: c.signature.kind,
      preset: c.signature.preset, client: c.client, live: c.live ? 1 : 0,
    });
    s.prune.run(c.flowId, c.flowId, keep);
    return true;
  });
  const setWindow = db.transaction((flowId: string, until: number): boolean => {
    if (s.flowExists.get(flowId) === undefined) return false;
    s.setWindow.run(flowId, until);
    return true;
  });
  return {
    insert: (c, keep) => insert.immediate(c, keep),
    list(flowId, limit, cursor) {
      const rows = s.page.all(flowId, cursor ?? '\uffff', limit + 1);
      const items = rows.slice(0, limit).map(toRow);
      const total = (s.total.get(flowId) as { n: number }).n;
      return { items, total, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
    },
    get(flowId, id) {
      const r = s.get.get(flowId, id);
      return r && toRow(r);
    },
    setWindow: (flowId, until) => setWindow.immediate(flowId, until),
    clearWindow(flowId) {
      s.clearWindow.run(flowId);
    },
    openWindows: (now) => s.open.all(now).map((r) => ({ flowId: r.flow_id, until: r.until })),
  };
}
