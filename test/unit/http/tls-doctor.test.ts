/** `hookflow doctor`'s TLS check on real openssl-made certificates: valid, close to expiry, expired, mismatched, not configured. */
import { afterAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/config.js';
import { checkTls } from '../../../server/cli/doctor-checks.js';
import { makeCert } from '../../helpers/tls-certs.js';

const dir = mkdtempSync(join(tmpdir(), 'hookflow-tls-doctor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const a = makeCert(dir, 'a');
const b = makeCert(dir, 'b');
const cfg = (cert?: string, key?: string) => loadConfig({ HOOKFLOW_DATA_DIR: dir, ...(cert && key ? { HOOKFLOW_TLS_CERT: cert, HOOKFLOW_TLS_KEY: key } : {}) });
const DAY = 86_400_000;

describe('checkTls', () => {
  it('is skipped when HOOKFLOW_TLS_CERT is not set', () => {
    expect(checkTls(cfg())).toBeUndefined();
  });

  it('passes a matching pair with time left, warns inside 14 days, fails once expired', () => {
    const validTo = Date.parse(new X509Certificate(a.pem).validTo);
    expect(checkTls(cfg(a.cert, a.key), validTo - 30 * DAY)).toMatchObject({ level: 'ok' });
    expect(checkTls(cfg(a.cert, a.key), validTo - 3 * DAY - 1000)).toMatchObject({ level: 'warn', detail: expect.stringMatching(/^3 day\(s\) left: CN=localhost/) });
    expect(checkTls(cfg(a.cert, a.key), validTo + 1000)).toMatchObject({ level: 'fail', detail: expect.stringMatching(/^expired/) });
  });

  it('fails a key that does not belong to the certificate, naming the variable', () => {
    const r = checkTls(cfg(a.cert, b.key));
    expect(r?.level).toBe('fail');
    expect(r?.detail).toMatch(/HOOKFLOW_TLS_KEY|HOOKFLOW_TLS_CERT/);
  });
});
