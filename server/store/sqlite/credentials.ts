/** SQLite credential repository: sealed rows, a delete that refuses while a flow uses the row, the key check value. */
import type { Db } from '../db.js';
import type { CredentialRow, CredentialStore } from '../types.js';

export type { CredentialRow, CredentialStore, FlowRef } from '../types.js';
import type { FlowNodeDoc } from '../../flows/flow-doc.js';

interface Row {
  id: string; name: string; type: string; fields: string; data_enc: string; created_at: number; updated_at: number;
}

const toRow = (r: Row): CredentialRow => ({
  id: r.id, name: r.name, type: r.type, fields: JSON.parse(r.fields) as string[], sealed: r.data_enc,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

export function createCredentialStore(db: Db): CredentialStore {
  const q = {
    insert: db.prepare(`INSERT INTO credentials (id, name, type, fields, data_enc, created_at, updated_at)
      VALUES (@id, @name, @type, @fields, @sealed, @createdAt, @updatedAt)`),
    update: db.prepare('UPDATE credentials SET name = ?, fields = ?, data_enc = ?, updated_at = ? WHERE id = ?'),
    get: db.prepare<[string], Row>('SELECT * FROM credentials WHERE id = ?'),
    page: db.prepare<[string, number], Row>('SELECT * FROM credentials WHERE id < ? ORDER BY id DESC LIMIT ?'),
    count: db.prepare('SELECT count(*) FROM credentials').pluck(),
    del: db.prepare('DELETE FROM credentials WHERE id = ?'),
    // instr() narrows the scan to documents that mention the id; the caller's predicate decides.
    flowsMentioning: db.prepare<[string], { id: string; name: string; doc: string }>(
      'SELECT id, name, doc FROM flows WHERE instr(doc, ?) > 0 ORDER BY name'),
    keyCheck: db.prepare('SELECT sealed FROM secret_key_check WHERE id = 1').pluck(),
    initKeyCheck: db.prepare('INSERT OR IGNORE INTO secret_key_check (id, sealed, created_at) VALUES (1, ?, ?)'),
    anyToken: db.prepare<[], { id: string; token_enc: string }>('SELECT id, token_enc FROM flows LIMIT 1'),
  };
  const deleteUnlessUsed = db.transaction((id: string, uses: (nodes: FlowNodeDoc[]) => boolean) => {
    if (q.get.get(id) === undefined) return { found: false, usedBy: [] };
    const usedBy = q.flowsMentioning.all(id)
      .filter((f) => uses((JSON.parse(f.doc) as { nodes: FlowNodeDoc[] }).nodes))
      .map((f) => ({ id: f.id, name: f.name }));
    if (usedBy.length === 0) q.del.run(id);
    return { found: true, usedBy };
  });
  return {
    async insert(row) {
      q.insert.run({ ...row, fields: JSON.stringify(row.fields) });
    },
    async update(id, patch, now) {
      return q.update.run(patch.name, JSON.stringify(patch.fields), patch.sealed, now, id).changes > 0;
    },
    async get(id) {
      const r = q.get.get(id);
      return r ? toRow(r) : undefined;
    },
    async list({ limit, cursor }) {
      const rows = q.page.all(cursor ?? '\uffff', limit + 1);
      const items = rows.slice(0, limit).map(toRow);
      const nextCursor = rows.length > limit ? items[items.length - 1].id : null;
      return { items, total: q.count.get() as number, nextCursor };
    },
    deleteUnlessUsed: async (id, uses) => deleteUnlessUsed(id, uses),
    async keyCheck() {
      return q.keyCheck.get() as string | undefined;
    },
    async initKeyCheck(sealed, now) {
      q.initKeyCheck.run(sealed, now);
      return q.keyCheck.get() as string;
    },
    async anyFlowToken() {
      const r = q.anyToken.get();
      return r ? { flowId: r.id, sealed: r.token_enc } : undefined;
    },
  };
}
