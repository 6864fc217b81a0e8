// test/unit/credentials/credential-access.test.ts — CredentialReader errors (missing, type, unreadable: flipped byte, moved row), AuthSecrets mapping, cache invalidation.
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDb, migrate, type Db } from '../../../server/store/db.js';
import { createCredentialStore, type CredentialStore } from '../../../server/store/sqlite/credentials.js';
import { createCredentialAccess, toInboundSecrets } from '../../../server/credentials/credential-access.js';
import { createCredentialService } from '../../../server/credentials/credential-service.js';
import { NodeError } from '../../../nodes/contract.js';
import { createIds } from '../../../server/adapters/ids.js';

const dbs: Db[] = [];
afterEach(() => { for (const db of dbs.splice(0)) db.close(); });

function world() {
  const db = openDb(':memory:');
  migrate(db);
  dbs.push(db);
  const store: CredentialStore = createCredentialStore(db);
  const key = randomBytes(32);
  let now = 1_000_000;
  const clock = { now: () => now };
  const warnings: unknown[] = [];
  const log = { debug() {}, info() {}, error() {}, warn(o: object) { warnings.push(o); } };
  const access = createCredentialAccess({ store, key, clock, log, ttlMs: 1000 });
  const service = createCredentialService({ store, key, ids: createIds(), clock, invalidate: access.invalidate });
  return { db, store, access, service, warnings, advance: (ms: number) => { now += ms; } };
}

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(NodeError);
  expect((e as NodeError).retryable).toBe(false);
  return (e as NodeError).code;
};

/** Flips one bit of the ciphertext part of a sealed value (`v1.<iv>.<tag>.<ct>`). */
function flipCiphertext(sealed: string): string {
  const parts = sealed.split('.');
  const ct = Buffer.from(parts[3], 'base64url');
  ct[0] ^= 0x01;
  parts[3] = ct.toString('base64url');
  return parts.join('.');
}

describe('CredentialReader', () => {
  it('returns a copy of the decrypted data', async () => {
    const w = world();
    const c = await w.service.create({ name: 'mail', type: 'smtp', data: { host: 'h', port: 25, secure: false, pass: 'pw' } });
    const data = await w.access.reader.read(c.id, 'smtp');
    expect(data).toEqual({ host: 'h', port: 25, secure: false, pass: 'pw' });
    data.pass = 'changed';
    expect((await w.access.reader.read(c.id, 'smtp')).pass).toBe('pw');
  });

  it('fails permanently with credential_missing and credential_type', async () => {
    const w = world();
    const c = await w.service.create({ name: 'k', type: 'hmac', data: { secret: 's' } });
    expect(await codeOf(w.access.reader.read('cred_nope', 'hmac'))).toBe('credential_missing');
    expect(await codeOf(w.access.reader.read(c.id, 'smtp'))).toBe('credential_type');
  });

  it('fails with credential_unreadable after one flipped ciphertext byte, and logs which id', async () => {
    const w = world();
    const c = await w.service.create({ name: 'k', type: 'hmac', data: { secret: 's' } });
    const sealed = w.db.prepare('SELECT data_enc FROM credentials WHERE id = ?').pluck().get(c.id) as string;
    w.db.prepare('UPDATE credentials SET data_enc = ? WHERE id = ?').run(flipCiphertext(sealed), c.id);
    expect(await codeOf(w.access.reader.read(c.id, 'hmac'))).toBe('credential_unreadable');
    expect(await w.access.authSecrets.forCredential(c.id)).toBeUndefined();
    expect(w.warnings).toContainEqual({ credentialId: c.id });
  });

  it('fails with credential_unreadable when a sealed value is copied to another row (AAD)', async () => {
    const w = world();
    const a = await w.service.create({ name: 'a', type: 'hmac', data: { secret: 'secret-a' } });
    const b = await w.service.create({ name: 'b', type: 'hmac', data: { secret: 'secret-b' } });
    w.db.prepare('UPDATE credentials SET data_enc = (SELECT data_enc FROM credentials WHERE id = ?) WHERE id = ?').run(a.id, b.id);
    expect(await codeOf(w.access.reader.read(b.id, 'hmac'))).toBe('credential_unreadable');
    expect(await w.access.reader.read(a.id, 'hmac')).toEqual({ secret: 'secret-a' });
  });

  it('fails with credential_unreadable when the stored type is relabelled', async () => {
    const w = world();
    const c = await w.service.create({ name: 'k', type: 'hmac', data: { secret: 's' } });
    w.db.prepare("UPDATE credentials SET type = 'header' WHERE id = ?").run(c.id);
    expect(await codeOf(w.access.reader.read(c.id, 'header'))).toBe('credential_unreadable');
  });
});

describe('AuthSecrets', () => {
  it('maps each type to what the verifier needs', () => {
    expect(toInboundSecrets('hmac', { secret: 'new\nold' })).toEqual({ hmac: ['new', 'old'] });
    expect(toInboundSecrets('standard-webhooks', { secret: 'whsec_x' })).toEqual({ hmac: ['whsec_x'] });
    expect(toInboundSecrets('basic', { username: 'u', password: 'p' })).toEqual({ basic: { username: 'u', password: 'p' } });
    expect(toInboundSecrets('header', { name: 'x-k', value: 'v' })).toEqual({ header: { name: 'x-k', value: 'v' } });
    expect(toInboundSecrets('smtp', { host: 'h' })).toBeUndefined();
  });

  it('sees a rotation and a delete at once, and a direct store change only after the cache time', async () => {
    const w = world();
    const c = await w.service.create({ name: 'k', type: 'hmac', data: { secret: 'old\nnew' } });
    expect(await w.access.authSecrets.forCredential(c.id)).toEqual({ hmac: ['old', 'new'] });
    await w.service.update(c.id, { data: { secret: 'new' } });
    expect(await w.access.authSecrets.forCredential(c.id)).toEqual({ hmac: ['new'] });
    w.db.prepare("UPDATE credentials SET data_enc = 'v1.x.y.z' WHERE id = ?").run(c.id);
    expect(await w.access.authSecrets.forCredential(c.id)).toEqual({ hmac: ['new'] });
    w.advance(1001);
    expect(await w.access.authSecrets.forCredential(c.id)).toBeUndefined();
    const d = await w.service.create({ name: 'd', type: 'header', data: { name: 'x-k', value: 'v' } });
    expect(await w.access.authSecrets.forCredential(d.id)).toBeDefined();
    await w.service.remove(d.id);
    expect(await w.access.authSecrets.forCredential(d.id)).toBeUndefined();
  });
});
