/** PostgreSQL flow repository: the current document per flow and every saved version (twin of sqlite/flows.ts). */
import type { Flow, FlowInput } from '../../flows/flow-doc.js';
import { docOf, partsOf } from '../flow-json.js';
import { VersionConflict, type FlowStore, type FlowVersionInfo, type ListPage, type StoredFlow } from '../types.js';
import { inTx, type Pool } from './pool.js';

interface FlowRow {
  id: string; name: string; active: number; version: number; doc: string;
  token_hash: string; token_enc: string; created_at: number; updated_at: number; published_version: number | null;
}

const toFlow = (r: FlowRow): StoredFlow => {
  return {
    id: r.id, name: r.name, active: r.active === 1, version: r.version, publishedVersion: r.published_version ?? null, ...partsOf(r.doc),
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
    tokenHash: r.token_hash, tokenSealed: r.token_enc,
  };
};


export function createPgFlowStore(pool: Pool, now: () => number): FlowStore {
  const one = async (sql: string, args: unknown[]): Promise<StoredFlow | undefined> => {
    const r = await pool.query<FlowRow>(sql, args);
    return r.rows[0] && toFlow(r.rows[0]);
  };
  const get = (id: string) => one('SELECT * FROM flows WHERE id = $1', [id]);
  return {
    async create(id, input, token, meta = {}) {
      const t = now();
      const doc = docOf(input);
      const published = meta.publish || input.active ? 1 : null;
      // One statement: the flow and its first version commit together.
      const r = await pool.query<FlowRow>(
        `WITH f AS (INSERT INTO flows (id, name, active, version, doc, token_hash, token_enc, created_at, updated_at, published_version)
                    VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $7, $8) RETURNING *),
              v AS (INSERT INTO flow_versions (flow_id, version, doc, created_at, saved_by) SELECT id, 1, doc, created_at, $9 FROM f)
         SELECT * FROM f`,
        [id, input.name, input.active ? 1 : 0, doc, token.hash, token.sealed, t, published, meta.savedBy ?? null]);
      return toFlow(r.rows[0]);
    },
    async update(id, input, expectedVersion, meta = {}) {
      return inTx(pool, async (c) => {
        const cur = (await c.query<FlowRow>('SELECT * FROM flows WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!cur) return undefined;
        if (expectedVersion !== undefined && expectedVersion !== cur.version) throw new VersionConflict(id);
        const t = now();
        const doc = docOf(input);
        const active = input.active === undefined ? cur.active : input.active ? 1 : 0;
        // A save is a draft: the published version moves only when asked, or for an active flow never published yet.
        const publish = meta.publish || (active === 1 && cur.published_version === null);
        const r = await c.query<FlowRow>(
          `UPDATE flows SET name = $2, active = $3, version = version + 1, doc = $4, updated_at = $5,
             published_version = CASE WHEN $6 THEN version + 1 ELSE published_version END
           WHERE id = $1 RETURNING *`,
          [id, input.name, active, doc, t, publish]);
        await c.query('INSERT INTO flow_versions (flow_id, version, doc, created_at, saved_by) VALUES ($1, $2, $3, $4, $5)', [id, cur.version + 1, doc, t, meta.savedBy ?? null]);
        return toFlow(r.rows[0]);
      });
    },
    setActive: (id, active) => one(
      `UPDATE flows SET active = $2, updated_at = $3,
         published_version = CASE WHEN $2 = 1 THEN coalesce(published_version, version) ELSE published_version END
       WHERE id = $1 RETURNING *`, [id, active ? 1 : 0, now()]),
    publish: (id, version) => one(
      `UPDATE flows SET published_version = $2, updated_at = $3
       WHERE id = $1 AND EXISTS (SELECT 1 FROM flow_versions WHERE flow_id = $1 AND version = $2) RETURNING *`, [id, version, now()]),
    async listVersions(id): Promise<FlowVersionInfo[] | undefined> {
      const [f, v] = await Promise.all([
        pool.query('SELECT 1 FROM flows WHERE id = $1', [id]),
        pool.query<{ version: number; created_at: number; saved_by: string | null }>(
          'SELECT version, created_at, saved_by FROM flow_versions WHERE flow_id = $1 ORDER BY version DESC', [id]),
      ]);
      if (f.rowCount === 0) return undefined;
      return v.rows.map((x) => ({ version: x.version, savedAt: new Date(Number(x.created_at)).toISOString(), savedBy: x.saved_by }));
    },
    setToken: (id, token) => one('UPDATE flows SET token_hash = $2, token_enc = $3, updated_at = $4 WHERE id = $1 RETURNING *', [id, token.hash, token.sealed, now()]),
    get,
    async getVersion(id, version) {
      const r = await pool.query<FlowRow & { vdoc: string }>(
        'SELECT f.*, v.doc AS vdoc FROM flows f JOIN flow_versions v ON v.flow_id = f.id WHERE f.id = $1 AND v.version = $2', [id, version]);
      const row = r.rows[0];
      if (!row) return undefined;
      const { notes: _notes, settings: _settings, ...rest } = toFlow(row);
      return { ...rest, version, ...partsOf(row.vdoc) };
    },
    findByTokenHash: (hash) => one('SELECT * FROM flows WHERE token_hash = $1', [hash]),
    async list({ limit, cursor }): Promise<ListPage<StoredFlow>> {
      const [rows, count] = await Promise.all([
        pool.query<FlowRow>('SELECT * FROM flows WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2', [cursor ?? null, limit + 1]),
        pool.query<{ n: number }>('SELECT count(*) AS n FROM flows'),
      ]);
      const items = rows.rows.slice(0, limit).map(toFlow);
      return { items, total: count.rows[0].n, nextCursor: rows.rows.length > limit ? items[items.length - 1].id : null };
    },
    async delete(id) {
      return ((await pool.query('DELETE FROM flows WHERE id = $1', [id])).rowCount ?? 0) > 0;
    },
  };
}
