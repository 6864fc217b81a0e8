/** Sealing of credential data: AES-256-GCM under the credentials sub-key, bound to the row id and type (AAD). */
import { seal, open } from '../secrets/crypto.js';

/** Associated data of a credential: moving a sealed value to another row, or relabelling its type, breaks it. */
export const credentialAad = (id: string, type: string): string => `credential:${id}:${type}`;

export const sealData = (key: Buffer, id: string, type: string, data: Record<string, unknown>): string =>
  seal(key, JSON.stringify(data), credentialAad(id, type));

export type Opened = { ok: true; data: Record<string, unknown> } | { ok: false };

/** Decrypts a row's data; `{ ok: false }` on a wrong key, a flipped byte, a moved or relabelled row. */
export function openData(key: Buffer, row: { id: string; type: string; sealed: string }): Opened {
  let plain: string;
  try {
    plain = open(key, row.sealed, credentialAad(row.id, row.type));
  } catch (e) {
    if (e instanceof Error && e.message === 'unreadable') return { ok: false };
    throw e;
  }
  const data: unknown = JSON.parse(plain);
  return data !== null && typeof data === 'object' && !Array.isArray(data)
    ? { ok: true, data: data as Record<string, unknown> } : { ok: false };
}
