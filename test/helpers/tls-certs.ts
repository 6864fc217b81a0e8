/** Self-signed loopback certificates made with openssl in a test's temp dir, and an HTTPS client that trusts exactly them. */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request, type Agent } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';

export interface TestCert {
  cert: string;
  key: string;
  /** `AB:CD:…`, comparable with `getPeerCertificate().fingerprint256`. */
  fingerprint256: string;
  /** PEM bytes of the certificate, to pass as `ca`. */
  pem: Buffer;
}

/** A P-256 self-signed certificate for CN=localhost, IP:127.0.0.1, valid one day; files `<name>.crt` / `<name>.key` in `dir`. */
export function makeCert(dir: string, name: string): TestCert {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert,
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1'], { stdio: 'ignore' });
  const pem = readFileSync(cert);
  return { cert, key, pem, fingerprint256: new X509Certificate(pem).fingerprint256 };
}

export interface HttpsReply {
  status: number;
  body: string;
  /** The certificate the server presented on this request's connection. */
  fingerprint256: string;
  /** Our side's port: equal for two calls that went over one kept-alive connection. */
  localPort: number;
}

export interface HttpsCall {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Trusted roots: only these (the test's own certificates). */
  ca: Buffer[];
  /** A keep-alive agent to reuse one connection; without it every call opens a new one. */
  agent?: Agent;
}

export function httpsCall(url: string, o: HttpsCall): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers, ca: o.ca, agent: o.agent ?? false }, (res) => {
      const socket = res.socket as TLSSocket;
      const fingerprint256 = socket.getPeerCertificate().fingerprint256;
      const localPort = socket.localPort ?? 0;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint256, localPort }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
