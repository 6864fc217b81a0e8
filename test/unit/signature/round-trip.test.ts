// test/unit/signature/round-trip.test.ts — property: signPreset → verifyInbound round-trips for random bodies and secrets; one flipped byte, another flow's secret or a stale clock fails.
import { describe, expect, it } from 'vitest';
import { verifyInbound } from '../../../server/ingress/signature.js';
import type { HmacAuth } from '../../../server/ingress/signature.js';
import { signPreset } from '../../../server/ingress/signing.js';
import { AUTH_CASES, randomBytes, seededRng } from './fixtures.js';

const RUNS = 40;
const TIMED: readonly string[] = ['stripe', 'slack', 'standard-webhooks'];

/** A secret in the format the preset expects: `whsec_<base64>` for standard-webhooks, printable text otherwise. */
function randomSecret(auth: HmacAuth, rng: () => number): string {
  const bytes = randomBytes(rng, 1 + Math.floor(rng() * 48));
  if (auth.preset === 'standard-webhooks') return `whsec_${bytes.toString('base64')}`;
  return Array.from(bytes, (b) => String.fromCharCode(33 + (b % 94))).join('');
}

function flipOneByte(body: Buffer, rng: () => number): Buffer {
  if (body.length === 0) return Buffer.from([0]);
  const copy = Buffer.from(body);
  const index = Math.floor(rng() * copy.length);
  copy[index] ^= 1 + Math.floor(rng() * 255);
  return copy;
}

describe('signPreset → verifyInbound round-trips', () => {
  it.each(AUTH_CASES.map((c, i) => [c.name, c.auth, i] as const))('%s', (_name, auth, seed) => {
    const rng = seededRng(1000 + seed);
    for (let run = 0; run < RUNS; run += 1) {
      const secret = randomSecret(auth, rng);
      const otherSecret = randomSecret(auth, rng);
      const body = randomBytes(rng, Math.floor(rng() * 2048));
      const now = 1_600_000_000 + Math.floor(rng() * 100_000_000);
      const id = `msg_${run}_${Math.floor(rng() * 1e9).toString(36)}`;
      const headers = signPreset(auth, secret, body, now, id);
      const verify = (raw: Buffer, secrets: string[], at = now) => verifyInbound(auth, { hmac: secrets }, raw, headers, at);
      const context = { run, secret, bodyHex: body.toString('hex').slice(0, 64) };

      expect(verify(body, [secret]), JSON.stringify(context)).toEqual({ ok: true });
      expect(verify(body, [otherSecret, secret]).ok).toBe(true);
      expect(verify(flipOneByte(body, rng), [secret]).ok, JSON.stringify(context)).toBe(false);
      expect(verify(Buffer.concat([body, Buffer.from(' ')]), [secret]).ok).toBe(false);
      expect(verify(body, [otherSecret]).ok).toBe(false);
      if (auth.timestampHeader !== undefined || TIMED.includes(auth.preset ?? 'custom')) {
        const tolerance = auth.toleranceSec ?? 300;
        expect(verify(body, [secret], now + tolerance).ok).toBe(true);
        expect(verify(body, [secret], now + tolerance + 1).ok).toBe(false);
      }
    }
  });

  it('every byte position matters (exhaustive flip over a short body, every preset)', () => {
    const body = Buffer.from('{"sku":"A-1","qty":3}');
    for (const { auth, secret } of AUTH_CASES) {
      const headers = signPreset(auth, secret, body, 1_700_000_000, 'msg_flip');
      for (let i = 0; i < body.length; i += 1) {
        const flipped = Buffer.from(body);
        flipped[i] ^= 0x01;
        expect(verifyInbound(auth, { hmac: [secret] }, flipped, headers, 1_700_000_000).ok).toBe(false);
      }
    }
  });
});
