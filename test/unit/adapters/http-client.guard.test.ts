import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { NodeError, type HttpRequest } from '../../../nodes/contract.js';
import { createHttpClient, type HttpClientOptions } from '../../../server/adapters/http-client.js';
import { isBlockedAddress } from '../../../server/adapters/ip-class.js';
import { startReceiver, type Receiver } from '../../helpers/http-receiver.js';

// Live traffic goes to 127.0.0.1 only. Stub answers that are not loopback meet `loopbackOnly`, which fails
// the request before any connection could be made.
const loopbackOnly = (_host: string, address: string): void => {
  if (address !== '127.0.0.1' && address !== '::1') throw new Error(`test refused to connect to ${address}`);
};
const answers = (table: Record<string, string[][]>) => {
  const seen = new Map<string, number>();
  return async (host: string): Promise<LookupAddress[]> => {
    const n = seen.get(host) ?? 0;
    seen.set(host, n + 1);
    const list = table[host];
    if (!list) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list[Math.min(n, list.length - 1)].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
};
const client = (o: Partial<HttpClientOptions> = {}) => createHttpClient({ allowPrivateNetworks: false, beforeConnect: loopbackOnly, ...o });
const req = (url: string, over: Partial<HttpRequest> = {}): HttpRequest =>
  ({ method: 'GET', url, headers: {}, timeoutMs: 3000, maxResponseBytes: 1024 * 1024, followRedirects: false, ...over });
const failure = (p: Promise<unknown>): Promise<NodeError> =>
  p.then(() => { throw new Error('expected the request to fail'); }, (e: unknown) => { if (!(e instanceof NodeError)) throw e; return e; });

describe('http client: SSRF guard', () => {
  let rx: Receiver;
  beforeAll(async () => { rx = await startReceiver(); });
  afterAll(async () => { await rx.close(); });

  it('H-1: refuses loopback literals before connecting', async () => {
    for (const url of [`http://127.0.0.1:${rx.port}/`, `http://[::1]:${rx.port}/`]) {
      const e = await failure(client().request(req(url)));
      expect(e).toMatchObject({ code: 'ssrf_blocked', retryable: false });
    }
    expect(rx.requests).toHaveLength(0);
  });

  it.each([
    '2130706433', '017700000001', '0x7f.1', '0177.0.0.1', '127.1', '0', '0.0.0.0',
    '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]',
  ])('H-2: refuses http://%s:<port>/', async (host) => {
    const e = await failure(client().request(req(`http://${host}:${rx.port}/`)));
    expect(e.code).toBe('ssrf_blocked');
    expect(rx.requests).toHaveLength(0);
  });

  it('H-2: refuses localhost., LocalHost and localhost through the system resolver', async () => {
    for (const host of ['localhost.', 'LocalHost', 'localhost']) {
      const e = await failure(createHttpClient({ allowPrivateNetworks: false }).request(req(`http://${host}:${rx.port}/`)));
      // `localhost.` may not resolve at all here (getaddrinfo ENOTFOUND); when it does, it is blocked.
      if (host === 'localhost.' && e.code === 'http_network') continue;
      expect(e.code).toBe('ssrf_blocked');
      expect(isBlockedAddress((e.details as { address: string }).address)).toBe(true);
    }
    expect(rx.requests).toHaveLength(0);
  });

  it('H-5: the client resolves through the guarded lookup (a stub answering loopback is blocked)', async () => {
    const resolver = answers({ 'evil.test': [['127.0.0.1']] });
    const e = await failure(client({ resolver }).request(req(`http://evil.test:${rx.port}/x`)));
    expect(e).toMatchObject({ code: 'ssrf_blocked', details: { host: 'evil.test', address: '127.0.0.1', class: 'loopback' } });
    expect(rx.requests).toHaveLength(0);
    // Control: the same stub with the name allow-listed really connects to what the stub said.
    const res = await client({ resolver, allowList: ['evil.test'] }).request(req(`http://evil.test:${rx.port}/x`));
    expect(res.status).toBe(200);
    expect(rx.requests.map((r) => [r.url, r.headers.host])).toEqual([['/x', `evil.test:${rx.port}`]]);
    rx.requests.length = 0;
  });

  it('H-3: a name with a public and a loopback address is blocked', async () => {
    const resolver = answers({ 'mixed.test': [['93.184.215.14', '127.0.0.1']] });
    const e = await failure(client({ resolver }).request(req(`http://mixed.test:${rx.port}/`)));
    expect(e.code).toBe('ssrf_blocked');
    expect(rx.requests).toHaveLength(0);
  });

  it('H-4: DNS rebinding — a second lookup answering loopback is blocked at connect time', async () => {
    const resolver = answers({ 'rebind.test': [['93.184.215.14'], ['127.0.0.1']] });
    const c = client({ resolver });
    const first = await failure(c.request(req(`http://rebind.test:${rx.port}/`)));
    expect(first).toMatchObject({ code: 'http_network', retryable: true }); // the public answer met loopbackOnly: no connection
    const second = await failure(c.request(req(`http://rebind.test:${rx.port}/`)));
    expect(second).toMatchObject({ code: 'ssrf_blocked', details: { address: '127.0.0.1' } });
    expect(rx.requests).toHaveLength(0);
  });

  it('a private stub answer (10.0.0.1, 169.254.169.254) is refused by the guard, never connected to', async () => {
    const resolver = answers({ 'ten.test': [['10.0.0.1']], 'meta.test': [['169.254.169.254']] });
    for (const host of ['ten.test', 'meta.test']) {
      const e = await failure(client({ resolver }).request(req(`http://${host}/latest/meta-data/`)));
      expect(e.code).toBe('ssrf_blocked');
    }
  });

  it.each(['file:///etc/passwd', 'ftp://example.test/x', 'gopher://example.test/', 'data:text/plain,hi', 'javascript:alert(1)', 'not a url'])(
    'H-7: refuses %s as a permanent invalid_url', async (url) => {
      const e = await failure(client().request(req(url)));
      expect(e).toMatchObject({ code: 'invalid_url', retryable: false });
    });

  it('with allowPrivateNetworks the loopback receiver is reached', async () => {
    const res = await createHttpClient({ allowPrivateNetworks: true }).request(req(`${rx.url}/ok`));
    expect(res.status).toBe(200);
    expect(rx.requests.map((r) => r.url)).toEqual(['/ok']);
    rx.requests.length = 0;
  });
});
