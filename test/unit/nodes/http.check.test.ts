import { describe, expect, it } from 'vitest';
import { httpNode } from '../../../nodes/http.js';
import { createParamsValidator } from '../../../server/flows/params-validator.js';

const pv = createParamsValidator();
/** Save time as the flow service does it: the schema (templates allowed), then the node's own check. */
const saved = (params: Record<string, unknown>) => {
  const schema = pv.checkSaved(httpNode.params, params);
  return schema.length > 0 ? schema : httpNode.check?.(params as never) ?? [];
};
const fields = (params: Record<string, unknown>) => saved(params).map((p) => p.field);

describe('http node: save-time checks', () => {
  it.each([
    { url: 'https://hooks.example.test/x' },
    { url: 'http://hooks.example.test:8080/x?y=1' },
    { url: '{{ input.callbackUrl }}' },
    { url: 'https://{{ input.shop }}.example.test/orders/{{ input.id }}' },
    { url: 'https://x.test/', method: '{{ input.method }}', headers: { 'X-Order': '{{ input.id }}', 'X-N': 3 }, body: { a: '{{ input.a }}' } },
    { url: 'https://x.test/', signing: { kind: 'standard-webhooks', credentialId: 'cred_1' }, timeoutMs: 5000, followRedirects: true, maxResponseBytes: 2048 },
    { url: 'https://x.test/', signing: { kind: 'hmac', credentialId: 'cred_1', header: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' } },
  ])('accepts %j', (params) => {
    expect(saved(params)).toEqual([]);
  });

  it.each([
    [{ url: 'file:///etc/passwd' }, 'url'],
    [{ url: 'ftp://x.test/' }, 'url'],
    [{ url: 'gopher://x.test/' }, 'url'],
    [{ url: 'data:text/plain,x' }, 'url'],
    [{ url: 'javascript:alert(1)' }, 'url'],
    [{ url: 'file:///{{ input.path }}' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{}, 'url'],
    [{ url: 'https://x.test/', method: 'TRACE' }, 'method'],
    [{ url: 'https://x.test/', headers: { 'X-A': 'v\r\nBcc: x' } }, 'headers.X-A'],
    [{ url: 'https://x.test/', headers: { 'X-A': '{{ input.a }}\n' } }, 'headers.X-A'],
    [{ url: 'https://x.test/', headers: { 'bad name': 'v' } }, 'headers.bad name'],
    [{ url: 'https://x.test/', headers: { 'Transfer-Encoding': 'chunked' } }, 'headers.Transfer-Encoding'],
    [{ url: 'https://x.test/', method: 'GET', body: { a: 1 } }, 'body'],
    [{ url: 'https://x.test/', signing: { kind: 'standard-webhooks' } }, 'signing.credentialId'],
    [{ url: 'https://x.test/', signing: { kind: 'standard-webhooks', credentialId: 'c', prefix: 'x' } }, 'signing.prefix'],
    [{ url: 'https://x.test/', signing: { kind: 'rsa', credentialId: 'c' } }, 'signing.kind'],
    [{ url: 'https://x.test/', timeoutMs: 500_000 }, 'timeoutMs'],
    [{ url: 'https://x.test/', maxResponseBytes: 100 * 1024 * 1024 }, 'maxResponseBytes'],
    [{ url: 'https://x.test/', retries: 3 }, 'retries'],
  ])('refuses %j naming %s', (params, field) => {
    expect(fields(params)).toContain(field);
  });
});

describe('http node: run-time params (after rendering)', () => {
  const rendered = (params: Record<string, unknown>) => pv.checkRendered(httpNode.params, params).map((p) => p.field);

  it('holds rendered values to the strict schema', () => {
    expect(rendered({ url: 'https://x.test/', method: 'POST', headers: { 'x-n': 7 } })).toEqual([]);
    expect(rendered({ url: 'https://x.test/', method: 'FETCH' })).toEqual(['method']);
    expect(rendered({ url: 42 })).toEqual(['url']);
    expect(rendered({ url: 'https://x.test/', headers: { 'x-a': { nested: true } } })).toEqual(['headers.x-a']);
  });
});
