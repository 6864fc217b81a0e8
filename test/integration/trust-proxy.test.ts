import { describe, expect, it } from 'vitest';
import { TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { call, OWNER, withOwnerApp } from './accounts-helpers.js';


/** One request to a webhook token that does not exist: 404, or 429 once the client's 300 misses a minute are spent. */
const miss = async (t: TestApp, xff: string): Promise<number> => {
  const r = await fetch(`${t.url}/hooks/no-such-token-00000000000000`, { method: 'POST', headers: { 'x-forwarded-for': xff }, body: '{}' });
  await r.arrayBuffer();
  return r.status;
};

/**
 * Misses until the first 429, in batches, each call with its own X-Forwarded-For. Calls that share one bucket
 * reach 429 after 300 misses, plus the few the bucket refilled meanwhile (5 a second); calls that each had a
 * bucket of their own would never get there.
 */
async function drain(t: TestApp, xff: (i: number) => string): Promise<void> {
  const started = Date.now();
  let passed = 0;
  for (let i = 0; i < 700; i += 25) {
    const statuses = await Promise.all(Array.from({ length: 25 }, (_, j) => miss(t, xff(i + j))));
    expect(statuses.every((st) => st === 404 || st === 429)).toBe(true);
    passed += statuses.filter((st) => st === 404).length;
    if (statuses.includes(429)) break;
  }
  expect(passed).toBeGreaterThanOrEqual(300);
  expect(passed).toBeLessThanOrEqual(300 + Math.ceil(((Date.now() - started) / 1000) * 5) + 1);
}

describe('unknown-webhook limit per client address (W-17) and HOOKFLOW_TRUST_PROXY', () => {
  it('without the setting, X-Forwarded-For is ignored: the socket peer is the client', async () => {
    await withOwnerApp({}, async (t) => {
      await drain(t, (i) => `198.51.100.${i % 250}`);
    });
  });

  it('with true, each forwarded client has its own bucket, keyed on the entry the proxy appended', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: 'true' }, async (t) => {
      // What the client wrote in front of the proxy's entry changes nothing.
      await drain(t, (i) => (i % 2 ? '198.51.100.1' : `6.6.6.${i % 250}, 198.51.100.1`));
      expect(await miss(t, '198.51.100.1, 198.51.100.2')).toBe(404);
    });
  });

  it('with a hop count of 2, the client is the entry before the inner proxy', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: '2' }, async (t) => {
      await drain(t, (i) => `${i % 2 ? '' : '6.6.6.6, '}198.51.100.1, 10.0.0.${i % 200}`);
      expect(await miss(t, '198.51.100.1, 198.51.100.2, 10.0.0.1')).toBe(404);
    });
  });

  it('with an address list, only a listed peer is believed and every listed hop is skipped', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: '10.0.0.0/8' }, async (t) => {
      await drain(t, (i) => `198.51.100.${i % 250}`); // our peer 127.0.0.1 is not a listed proxy
    });
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: 'loopback, 10.0.0.0/8' }, async (t) => {
      await drain(t, (i) => `198.51.100.1${', 10.0.0.1'.repeat(i % 3)}`);
      expect(await miss(t, '198.51.100.2, 10.1.2.3')).toBe(404);
    });
  });
});

describe('Secure cookie and X-Forwarded-Proto', () => {
  const login = (t: TestApp) => call(t, 'POST', '/api/auth/login', { body: OWNER, headers: { 'x-forwarded-proto': 'https' } });

  it('a trusted proxy saying https makes the session cookie Secure and adds HSTS', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: 'true' }, async (t) => {
      const r = await login(t);
      expect(r.status).toBe(200);
      expect(r.session?.attrs.secure).toBe(true);
      expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const plain = await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: { 'x-forwarded-proto': 'http' } });
      expect(plain.session?.attrs.secure).toBeUndefined();
    });
  });

  it('from a peer outside the trusted list the header is ignored', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: '10.0.0.0/8' }, async (t) => {
      const r = await login(t);
      expect(r.status).toBe(200);
      expect(r.session?.attrs.secure).toBeUndefined();
      expect(r.headers.get('strict-transport-security')).toBeNull();
    });
  });

  it('webhook URLs never come from X-Forwarded-Host, trusted or not', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: 'true' }, async (t) => {
      const nodes = [{ id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: { methods: ['POST'] } }];
      const r = await fetch(`${t.url}/api/flows`, {
        method: 'POST', body: JSON.stringify({ name: 'p', nodes, edges: [] }),
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      });
      expect(r.status).toBe(201);
      const body = await r.json();
      expect(body.webhook.url.startsWith(`${t.url}/hooks/`)).toBe(true);
    });
  });
});
