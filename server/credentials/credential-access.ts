/** Decrypted credential access for nodes (CredentialReader) and ingress (AuthSecrets), through a short in-memory cache. */
import { permanent, type Clock, type CredentialReader, type Logger } from '../../nodes/contract.js';
import type { AuthSecrets } from '../ingress/inbound-auth.js';
import type { InboundSecrets } from '../ingress/signature.js';
import type { CredentialStore } from '../store/types.js';
import { openData } from './vault.js';

export interface CredentialAccessDeps {
  store: CredentialStore;
  /** The credentials sub-key (`deriveKey(master, 'credentials')`). */
  key: Buffer;
  clock: Clock;
  log: Logger;
  /** How long decrypted data is reused; rotation and deletion invalidate at once. @default 30000 */
  ttlMs?: number;
  /** @default 1000 */
  maxEntries?: number;
}

export interface CredentialAccess {
  reader: CredentialReader;
  authSecrets: AuthSecrets;
  /** The secret strings a credential holds (each line of a multi-line one too), for scrubbing; empty when unreadable. */
  secretValues(id: string): Promise<string[]>;
  /** Forget a credential's decrypted data (after rotate or delete). */
  invalidate(id: string): void;
  /** Forget every credential's decrypted data (a cluster's messages may have been missed). */
  invalidateAll(): void;
}

type Loaded = { kind: 'ok'; type: string; data: Record<string, unknown> } | { kind: 'missing' } | { kind: 'unreadable'; type: string };

/** The secrets a webhook verifier needs from a credential; undefined for types that cannot authenticate a request. */
export function toInboundSecrets(type: string, data: Record<string, unknown>): InboundSecrets | undefined {
  const str = (k: string): string => (typeof data[k] === 'string' ? (data[k] as string) : '');
  switch (type) {
    case 'hmac': return { hmac: str('secret').split('\n').filter((s) => s !== '') };
    case 'standard-webhooks': return { hmac: [str('secret')] };
    case 'basic': return { basic: { username: str('username'), password: str('password') } };
    case 'header': return { header: { name: str('name'), value: str('value') } };
    default: return undefined;
  }
}

export function createCredentialAccess(d: CredentialAccessDeps): CredentialAccess {
  const ttl = d.ttlMs ?? 30_000;
  const max = d.maxEntries ?? 1000;
  const cache = new Map<string, { type: string; data: Record<string, unknown>; until: number }>();

  const load = async (id: string): Promise<Loaded> => {
    const hit = cache.get(id);
    if (hit && hit.until > d.clock.now()) return { kind: 'ok', type: hit.type, data: hit.data };
    cache.delete(id);
    const row = await d.store.get(id);
    if (!row) return { kind: 'missing' };
    const opened = openData(d.key, row);
    if (!opened.ok) {
      d.log.warn({ credentialId: id }, 'credential cannot be decrypted: altered data, a moved row, or another HOOKFLOW_SECRET_KEY');
      return { kind: 'unreadable', type: row.type };
    }
    if (cache.size >= max) cache.clear();
    cache.set(id, { type: row.type, data: opened.data, until: d.clock.now() + ttl });
    return { kind: 'ok', type: row.type, data: opened.data };
  };

  const reader: CredentialReader = {
    async read(credentialId, type) {
      const shown = JSON.stringify(String(credentialId).slice(0, 100));
      const got = await load(credentialId);
      if (got.kind === 'missing') throw permanent('credential_missing', `credential ${shown} does not exist`);
      if (got.type !== type) throw permanent('credential_type', `credential ${shown} is of type ${got.type}, not ${type}`);
      if (got.kind === 'unreadable') {
        throw permanent('credential_unreadable', `credential ${shown} cannot be decrypted (altered data or another HOOKFLOW_SECRET_KEY)`);
      }
      // A copy: a node must not change what the next reader gets.
      return structuredClone(got.data);
    },
  };

  const authSecrets: AuthSecrets = {
    async forCredential(credentialId) {
      const got = await load(credentialId);
      return got.kind === 'ok' ? toInboundSecrets(got.type, got.data) : undefined;
    },
  };

  const secretValues = async (id: string): Promise<string[]> => {
    const got = await load(id);
    if (got.kind !== 'ok') return [];
    const out: string[] = [];
    // Where to connect and what a header is called are not secrets (and scrubbing them would blank ordinary text).
    for (const [k, v] of Object.entries(got.data)) if (typeof v === 'string' && !['host', 'name', 'secure', 'port'].includes(k)) out.push(v, ...v.split(/\r?\n/).map((x) => x.trim()).filter(Boolean));
    return out;
  };

  return { reader, authSecrets, secretValues, invalidate: (id) => { cache.delete(id); }, invalidateAll: () => { cache.clear(); } };
}
