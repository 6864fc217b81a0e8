/** Start-up key check: the master key must open the data directory's sealed check value; old data never gets a fresh key. */
import { existsSync } from 'node:fs';
import { deriveKey, loadMasterKey, open, seal } from '../secrets/crypto.js';
import type { CredentialStore } from '../store/types.js';

const CHECK_PLAIN = 'hookflow key check v1';
const CHECK_AAD = 'secret-key-check';
/** The first words of every wrong-key error; operators and tests look for them. */
export const KEY_MISMATCH = 'HOOKFLOW_SECRET_KEY does not match the key this data directory was created with';

export class KeyMismatch extends Error {
  constructor(detail: string) {
    super(`${KEY_MISMATCH}: ${detail}. Start with the original key (a new key is never generated for existing data)`);
    this.name = 'KeyMismatch';
  }
}

/** The plaintext of a sealed value, or undefined when this key cannot open it. */
const tryOpen = (key: Buffer, sealed: string, aad: string): string | undefined => {
  try {
    return open(key, sealed, aad);
  } catch (e) {
    if (e instanceof Error && e.message === 'unreadable') return undefined;
    throw e;
  }
};
const opensCheck = (key: Buffer, sealed: string): boolean => tryOpen(key, sealed, CHECK_AAD) === CHECK_PLAIN;

/**
 * Loads the master key (HOOKFLOW_SECRET_KEY, else the key file, generated only for a data directory without
 * sealed data) and proves it against the stored check value, writing that value on the first start.
 * A data directory from before the check value is proved against one sealed webhook token instead.
 */
export async function loadVerifiedMasterKey(store: CredentialStore, configured: string | undefined, keyFile: string, now: number): Promise<Buffer> {
  const check = await store.keyCheck();
  const legacy = check === undefined ? await store.anyFlowToken() : undefined;
  if (configured === undefined && !existsSync(keyFile) && (check !== undefined || legacy !== undefined)) {
    throw new KeyMismatch(`the variable is not set and ${keyFile} is missing, but this data directory holds sealed data`);
  }
  const source = configured !== undefined ? 'the key given in HOOKFLOW_SECRET_KEY' : `the key in ${keyFile}`;
  const master = loadMasterKey(configured, keyFile);
  const key = deriveKey(master, 'key-check');
  if (check !== undefined) {
    if (!opensCheck(key, check)) throw new KeyMismatch(`${source} cannot open its check value`);
    return master;
  }
  if (legacy !== undefined && tryOpen(deriveKey(master, 'webhook-token'), legacy.sealed, `webhook-token:${legacy.flowId}`) === undefined) {
    throw new KeyMismatch(`${source} cannot open the stored webhook tokens`);
  }
  const stored = await store.initKeyCheck(seal(key, CHECK_PLAIN, CHECK_AAD), now);
  // Another process starting on the same directory with another key may have written first.
  if (!opensCheck(key, stored)) throw new KeyMismatch(`${source} cannot open its check value`);
  return master;
}
