import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import { ConfigError } from '../../../server/config.js';
import { createTlsReloader, loadTlsPair } from '../../../server/http/tls.js';
import { makeCert, type TestCert } from '../../helpers/tls-certs.js';

let dir: string;
let a: TestCert;
let b: TestCert;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hookflow-tls-unit-'));
  a = makeCert(dir, 'a');
  b = makeCert(dir, 'b');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadTlsPair', () => {
  it('loads a matching pair and reports the leaf certificate', () => {
    const pair = loadTlsPair({ cert: a.cert, key: a.key });
    expect(pair.fingerprint256).toBe(a.fingerprint256);
    expect(pair.subject).toContain('CN=localhost');
    expect(Date.parse(pair.validTo)).toBeGreaterThan(Date.now());
  });

  it.each([
    ['a missing certificate', () => ({ cert: join(dir, 'nope.crt'), key: a.key }), /^HOOKFLOW_TLS_CERT: cannot read .*nope\.crt \(ENOENT\)$/],
    ['a missing key', () => ({ cert: a.cert, key: join(dir, 'nope.key') }), /^HOOKFLOW_TLS_KEY: cannot read .*nope\.key \(ENOENT\)$/],
    ['a directory as the key', () => ({ cert: a.cert, key: dir }), /^HOOKFLOW_TLS_KEY: cannot read .* \(EISDIR\)$/],
    ['a key given as the certificate', () => ({ cert: a.key, key: a.key }), /^HOOKFLOW_TLS_CERT: .*a\.key is not a PEM certificate$/],
    ['a certificate given as the key', () => ({ cert: a.cert, key: a.cert }), /^HOOKFLOW_TLS_KEY: .*a\.crt is not an unencrypted PEM private key$/],
    ['the key of another certificate', () => ({ cert: a.cert, key: b.key }), /^HOOKFLOW_TLS_KEY: .*b\.key does not match the certificate in .*a\.crt$/],
  ])('refuses %s with one line naming the variable and the file', (_name, files, message) => {
    expect(failure(() => loadTlsPair(files())).message).toMatch(message);
  });

  it('never puts key bytes into the message', () => {
    const junk = join(dir, 'junk.key');
    writeFileSync(junk, '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWNhbmFyeQ==\n-----END PRIVATE KEY-----\n');
    const e = failure(() => loadTlsPair({ cert: a.cert, key: junk }));
    expect(e.message).toMatch(/^HOOKFLOW_TLS_KEY: /);
    expect(e.message).not.toContain('c2VjcmV0');
  });
});

interface Logged { level: string; obj: object; msg?: string }
const recorder = () => {
  const lines: Logged[] = [];
  const at = (level: string) => (obj: object, msg?: string) => { lines.push({ level, obj, msg }); };
  return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
};

describe('createTlsReloader', () => {
  it('hands a good new pair to the server and keeps the old one when the new files are bad', () => {
    const live = { cert: join(dir, 'live.crt'), key: join(dir, 'live.key') };
    copyFileSync(a.cert, live.cert);
    copyFileSync(a.key, live.key);
    const contexts: SecureContextOptions[] = [];
    const { lines, log } = recorder();
    const reload = createTlsReloader({ setSecureContext: (o) => { contexts.push(o); } }, live, log);

    copyFileSync(b.cert, live.cert);
    copyFileSync(b.key, live.key);
    expect(reload()).toMatchObject({ ok: true, fingerprint256: b.fingerprint256 });
    expect(contexts).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'TLS certificate reloaded', obj: { fingerprint256: b.fingerprint256 } });

    writeFileSync(live.key, 'not a key');
    const bad = reload();
    expect(bad).toEqual({ ok: false, reason: expect.stringMatching(/^HOOKFLOW_TLS_KEY: .*live\.key is not an unencrypted PEM private key$/) });
    expect(contexts).toHaveLength(1); // the server was not touched
    expect(lines.at(-1)?.level).toBe('error');
    expect(lines.at(-1)?.msg).toContain('still serving the previous certificate');

    copyFileSync(b.key, live.key);
    copyFileSync(a.cert, live.cert); // a half-finished renewal: the certificate of one pair, the key of another
    expect(reload()).toMatchObject({ ok: false, reason: expect.stringContaining('does not match') });
    expect(contexts).toHaveLength(1);
  });

  it('without TLS a reload changes nothing and says so', () => {
    const { lines, log } = recorder();
    expect(createTlsReloader(undefined, undefined, log)()).toEqual({ ok: false, reason: expect.stringContaining('not set') });
    expect(lines[0].level).toBe('warn');
  });
});
