import { describe, expect, it } from 'vitest';
import { clientAddress, crossSiteReason, isHttps, type RequestFacts } from '../../../server/http/security.js';
import { clearedSessionCookie, readCookie, sessionCookie } from '../../../server/accounts/cookies.js';

const req = (headers: Record<string, string>, socket: RequestFacts['socket'] = { remoteAddress: '10.0.0.9' }): RequestFacts =>
  ({ headers: { host: 'console.test:8080', ...headers }, socket });
const plain = { trustProxy: false };

describe('cross-site check for state-changing requests', () => {
  it.each([
    ['Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin' }, true],
    ['Sec-Fetch-Site none (typed or bookmarked)', { 'sec-fetch-site': 'none' }, true],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }, false],
    ['Sec-Fetch-Site same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }, false],
    ['our Origin', { origin: 'http://console.test:8080' }, true],
    ['our Origin in other case', { origin: 'HTTP://Console.Test:8080' }, true],
    ['a foreign Origin', { origin: 'https://evil.example' }, false],
    ['our host on another port', { origin: 'http://console.test:9090' }, false],
    ['our host over the other scheme', { origin: 'https://console.test:8080' }, false],
    ['Origin null (sandboxed frame, data: URL)', { origin: 'null' }, false],
    ['same-origin but a foreign Origin', { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }, false],
    ['neither header', {}, false],
  ])('%s → allowed %s (strict)', (_l, headers, allowed) => {
    expect(crossSiteReason(req(headers), plain, true) === undefined).toBe(allowed);
  });

  it('lenient mode lets a request with neither header through (curl logging in)', () => {
    expect(crossSiteReason(req({}), plain, false)).toBeUndefined();
    expect(crossSiteReason(req({ origin: 'https://evil.example' }), plain, false)).toBeDefined();
  });

  it('accepts the origin of HOOKFLOW_PUBLIC_URL (a proxy rewrote Host)', () => {
    const o = { trustProxy: false, publicUrl: 'https://hooks.example.com' };
    expect(crossSiteReason(req({ origin: 'https://hooks.example.com' }), o, true)).toBeUndefined();
    expect(crossSiteReason(req({ origin: 'https://other.example.com' }), o, true)).toBeDefined();
  });

  it('uses X-Forwarded-Proto for our own origin only behind a trusted proxy', () => {
    const r = req({ origin: 'https://console.test:8080', 'x-forwarded-proto': 'https' });
    expect(crossSiteReason(r, plain, true)).toBeDefined();
    expect(crossSiteReason(r, { trustProxy: true }, true)).toBeUndefined();
  });
});

describe('request facts', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted, then takes the entry the proxy appended', () => {
    const r = req({ 'x-forwarded-for': '1.2.3.4, 203.0.113.7' });
    expect(clientAddress(r, plain)).toBe('10.0.0.9');
    expect(clientAddress(r, { trustProxy: true })).toBe('203.0.113.7');
    expect(clientAddress(req({}), { trustProxy: true })).toBe('10.0.0.9');
  });

  it('is https over TLS, behind a trusted https proxy, or when the public URL is https', () => {
    expect(isHttps(req({}), plain)).toBe(false);
    expect(isHttps(req({}, { remoteAddress: '::1', encrypted: true } as RequestFacts['socket']), plain)).toBe(true);
    expect(isHttps(req({ 'x-forwarded-proto': 'https' }), plain)).toBe(false);
    expect(isHttps(req({ 'x-forwarded-proto': 'https' }), { trustProxy: true })).toBe(true);
    expect(isHttps(req({}), { trustProxy: false, publicUrl: 'https://hooks.example.com' })).toBe(true);
  });
});

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, host-only; Secure on request', () => {
    expect(sessionCookie('abc', { secure: false, maxAgeSec: 60 })).toBe('hookflow_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60');
    expect(sessionCookie('abc', { secure: true, maxAgeSec: 60 })).toMatch(/; Secure$/);
    expect(sessionCookie('abc', { secure: true, maxAgeSec: 60 })).not.toMatch(/domain/i);
    expect(clearedSessionCookie({ secure: false })).toContain('Max-Age=0');
  });

  it.each([
    ['hookflow_session=v1', 'v1'],
    ['a=1; hookflow_session=v2; b=3', 'v2'],
    ['hookflow_session="v3"', 'v3'],
    ['xhookflow_session=no; hookflow_session=v4', 'v4'],
    ['hookflow_session=first; hookflow_session=second', 'first'],
    ['other=1', undefined],
    ['', undefined],
  ])('reads %j', (header, value) => {
    expect(readCookie(header, 'hookflow_session')).toBe(value);
  });
});
