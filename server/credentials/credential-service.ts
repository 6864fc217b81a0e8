/** Credentials for the API: create, list, get, rotate, delete. Secret values go in and never come back out. */
import type { Clock } from '../../nodes/contract.js';
import type { Ids } from '../adapters/ids.js';
import { ApiError, notFound } from '../http/errors.js';
import type { CredentialRow, CredentialStore, ListPage } from '../store/types.js';
import { CREDENTIAL_TYPES, checkCredentialData, isCredentialType, type FieldProblem } from './credential-types.js';
import { usesCredential } from './flow-refs.js';
import { sealData } from './vault.js';

/** What the API shows of a credential: never a value, only which data fields are set. */
export interface CredentialView {
  id: string;
  name: string;
  type: string;
  createdAt: string;
  updatedAt: string;
  fields: string[];
}

export interface CredentialServiceDeps {
  store: CredentialStore;
  /** The credentials sub-key (`deriveKey(master, 'credentials')`). */
  key: Buffer;
  ids: Ids;
  clock: Clock;
  /** Called after a rotation or delete, so cached decrypted data is dropped. */
  invalidate(id: string): void;
}

const view = (r: CredentialRow): CredentialView => ({
  id: r.id, name: r.name, type: r.type,
  createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString(), fields: [...r.fields],
});

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const invalid = (problems: FieldProblem[]): ApiError =>
  new ApiError(400, 'invalid_credential', `${problems[0].field}: ${problems[0].message}`, problems);

const checkName = (v: unknown): FieldProblem[] =>
  typeof v === 'string' && v.trim() !== '' && v.length <= 200 ? [] : [{ field: 'name', message: 'must be a non-empty string of at most 200 characters' }];

export function createCredentialService(d: CredentialServiceDeps) {
  const must = async (id: string): Promise<CredentialRow> => {
    const row = await d.store.get(id);
    if (!row) throw notFound('credential');
    return row;
  };
  return {
    async create(body: unknown): Promise<CredentialView> {
      if (!isObject(body)) throw invalid([{ field: 'body', message: 'must be an object {name, type, data}' }]);
      const problems = checkName(body.name);
      if (!isCredentialType(body.type)) {
        throw invalid([...problems, { field: 'type', message: `must be one of ${CREDENTIAL_TYPES.join(', ')}` }]);
      }
      const checked = checkCredentialData(body.type, body.data);
      if (problems.length > 0 || !checked.data) throw invalid([...problems, ...checked.problems]);
      const id = d.ids.next('cred');
      const now = d.clock.now();
      const row: CredentialRow = {
        id, name: (body.name as string).trim(), type: body.type, fields: Object.keys(checked.data),
        sealed: sealData(d.key, id, body.type, checked.data), createdAt: now, updatedAt: now,
      };
      await d.store.insert(row);
      return view(row);
    },

    async list(limit: number, cursor?: string): Promise<ListPage<CredentialView>> {
      const page = await d.store.list({ limit, cursor });
      return { ...page, items: page.items.map(view) };
    },

    get: async (id: string): Promise<CredentialView> => view(await must(id)),

    /** Renames and/or replaces the data (rotation). The type never changes. */
    async update(id: string, body: unknown): Promise<CredentialView> {
      const row = await must(id);
      if (!isObject(body)) throw invalid([{ field: 'body', message: 'must be an object {name?, data?}' }]);
      if (body.type !== undefined && body.type !== row.type) {
        throw invalid([{ field: 'type', message: `cannot change (this is a ${row.type} credential); create a new credential instead` }]);
      }
      if (body.name === undefined && body.data === undefined) throw invalid([{ field: 'body', message: 'give name and/or data' }]);
      const problems = body.name === undefined ? [] : checkName(body.name);
      const type = row.type;
      if (!isCredentialType(type)) throw new Error(`credential ${id} has an unknown stored type`);
      const checked = body.data === undefined ? undefined : checkCredentialData(type, body.data);
      if (problems.length > 0 || (checked && !checked.data)) throw invalid([...problems, ...(checked?.problems ?? [])]);
      const name = typeof body.name === 'string' ? body.name.trim() : row.name;
      const fields = checked?.data ? Object.keys(checked.data) : row.fields;
      const sealed = checked?.data ? sealData(d.key, id, row.type, checked.data) : row.sealed;
      const now = d.clock.now();
      if (!(await d.store.update(id, { name, fields, sealed }, now))) throw notFound('credential');
      d.invalidate(id);
      return view({ ...row, name, fields, sealed, updatedAt: now });
    },

    /** Deletes unless a flow's current version names it: then 409 naming those flows. */
    async remove(id: string): Promise<void> {
      const r = await d.store.deleteUnlessUsed(id, (nodes) => usesCredential(nodes, id));
      if (!r.found) throw notFound('credential');
      if (r.usedBy.length > 0) {
        const names = r.usedBy.map((f) => `"${f.name}" (${f.id})`).join(', ');
        throw new ApiError(409, 'credential_in_use', `credential ${id} is used by ${r.usedBy.length === 1 ? 'flow' : 'flows'} ${names}; remove it from them first`, { flows: r.usedBy });
      }
      d.invalidate(id);
    },
  };
}
export type CredentialService = ReturnType<typeof createCredentialService>;
