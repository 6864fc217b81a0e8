import { afterEach, describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { NodeError, type HttpRequest } from '../../../nodes/contract.js';
import { createHttpClient } from '../../../server/adapters/http-client.js';
import { startReceiver, type Handler, type Receiver } from '../../helpers/http-receiver.js';

// Receivers listen on 127.0.0.1. `front.test` and `other.test` are stub names for 127.0.0.1; only
// `front.test` is allow-listed, so it stands for an external server (H-6) while loopback stays blocked.
const resolver = async (host: string): Promise<LookupAddress[]> => {
  if (host === 'front.test' || host === 'other.test') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};
const guarded = createHttpClient({ allowPrivateNetworks: false, allowList: ['front.test'], resolver });
const open = createHttpClient({ allowPrivateNetworks: true, resolver });
const req = (url: string, over: Partial<HttpRequest> = {}): HttpRequest =>
  ({ method: 'GET', url, headers: {}, timeoutMs: 3000, maxResponseBytes: 1024 * 1024, followRedirects: true, ...over });
const failure = (p: Promise<unknown>): Promise<NodeError> =>
  p.then(() => { throw new Error('expected the request to fail'); }, (e: unknown) => { if (!(e instanceof NodeError)) throw e; return e; });
const redirect = (status: number, location: string): Handler => (_r, res) => { res.writeHead(status, { location }); res.end(); };

const SECRET_HEADERS = {
  authorization: 'Bearer t0ken', cookie: 'sid=1', 'webhook-id': 'exe_1:n1', 'webhook-timestamp': '1700000000',
  'webhook-signature': 'v1,abc', 'x-signature': 'deadbeef', 'x-api-key': 'k',
};

describe('http client: redirects', () => {
  const servers: Receiver[] = [];
  const receiver = async (h?: Handler) => { const r = await startReceiver(h); servers.push(r); return r; };
  afterEach(async () => { await Promise.all(servers.splice(0).map((r) => r.close())); });

  it('returns the 3xx as the response when redirects are off (the target sees nothing)', async () => {
    const target = await receiver();
    const front = await receiver(redirect(302, `${target.url}/`));
    const res = await open.request(req(front.url, { followRedirects: false }));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${target.url}/`);
    expect(target.requests).toHaveLength(0);
  });

  it('H-6: a redirect to a loopback literal is blocked at the hop; the target sees 0 requests', async () => {
    const target = await receiver();
    const front = await receiver(redirect(302, `${target.url}/internal`));
    const e = await failure(guarded.request(req(`http://front.test:${front.port}/`)));
    expect(e).toMatchObject({ code: 'ssrf_blocked', retryable: false });
    expect(front.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it('H-6: a redirect to a name resolving to loopback is blocked by the connect-time lookup', async () => {
    const target = await receiver();
    const front = await receiver(redirect(307, `http://other.test:${target.port}/`));
    const e = await failure(guarded.request(req(`http://front.test:${front.port}/`)));
    expect(e).toMatchObject({ code: 'ssrf_blocked', details: { host: 'other.test', address: '127.0.0.1' } });
    expect(target.requests).toHaveLength(0);
  });

  it('follows up to 5 hops and fails the 6th with http_too_many_redirects', async () => {
    const hops = (last: number): Handler => (r, res, n) => {
      const i = Number(r.url.slice(1));
      if (i < last) return redirect(302, `/${i + 1}`)(r, res, n);
      res.end('done');
    };
    const five = await receiver(hops(5));
    const res = await open.request(req(`${five.url}/0`));
    expect(Buffer.from(res.body).toString()).toBe('done');
    expect(five.requests.map((r) => r.url)).toEqual(['/0', '/1', '/2', '/3', '/4', '/5']);
    const six = await receiver(hops(6));
    const e = await failure(open.request(req(`${six.url}/0`)));
    expect(e).toMatchObject({ code: 'http_too_many_redirects', retryable: false });
    expect(six.requests).toHaveLength(6);
  });

  it('303 turns a POST into a body-less GET; 307 and 308 keep method and body', async () => {
    const target = await receiver();
    for (const [status, method, body] of [[303, 'GET', ''], [307, 'POST', '{"a":1}'], [308, 'POST', '{"a":1}'], [302, 'GET', '']] as const) {
      const front = await receiver(redirect(status, `${target.url}/after-${status}`));
      await open.request(req(front.url, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
      const got = target.requests.at(-1);
      expect([got?.url, got?.method, got?.body]).toEqual([`/after-${status}`, method, body]);
      if (method === 'GET') expect(got?.headers['content-type']).toBeUndefined();
    }
  });

  it('H-8: a cross-origin hop drops Authorization, Cookie, signatures and other credential headers', async () => {
    const target = await receiver();
    const front = await receiver(redirect(307, `${target.url}/x`)); // another port: another origin
    const headers = { ...SECRET_HEADERS, 'content-type': 'application/json', 'idempotency-key': 'exe_1:n1', 'user-agent': 'Hookflow' };
    await open.request(req(front.url, { method: 'POST', body: '{}', headers }));
    expect(front.requests[0].headers).toMatchObject(SECRET_HEADERS);
    const sent = target.requests[0].headers;
    for (const name of Object.keys(SECRET_HEADERS)) expect(sent[name]).toBeUndefined();
    expect(sent).toMatchObject({ 'content-type': 'application/json', 'idempotency-key': 'exe_1:n1', 'user-agent': 'Hookflow' });
  });

  it('a same-origin hop keeps the headers', async () => {
    const rx = await receiver((r, res, n) => (r.url === '/a' ? redirect(307, '/b')(r, res, n) : res.end('ok')));
    await open.request(req(`${rx.url}/a`, { method: 'POST', body: '{}', headers: SECRET_HEADERS }));
    expect(rx.requests[1].url).toBe('/b');
    expect(rx.requests[1].headers).toMatchObject(SECRET_HEADERS);
  });

  it('H-7: a redirect to another scheme is a permanent invalid_url', async () => {
    const front = await receiver(redirect(302, 'file:///etc/passwd'));
    const e = await failure(open.request(req(front.url)));
    expect(e).toMatchObject({ code: 'invalid_url', retryable: false });
  });

  it('a 3xx without Location is returned as it is', async () => {
    const rx = await receiver((_r, res) => { res.statusCode = 304; res.end(); });
    expect((await open.request(req(rx.url))).status).toBe(304);
  });
});
