import { describe, expect, it } from 'vitest';
import { NodeError } from '../../../nodes/contract.js';
import { httpNode } from '../../../nodes/http.js';
import { fakeCtx } from './fake-ctx.js';
import { bodyText, fakeHttp, type Route } from './http-fakes.js';

const URL_ = 'https://hooks.example.test/orders';
const run = (params: Parameters<typeof httpNode.execute>[2], http = fakeHttp({ [`POST ${URL_}`]: { status: 200 } }), over = {}) =>
  httpNode.execute(fakeCtx({ http, ...over }), { any: 'input' }, params);
const failure = (p: Promise<unknown>): Promise<NodeError> =>
  p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => { if (!(e instanceof NodeError)) throw e; return e; });

describe('http node: contract', () => {
  it('declares type, ports, effect, retry defaults and a timeout above the largest request timeout', () => {
    expect(httpNode).toMatchObject({ type: 'http', category: 'action', effect: 'side-effect', ports: ['out'], rawParams: ['signing', 'auth'] });
    expect(httpNode.retry).toEqual({ maxAttempts: 5, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.2 });
    expect(httpNode.timeoutMs).toBeGreaterThan(120_000);
  });
});

describe('http node: the request it makes', () => {
  it('POSTs an object body as JSON with the idempotency key and the defaults', async () => {
    const http = fakeHttp({ [`POST ${URL_}`]: { status: 200 } });
    await run({ url: URL_, body: { order: 7, items: [1, 2] } }, http);
    expect(http.calls).toHaveLength(1);
    const r = http.calls[0];
    expect(r).toMatchObject({ method: 'POST', url: URL_, timeoutMs: 10_000, maxResponseBytes: 1024 * 1024, followRedirects: false });
    expect(bodyText(r)).toBe('{"order":7,"items":[1,2]}');
    expect(r.headers).toEqual({ 'content-type': 'application/json', 'idempotency-key': 'exe_1:n1', 'user-agent': 'Hookflow', 'hookflow-hop': '1' });
    expect(r.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends a string body as it is, as text unless a content type is given', async () => {
    const http = fakeHttp();
    await run({ url: URL_, body: 'a=1&b=2' }, http);
    await run({ url: URL_, body: 'a=1&b=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, http);
    expect(http.calls.map((c) => [bodyText(c), c.headers['content-type']])).toEqual([
      ['a=1&b=2', 'text/plain; charset=utf-8'], ['a=1&b=2', 'application/x-www-form-urlencoded'],
    ]);
  });

  it('sends null, numbers and arrays as JSON, and no body when none is given', async () => {
    const http = fakeHttp();
    for (const body of [null, 42, [1], false]) await run({ url: URL_, body }, http);
    await run({ url: URL_ }, http);
    expect(http.calls.map((c) => bodyText(c))).toEqual(['null', '42', '[1]', 'false', '']);
    expect(http.calls[4].body).toBeUndefined();
    expect(http.calls[4].headers['content-type']).toBeUndefined();
  });

  it('lower-cases header names, stringifies numbers and booleans, and keeps its own idempotency key', async () => {
    const http = fakeHttp();
    await run({ url: URL_, method: 'PUT', headers: { 'X-Order': 7, 'X-Test': true, 'User-Agent': 'mine', 'Idempotency-Key': 'forged' } }, http);
    expect(http.calls[0]).toMatchObject({ method: 'PUT' });
    expect(http.calls[0].headers).toEqual({ 'x-order': '7', 'x-test': 'true', 'user-agent': 'mine', 'idempotency-key': 'exe_1:n1', 'hookflow-hop': '1' });
  });

  it('passes timeoutMs, maxResponseBytes and followRedirects through', async () => {
    const http = fakeHttp();
    await run({ url: URL_, method: 'DELETE', timeoutMs: 2500, maxResponseBytes: 4096, followRedirects: true }, http);
    expect(http.calls[0]).toMatchObject({ method: 'DELETE', timeoutMs: 2500, maxResponseBytes: 4096, followRedirects: true });
  });

  it.each(['file:///etc/passwd', 'ftp://x.test/', 'gopher://x.test/', 'data:text/plain,x', 'javascript:alert(1)', '/relative'])(
    'H-7: refuses the rendered url %s before any request (invalid_url)', async (url) => {
      const http = fakeHttp();
      expect(await failure(run({ url }, http))).toMatchObject({ code: 'invalid_url', retryable: false });
      expect(http.calls).toHaveLength(0);
    });

  it.each([
    [{ headers: { 'x-a': 'ok\r\nBcc: x' } }, /CR, LF or NUL/],
    [{ headers: { 'x-a': 'nul\u0000' } }, /CR, LF or NUL/],
    [{ headers: { 'Content-Length': '5' } }, /set by the transport/],
    [{ headers: { Host: 'internal' } }, /set by the transport/],
    [{ method: 'GET', body: { a: 1 } }, /GET request carries no body/],
  ])('refuses %j as permanent invalid_params', async (over, message) => {
    const http = fakeHttp();
    const e = await failure(run({ url: URL_, ...over }, http));
    expect(e).toMatchObject({ code: 'invalid_params', retryable: false });
    expect(e.message).toMatch(message);
    expect(http.calls).toHaveLength(0);
  });

  it('in a dry run sends nothing and emits a stub response', async () => {
    const http = fakeHttp();
    const out = await run({ url: URL_, body: { a: 1 }, signing: { kind: 'standard-webhooks', credentialId: 'cred_x' } }, http, { dryRun: true });
    expect(out).toEqual({ port: 'out', value: { status: 0, headers: {}, body: null, dryRun: true } });
    expect(http.calls).toHaveLength(0);
  });

  it('fails permanently with capability_missing when no HTTP client is wired', async () => {
    const e = await failure(httpNode.execute(fakeCtx(), {}, { url: URL_ }));
    expect(e).toMatchObject({ code: 'capability_missing', retryable: false });
  });
});

describe('http node: the output it emits', () => {
  const answer = async (a: Route) => {
    const out = await run({ url: URL_ }, fakeHttp({ [`POST ${URL_}`]: a }));
    return 'port' in out ? out.value : undefined;
  };

  it('parses a JSON body (also +json), keeps text as text, binary as base64, empty as null', async () => {
    expect(await answer({ status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"id":"f_1"}' }))
      .toEqual({ status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { id: 'f_1' } });
    expect(await answer({ headers: { 'content-type': 'application/problem+json' }, body: '[1]' })).toMatchObject({ body: [1] });
    expect(await answer({ headers: { 'content-type': 'text/plain' }, body: 'thanks' })).toMatchObject({ body: 'thanks' });
    expect(await answer({ headers: { 'content-type': 'application/json' }, body: 'not json' })).toMatchObject({ body: 'not json' });
    expect(await answer({ headers: { 'content-type': 'image/png' }, body: new Uint8Array([137, 80, 78, 71]) }))
      .toMatchObject({ body: 'iVBORw==', bodyEncoding: 'base64' });
    expect(await answer({ body: 'plain, unlabelled' })).toMatchObject({ body: 'plain, unlabelled' });
    expect(await answer({ body: new Uint8Array([0xff, 0xfe, 0x00]) })).toMatchObject({ body: '//4A', bodyEncoding: 'base64' });
    expect(await answer({ status: 204 })).toEqual({ status: 204, headers: {}, body: null });
  });
});
