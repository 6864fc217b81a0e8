// test/unit/signature/fixtures.ts — published vectors and independent signers (node:crypto per each provider's docs) for the signature tests.
import { createHmac } from 'node:crypto';
import type { HmacAuth, HmacPreset } from '../../../server/ingress/signature.js';

/** GitHub, "Validating webhook deliveries" (docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries). */
export const GITHUB_VECTOR = {
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
  signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
} as const;

/** Slack, "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack). */
export const SLACK_VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V'
    + '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text='
    + '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN'
    + '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
} as const;

/** Standard Webhooks reference libraries' test vector (standard-webhooks/standard-webhooks, libraries/*). */
export const STANDARD_VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;

/** Pinned with the openssl CLI (`openssl dgst -sha256 -hmac … -hex`), independent of node and of our code. */
export const STRIPE_PINNED = {
  secret: 'whsec_stripe_test_secret',
  timestamp: '1700000000',
  body: '{"id":"evt_1","object":"event"}',
  v1: 'f0b45ad397b7d5f0c0a066aba48c4fdbf1e7da80b9ce240806f9bd530f378263',
} as const;

/** Pinned with `openssl dgst -sha256 -hmac … -binary | base64`. Shopify publishes no vector. */
export const SHOPIFY_PINNED = {
  secret: 'shpss_test_secret',
  body: '{"id":1,"topic":"orders/create"}',
  signature: 'k72tceQzwLrcNoh8q2ZaNlbbj/oVrcHNV4qHTP1iWNs=',
} as const;

export const PRESETS: readonly Exclude<HmacPreset, 'custom'>[] = ['github', 'stripe', 'shopify', 'slack', 'standard-webhooks'];

/** One auth per preset plus custom variants, with a secret in the format each expects. */
export const AUTH_CASES: readonly { name: string; auth: HmacAuth; secret: string; otherSecret: string }[] = [
  ...PRESETS.map((preset) => ({
    name: preset,
    auth: { kind: 'hmac', preset } as HmacAuth,
    secret: preset === 'standard-webhooks' ? STANDARD_VECTOR.secret : `${preset}-secret-A`,
    otherSecret: preset === 'standard-webhooks' ? 'whsec_c2VjcmV0LW9mLWZsb3ctQg==' : `${preset}-secret-B`,
  })),
  { name: 'github sha1', auth: { kind: 'hmac', preset: 'github', algorithm: 'sha1' }, secret: 'gh1-A', otherSecret: 'gh1-B' },
  { name: 'custom default', auth: { kind: 'hmac' }, secret: 'custom-A', otherSecret: 'custom-B' },
  {
    name: 'custom sha512 base64 prefixed, timestamped',
    auth: {
      kind: 'hmac', preset: 'custom', header: 'X-Acme-Signature', algorithm: 'sha512', encoding: 'base64',
      prefix: 'sha512=', timestampHeader: 'X-Acme-Timestamp', signedContent: '{timestamp}.{body}', toleranceSec: 60,
    },
    secret: 'acme-A',
    otherSecret: 'acme-B',
  },
  { name: 'custom sha1 hex', auth: { kind: 'hmac', preset: 'custom', algorithm: 'sha1', header: 'x-sig' }, secret: 's1', otherSecret: 's2' },
];

export const hmacHex = (secret: string | Buffer, content: string | Buffer, alg = 'sha256'): string =>
  createHmac(alg, secret).update(content).digest('hex');

/** Stripe-Signature as Stripe documents it: `t=<ts>,v1=<hex hmac-sha256 of "<ts>.<body>">`, extra entries appended. */
export const stripeHeader = (secret: string, t: string, body: string, extra: string[] = []): string =>
  [`t=${t}`, `v1=${hmacHex(secret, `${t}.${body}`)}`, ...extra].join(',');

/** Slack's documented headers: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export const slackHeaders = (secret: string, ts: string, body: string): Record<string, string> => ({
  'x-slack-request-timestamp': ts,
  'x-slack-signature': `v0=${hmacHex(secret, `v0:${ts}:${body}`)}`,
});

/** Standard Webhooks headers built per the spec (key = base64 after `whsec_`), for timestamps a signer cannot make. */
export function standardHeaders(secret: string, id: string, ts: string, body: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` };
}

/** Deterministic PRNG (mulberry32) so property tests replay; each call site owns its state. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(rng: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(rng() * 256)));
}
