/** PostgreSQL credential repository: sealed rows, a delete that refuses while a flow uses the row, the key check value. */
import type { FlowNodeDoc } from '../../flows/flow-doc.js';
import type { CredentialRow, CredentialStore } from '../types.js';
import { inTx, type Pool } from './pool.js';

interface Row {
  id: string; name: string; type: string; fields: string; data_enc: string; created_at: number; updated_at: number;
}

const toRow = (r: Row): CredentialRow => ({
  id: r.id, name: r.name, type: r.type, fields: JSON.parse(r.fields) as string[], sealed: r.data_enc,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

export function createPgCredentialStore(pool: Pool): CredentialStore {
  return {
    async insert(row) {
      await pool.query(`INSERT INTO credentials (id, name, type, fields, data_enc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.id, row.name, row.type, JSON.stringify(row.fields), row.sealed, row.createdAt, row.updatedAt]);
    },
    async update(id, patch, now) {
      const r = await pool.query('UPDATE credentials SET name = $1, fields = $2, data_enc = $3, updated_at = $4 WHERE id = $5',
        [patch.name, JSON.stringify(patch.fields), patch.sealed, now, id]);
      return (r.rowCount ?? 0) > 0;
    },
    async get(id) {
      const r = (await pool.query<Row>('SELECT * FROM credentials WHERE id = $1', [id])).rows[0];
      return r && toRow(r);
    },
    async list({ limit, cursor }) {
      const [rows, n] = await Promise.all([
        pool.query<Row>('SELECT * FROM credentials WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2', [cursor ?? null, limit + 1]),
        pool.query<{ n: number }>('SELECT count(*) AS n FROM credentials'),
      ]);
      const items = rows.rows.slice(0, limit).map(toRow);
      return { items, total: n.rows[0].n, nextCursor: rows.rows.length > limit ? items[items.length - 1].id : null };
    },
    deleteUnlessUsed: (id, uses) => inTx(pool, async (c) => {
      // The row lock keeps a concurrent save from adding a use between the check and the delete… of this row;
      // flows are locked in share mode so a flow saved meanwhile waits for this decision.
      if ((await c.query('SELECT 1 FROM credentials WHERE id = $1 FOR UPDATE', [id])).rowCount === 0) return { found: false, usedBy: [] };
      const flows = await c.query<{ id: string; name: string; doc: string }>(
        'SELECT id, name, doc FROM flows WHERE strpos(doc, $1) > 0 ORDER BY name FOR SHARE', [id]);
      const usedBy = flows.rows.filter((f) => uses((JSON.parse(f.doc) as { nodes: FlowNodeDoc[] }).nodes)).map((f) => ({ id: f.id, name: f.name }));
      if (usedBy.length === 0) await c.query('DELETE FROM credentials WHERE id = $1', [id]);
      return { found: true, usedBy };
    }),
    async keyCheck() {
      return (await pool.query<{ sealed: string }>('SELECT sealed FROM secret_key_check WHERE id = 1')).rows[0]?.sealed;
    },
    async initKeyCheck(sealed, now) {
      await pool.query('INSERT INTO secret_key_check (id, sealed, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING', [sealed, now]);
      return (await pool.query<{ sealed: string }>('SELECT sealed FROM secret_key_check WHERE id = 1')).rows[0].sealed;
    },
    async anyFlowToken() {
      const r = (await pool.query<{ id: string; token_enc: string }>('SELECT id, token_enc FROM flows LIMIT 1')).rows[0];
      return r ? { flowId: r.id, sealed: r.token_enc } : undefined;
    },
  };
}
