/** HTTPS served by Hookflow: load and check HOOKFLOW_TLS_CERT / HOOKFLOW_TLS_KEY, and swap them in on reload (SIGHUP) without dropping connections. */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { Logger } from '../../nodes/contract.js';
import { ConfigError } from '../config.js';

export interface TlsFiles {
  cert: string;
  key: string;
}

/** A checked pair: the bytes for `createServer`/`setSecureContext` and facts about the leaf certificate. */
export interface TlsPair {
  cert: Buffer;
  key: Buffer;
  /** SHA-256 fingerprint of the leaf certificate, `AB:CD:…` (as `getPeerCertificate().fingerprint256`). */
  fingerprint256: string;
  subject: string;
  validTo: string;
}

/** The one part of an `https.Server` a reload needs. */
export interface SecureContextTarget {
  setSecureContext(options: SecureContextOptions): void;
}

export type TlsReloadResult = { ok: true; fingerprint256: string; validTo: string } | { ok: false; reason: string };

const CERT_VAR = 'HOOKFLOW_TLS_CERT';
const KEY_VAR = 'HOOKFLOW_TLS_KEY';

function read(variable: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(variable, `cannot read ${file} (${code})`);
  }
}

// Only our own wording: OpenSSL's messages are fine, but a key's bytes must never reach a log line.
function parseCert(file: string, bytes: Buffer): X509Certificate {
  try {
    return new X509Certificate(bytes);
  } catch {
    throw new ConfigError(CERT_VAR, `${file} is not a PEM certificate`);
  }
}

function parseKey(file: string, bytes: Buffer): KeyObject {
  try {
    return createPrivateKey(bytes);
  } catch {
    throw new ConfigError(KEY_VAR, `${file} is not an unencrypted PEM private key`);
  }
}

/**
 * Reads and checks the pair: both files readable, the certificate parses, the key parses (unencrypted), the
 * key belongs to the first certificate in the file, and OpenSSL accepts them together (the chain that
 * follows the leaf included). Throws a {@link ConfigError} naming the variable and the file.
 */
export function loadTlsPair(files: TlsFiles): TlsPair {
  const cert = read(CERT_VAR, files.cert);
  const key = read(KEY_VAR, files.key);
  const x509 = parseCert(files.cert, cert);
  const privateKey = parseKey(files.key, key);
  if (!x509.checkPrivateKey(privateKey))
    throw new ConfigError(KEY_VAR, `${files.key} does not match the certificate in ${files.cert}`);
  try {
    createSecureContext({ cert, key });
  } catch {
    throw new ConfigError(CERT_VAR, `${files.cert} and ${files.key} are not accepted together by OpenSSL (check the chain)`);
  }
  return { cert, key, fingerprint256: x509.fingerprint256, subject: x509.subject.replace(/\n/g, ', '), validTo: x509.validTo };
}

/** Logged at start-up and after each reload, so an operator sees which certificate is live. */
export function describePair(pair: TlsPair, now: number): Record<string, unknown> {
  return { subject: pair.subject, validTo: pair.validTo, fingerprint256: pair.fingerprint256, expired: Date.parse(pair.validTo) < now };
}

/**
 * Returns `reload()`: re-read and check the files, then hand them to the server for new handshakes.
 * Connections already established keep their session. A bad, missing or mismatched pair changes nothing:
 * the error is logged (naming the variable and the file) and the working certificate stays in use.
 * Without TLS (`server` undefined) a reload only says so.
 */
export function createTlsReloader(server: SecureContextTarget | undefined, files: TlsFiles | undefined, log: Logger, now: () => number = Date.now): () => TlsReloadResult {
  return () => {
    if (server === undefined || files === undefined) {
      const reason = `nothing to reload: ${CERT_VAR} and ${KEY_VAR} are not set`;
      log.warn({}, reason);
      return { ok: false, reason };
    }
    let pair: TlsPair;
    try {
      pair = loadTlsPair(files);
      server.setSecureContext({ cert: pair.cert, key: pair.key });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      log.error({ cert: files.cert, key: files.key }, `TLS reload failed, still serving the previous certificate: ${reason}`);
      return { ok: false, reason };
    }
    const facts = describePair(pair, now());
    if (facts.expired) log.warn(facts, 'TLS certificate reloaded, but it has expired');
    else log.info(facts, 'TLS certificate reloaded');
    return { ok: true, fingerprint256: pair.fingerprint256, validTo: pair.validTo };
  };
}
