/** SQLite flow repository: the current document per flow and every saved version. */
import type { Db } from '../db.js';
import type { Flow, FlowInput } from '../../flows/flow-doc.js';
import { docOf, partsOf } from '../flow-json.js';
import { VersionConflict, type FlowStore, type FlowVersionInfo, type ListPage, type SaveMeta, type StoredFlow } from '../types.js';

export { VersionConflict };

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


export function createFlowStore(db: Db, now: () => number): FlowStore {
  const q = {
    get: db.prepare<[string], FlowRow>('SELECT * FROM flows WHERE id = ?'),
    byToken: db.prepare<[string], FlowRow>('SELECT * FROM flows WHERE token_hash = ?'),
    insert: db.prepare(
      `INSERT INTO flows (id, name, active, version, doc, token_hash, token_enc, created_at, updated_at, published_version)
       VALUES (@id, @name, @active, 1, @doc, @hash, @sealed, @now, @now, CASE WHEN @publish = 1 OR @active = 1 THEN 1 END)`),
    // A save is a draft: the published version moves only when asked, or for an active flow never published yet.
    update: db.prepare(
      `UPDATE flows SET name = @name, active = @active, version = version + 1, doc = @doc, updated_at = @now,
         published_version = CASE WHEN @publish = 1 OR (@active = 1 AND published_version IS NULL) THEN version + 1 ELSE published_version END
       WHERE id = @id`),
    version: db.prepare('INSERT INTO flow_versions (flow_id, version, doc, created_at, saved_by) VALUES (?, ?, ?, ?, ?)'),
    getVersion: db.prepare<[string, number], { doc: string }>('SELECT doc FROM flow_versions WHERE flow_id = ? AND version = ?'),
    setActive: db.prepare(
      `UPDATE flows SET active = @active, updated_at = @now,
         published_version = CASE WHEN @active = 1 THEN coalesce(published_version, version) ELSE published_version END
       WHERE id = @id`),
    publish: db.prepare(
      `UPDATE flows SET published_version = @version, updated_at = @now
       WHERE id = @id AND EXISTS (SELECT 1 FROM flow_versions WHERE flow_id = @id AND version = @version)`),
    versions: db.prepare<[string], { version: number; created_at: number; saved_by: string | null }>(
      'SELECT version, created_at, saved_by FROM flow_versions WHERE flow_id = ? ORDER BY version DESC'),
    setToken: db.prepare('UPDATE flows SET token_hash = ?, token_enc = ?, updated_at = ? WHERE id = ?'),
    del: db.prepare('DELETE FROM flows WHERE id = ?'),
    count: db.prepare('SELECT count(*) FROM flows').pluck(),
    page: db.prepare<[string, number], FlowRow>('SELECT * FROM flows WHERE id < ? ORDER BY id DESC LIMIT ?'),
  };
  const get = (id: string): StoredFlow | undefined => {
    const r = q.get.get(id);
    return r ? toFlow(r) : undefined;
  };
  const create = db.transaction((id: string, input: FlowInput, token: { hash: string; sealed: string }, meta: SaveMeta) => {
    const t = now();
    const doc = docOf(input);
    q.insert.run({ id, name: input.name, active: input.active ? 1 : 0, doc, hash: token.hash, sealed: token.sealed, now: t, publish: meta.publish ? 1 : 0 });
    q.version.run(id, 1, doc, t, meta.savedBy ?? null);
  });
  const update = db.transaction((id: string, input: FlowInput, expected: number | undefined, meta: SaveMeta): StoredFlow | undefined | 'conflict' => {
    const cur = q.get.get(id);
    if (!cur) return undefined;
    if (expected !== undefined && expected !== cur.version) return 'conflict';
    const t = now();
    const doc = docOf(input);
    const active = input.active === undefined ? cur.active : input.active ? 1 : 0;
    q.update.run({ id, name: input.name, active, doc, now: t, publish: meta.publish ? 1 : 0 });
    q.version.run(id, cur.version + 1, doc, t, meta.savedBy ?? null);
    return get(id);
  });
  return {
    async create(id, input, token, meta = {}) {
      create(id, input, token, meta);
      return get(id) as StoredFlow;
    },
    async update(id, input, expectedVersion, meta = {}) {
      const r = update(id, input, expectedVersion, meta);
      if (r === 'conflict') throw new VersionConflict(id);
      return r;
    },
    async setActive(id, active) {
      q.setActive.run({ active: active ? 1 : 0, now: now(), id });
      return get(id);
    },
    async publish(id, version) {
      return q.publish.run({ id, version, now: now() }).changes > 0 ? get(id) : undefined;
    },
    async listVersions(id): Promise<FlowVersionInfo[] | undefined> {
      if (!q.get.get(id)) return undefined;
      return q.versions.all(id).map((v) => ({ version: v.version, savedAt: new Date(v.created_at).toISOString(), savedBy: v.saved_by }));
    },
    async setToken(id, token) {
      q.setToken.run(token.hash, token.sealed, now(), id);
      return get(id);
    },
    get: async (id) => get(id),
    async getVersion(id, version) {
      const cur = get(id);
      const row = q.getVersion.get(id, version);
      if (!cur || !row) return undefined;
      const { notes: _notes, settings: _settings, ...rest } = cur;
      return { ...rest, version, ...partsOf(row.doc) };
    },
    async findByTokenHash(hash) {
      const r = q.byToken.get(hash);
      return r ? toFlow(r) : undefined;
    },
    async list({ limit, cursor }): Promise<ListPage<StoredFlow>> {
      const rows = q.page.all(cursor ?? '\uffff', limit + 1);
      const items = rows.slice(0, limit).map(toFlow);
      const nextCursor = rows.length > limit ? items[items.length - 1].id : null;
      return { items, total: q.count.get() as number, nextCursor };
    },
    async delete(id) {
      return q.del.run(id).changes > 0;
    },
  };
}
