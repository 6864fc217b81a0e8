// test/unit/credentials/key-check.test.ts — A-8: the master key is proved against a sealed check value; a wrong or missing key stops start-up, never a fresh key.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDb, migrate, type Db } from '../../../server/store/db.js';
import { createCredentialStore } from '../../../server/store/sqlite/credentials.js';
import { KEY_MISMATCH, loadVerifiedMasterKey } from '../../../server/credentials/key-check.js';
import { deriveKey, seal } from '../../../server/secrets/crypto.js';

const KEY_A = randomBytes(32).toString('hex');
const KEY_B = randomBytes(32).toString('hex');
const opened: Array<{ db: Db; dir: string }> = [];

function world() {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-keycheck-'));
  const db = openDb(join(dir, 'hookflow.db'));
  migrate(db);
  opened.push({ db, dir });
  return { dir, db, store: createCredentialStore(db), keyFile: join(dir, 'secret.key') };
}

afterEach(() => {
  for (const { db, dir } of opened.splice(0)) { db.close(); rmSync(dir, { recursive: true, force: true }); }
});

describe('loadVerifiedMasterKey', () => {
  it('generates a 0600 key file on a fresh directory, writes the check, and accepts the same key again', async () => {
    const w = world();
    const first = await loadVerifiedMasterKey(w.store, undefined, w.keyFile, 1);
    expect(statSync(w.keyFile).mode & 0o777).toBe(0o600);
    expect(await w.store.keyCheck()).toMatch(/^v1\./);
    expect((await loadVerifiedMasterKey(w.store, undefined, w.keyFile, 2)).equals(first)).toBe(true);
  });

  it('refuses a different HOOKFLOW_SECRET_KEY with the clear message', async () => {
    const w = world();
    await loadVerifiedMasterKey(w.store, KEY_A, w.keyFile, 1);
    expect(existsSync(w.keyFile)).toBe(false);
    await expect(loadVerifiedMasterKey(w.store, KEY_B, w.keyFile, 2)).rejects.toThrow(KEY_MISMATCH);
    await expect(loadVerifiedMasterKey(w.store, KEY_A, w.keyFile, 3)).resolves.toBeInstanceOf(Buffer);
  });

  it('refuses to generate a key when the variable is unset but the directory holds sealed data', async () => {
    const w = world();
    await loadVerifiedMasterKey(w.store, KEY_A, w.keyFile, 1);
    await expect(loadVerifiedMasterKey(w.store, undefined, w.keyFile, 2)).rejects.toThrow(/is not set and .*secret\.key is missing/);
    expect(existsSync(w.keyFile)).toBe(false);
  });

  it('refuses a key file that is not the key the data was sealed with', async () => {
    const w = world();
    await loadVerifiedMasterKey(w.store, KEY_A, w.keyFile, 1);
    writeFileSync(w.keyFile, `${KEY_B}\n`, { mode: 0o600 });
    await expect(loadVerifiedMasterKey(w.store, undefined, w.keyFile, 2)).rejects.toThrow(KEY_MISMATCH);
  });

  it('proves the key against a webhook token when the directory predates the check value', async () => {
    const w = world();
    const sealed = seal(deriveKey(Buffer.from(KEY_A, 'hex'), 'webhook-token'), 'tok', 'webhook-token:flw_1');
    w.db.prepare(`INSERT INTO flows (id, name, active, version, doc, token_hash, token_enc, created_at, updated_at)
      VALUES ('flw_1', 'f', 0, 1, '{"nodes":[],"edges":[]}', 'h', ?, 0, 0)`).run(sealed);
    await expect(loadVerifiedMasterKey(w.store, KEY_B, w.keyFile, 1)).rejects.toThrow(KEY_MISMATCH);
    expect(await w.store.keyCheck()).toBeUndefined();
    await loadVerifiedMasterKey(w.store, KEY_A, w.keyFile, 2);
    expect(await w.store.keyCheck()).toBeDefined();
  });
});
