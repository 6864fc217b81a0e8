/** AES-256-GCM sealing with associated data, and the data-directory key file (mode 0600, never silently replaced). */
import { createCipheriv, createDecipheriv, randomBytes, createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';

const VERSION = 'v1';

/** Encrypt `plain` bound to `aad` (e.g. the row id): `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function seal(key: Buffer, plain: string, aad: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return [VERSION, iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** Decrypt a sealed value; throws `Error('unreadable')` on a wrong key, tampering or a moved row. */
export function open(key: Buffer, sealed: string, aad: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== VERSION || !iv || !tag || ct === undefined) throw new Error('unreadable');
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  } catch {
    throw new Error('unreadable');
  }
}

/** A purpose-bound sub-key, so the encryption key and e.g. the session-signing key differ. */
export const deriveKey = (master: Buffer, purpose: string): Buffer =>
  createHash('sha256').update(master).update('\0hookflow:').update(purpose).digest();

/**
 * The master key: from `configured` (64 hex chars or base64 of 32 bytes) or the key file,
 * generated with mode 0600 on first start. A malformed configured or stored key is an error, never replaced.
 */
export function loadMasterKey(configured: string | undefined, keyFile: string): Buffer {
  if (configured !== undefined) return parseKey(configured, 'HOOKFLOW_SECRET_KEY');
  if (existsSync(keyFile)) return parseKey(readFileSync(keyFile, 'utf8').trim(), keyFile);
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(keyFile, 0o600);
  return key;
}

function parseKey(text: string, source: string): Buffer {
  const hex = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  const b64 = hex ?? Buffer.from(text, 'base64');
  if (b64.length !== 32) throw new Error(`${source}: expected 32 bytes as 64 hex characters or base64`);
  return b64;
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');
