// Retry maths: backoff delays with cap, seeded jitter and Retry-After; shouldRetry; error classification; Retry-After parsing.
import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../../nodes/contract.js';
import { NodeError, permanent, retryable } from '../../../nodes/contract.js';
import { classify, nextDelayMs, parseRetryAfter, shouldRetry, type ErrorInfo, type Rng } from '../../../server/runner/retry.js';

/** Deterministic PRNG (mulberry32): each test owns its sequence. */
function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const policy = (p: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxAttempts: 5, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0, ...p,
});
const never: Rng = () => 0;
const systemError = (code: string, message = `connect ${code}`): Error => Object.assign(new Error(message), { code });

describe('nextDelayMs without jitter', () => {
  it.each([
    { name: 'fixed, after attempt 1', p: policy({ backoff: 'fixed' }), attempt: 1, ms: 1000 },
    { name: 'fixed, after attempt 4', p: policy({ backoff: 'fixed' }), attempt: 4, ms: 1000 },
    { name: 'fixed above the cap', p: policy({ backoff: 'fixed', initialDelayMs: 5000, maxDelayMs: 2000 }), attempt: 1, ms: 2000 },
    { name: 'exponential, after attempt 1', p: policy({ initialDelayMs: 500 }), attempt: 1, ms: 500 },
    { name: 'exponential, after attempt 2', p: policy({ initialDelayMs: 500 }), attempt: 2, ms: 1000 },
    { name: 'exponential, after attempt 3', p: policy({ initialDelayMs: 500 }), attempt: 3, ms: 2000 },
    { name: 'exponential, after attempt 4', p: policy({ initialDelayMs: 500 }), attempt: 4, ms: 4000 },
    { name: 'exponential, capped by maxDelayMs', p: policy({ initialDelayMs: 500, maxDelayMs: 3000 }), attempt: 4, ms: 3000 },
    { name: 'exponential, far past the cap', p: policy({ initialDelayMs: 500, maxDelayMs: 3000 }), attempt: 60, ms: 3000 },
    { name: 'exponential, huge attempt numbers stay finite', p: policy({ maxDelayMs: 7 * 86_400_000 }), attempt: 10_000, ms: 7 * 86_400_000 },
    { name: 'a zero initial delay', p: policy({ initialDelayMs: 0 }), attempt: 3, ms: 0 },
    { name: 'a zero cap', p: policy({ maxDelayMs: 0 }), attempt: 2, ms: 0 },
  ])('$name: $ms ms', ({ p, attempt, ms }) => {
    expect(nextDelayMs(p, attempt, never)).toBe(ms);
  });
});

describe('nextDelayMs with jitter', () => {
  it.each([
    { rng: 0, ms: 10_000 },
    { rng: 0.5, ms: 9000 },
    { rng: 0.25, ms: 9500 },
    { rng: 0.999_999, ms: 8000 },
  ])('subtracts jitter × rng (rng $rng → $ms ms)', ({ rng, ms }) => {
    expect(nextDelayMs(policy({ backoff: 'fixed', initialDelayMs: 10_000, jitter: 0.2 }), 1, () => rng)).toBe(ms);
  });

  it.each([
    { jitter: 0.2, attempt: 1, capped: 1000 },
    { jitter: 0.5, attempt: 3, capped: 4000 },
    { jitter: 1, attempt: 2, capped: 2000 },
    { jitter: 0.3, attempt: 12, capped: 60_000 },
  ])('stays within [capped × (1 − $jitter), capped] after attempt $attempt over 500 seeded draws', ({ jitter, attempt, capped }) => {
    const rng = seededRng(42 + attempt);
    const delays = Array.from({ length: 500 }, () => nextDelayMs(policy({ jitter }), attempt, rng));
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(Math.floor(capped * (1 - jitter)));
      expect(d).toBeLessThanOrEqual(capped);
      expect(Number.isInteger(d)).toBe(true);
    }
    expect(new Set(delays).size).toBeGreaterThan(50);
  });

  it('repeats the same delays for the same seed', () => {
    const draw = (seed: number) => {
      const rng = seededRng(seed);
      return [1, 2, 3, 4].map((a) => nextDelayMs(policy({ jitter: 0.5 }), a, rng));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it.each([
    { jitter: 5, rng: 0.999, bounds: [0, 10] },
    { jitter: -1, rng: 0.999, bounds: [1000, 1000] },
  ])('clamps jitter $jitter into 0..1', ({ jitter, rng, bounds }) => {
    const d = nextDelayMs(policy({ backoff: 'fixed', jitter }), 1, () => rng);
    expect(d).toBeGreaterThanOrEqual(bounds[0]);
    expect(d).toBeLessThanOrEqual(bounds[1]);
  });
});

describe('nextDelayMs honours Retry-After', () => {
  const p = policy({ backoff: 'fixed', initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.5 });
  it.each([
    { name: 'as a floor above the backoff', retryAfterMs: 5000, rng: 0, ms: 5000 },
    { name: 'not when the backoff is longer', retryAfterMs: 200, rng: 0, ms: 1000 },
    { name: 'over the jittered delay', retryAfterMs: 900, rng: 0.999, ms: 900 },
    { name: 'clamped by maxDelayMs', retryAfterMs: 3_600_000, rng: 0, ms: 60_000 },
    { name: 'ignoring a negative value', retryAfterMs: -5000, rng: 0, ms: 1000 },
    { name: 'with zero meaning the backoff', retryAfterMs: 0, rng: 0, ms: 1000 },
  ])('$name', ({ retryAfterMs, rng, ms }) => {
    expect(nextDelayMs(p, 1, () => rng, retryAfterMs)).toBe(ms);
  });
});

describe('shouldRetry', () => {
  const err = (e: Partial<ErrorInfo> = {}): ErrorInfo => ({ code: 'http_503', message: 'down', retryable: true, status: 503, ...e });
  it.each([
    { name: 'a retryable error after attempt 1 of 3', p: policy({ maxAttempts: 3 }), attempt: 1, e: err(), retry: true },
    { name: 'a retryable error after attempt 2 of 3', p: policy({ maxAttempts: 3 }), attempt: 2, e: err(), retry: true },
    { name: 'the last attempt', p: policy({ maxAttempts: 3 }), attempt: 3, e: err(), retry: false },
    { name: 'past the last attempt', p: policy({ maxAttempts: 3 }), attempt: 7, e: err(), retry: false },
    { name: 'a single-attempt policy', p: policy({ maxAttempts: 1 }), attempt: 1, e: err(), retry: false },
    { name: 'a permanent error', p: policy(), attempt: 1, e: err({ retryable: false }), retry: false },
    { name: 'retryOn listing the code', p: policy({ retryOn: ['http_503'] }), attempt: 1, e: err(), retry: true },
    { name: 'retryOn listing another code', p: policy({ retryOn: ['econnreset'] }), attempt: 1, e: err(), retry: false },
    { name: 'retryOn listing the status', p: policy({ retryOn: [429, 503] }), attempt: 1, e: err(), retry: true },
    { name: 'retryOn listing another status', p: policy({ retryOn: [429] }), attempt: 1, e: err(), retry: false },
    { name: 'retryOn with a status and an error without one', p: policy({ retryOn: [503] }), attempt: 1, e: err({ status: undefined, code: 'timeout' }), retry: false },
    { name: 'retryOn mixing codes and statuses', p: policy({ retryOn: [429, 'timeout'] }), attempt: 1, e: err({ status: undefined, code: 'timeout' }), retry: true },
    { name: 'retryOn never widens to a permanent error', p: policy({ retryOn: [400] }), attempt: 1, e: err({ status: 400, retryable: false }), retry: false },
    { name: 'retryOn matching but out of attempts', p: policy({ maxAttempts: 2, retryOn: [503] }), attempt: 2, e: err(), retry: false },
    { name: 'an empty retryOn (no narrowing)', p: policy({ retryOn: [] }), attempt: 1, e: err(), retry: true },
  ])('$name → $retry', ({ p, attempt, e, retry }) => {
    expect(shouldRetry(p, attempt, e)).toBe(retry);
  });
});

describe('classify', () => {
  it.each([
    {
      name: 'a retryable NodeError keeps code, status, Retry-After and details',
      thrown: retryable('http_503', 'upstream down', { status: 503, retryAfterMs: 2000, details: { url: 'x' } }),
      info: { code: 'http_503', message: 'upstream down', retryable: true, status: 503, retryAfterMs: 2000, details: { url: 'x' } },
    },
    {
      name: 'a permanent NodeError stays permanent',
      thrown: permanent('invalid_params', 'bad', [{ field: 'a' }]),
      info: { code: 'invalid_params', message: 'bad', retryable: false, details: [{ field: 'a' }] },
    },
    {
      name: 'a NodeError built directly',
      thrown: new NodeError('smtp_busy', '421 try later', { retryable: true }),
      info: { code: 'smtp_busy', message: '421 try later', retryable: true },
    },
    {
      name: 'a NodeError-like plain object (e.g. from the sandbox)',
      thrown: { code: 'sandbox_timeout', message: 'too slow', retryable: false },
      info: { code: 'sandbox_timeout', message: 'too slow', retryable: false },
    },
    {
      name: 'a NodeError-like object without a message uses its code',
      thrown: { code: 'busy', retryable: true },
      info: { code: 'busy', message: 'busy', retryable: true },
    },
    {
      name: 'an Error tagged with code and retryable (the step timeout)',
      thrown: Object.assign(new Error('node timed out after 5 ms'), { code: 'node_timeout', retryable: true }),
      info: { code: 'node_timeout', message: 'node timed out after 5 ms', retryable: true },
    },
  ])('$name', ({ thrown, info }) => {
    expect(classify(thrown)).toMatchObject(info);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
    'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_SOCKET', 'SQLITE_BUSY', 'SQLITE_LOCKED'])(
    'treats a system error %s as retryable, with its code in lower case',
    (code) => {
      expect(classify(systemError(code, 'socket hang up'))).toEqual({ code: code.toLowerCase(), message: 'socket hang up', retryable: true });
    },
  );

  it.each([
    { name: 'an AbortError', thrown: new DOMException('aborted', 'AbortError') },
    { name: 'a TimeoutError', thrown: new DOMException('signal timed out', 'TimeoutError') },
  ])('treats $name as a retryable timeout', ({ thrown }) => {
    expect(classify(thrown)).toMatchObject({ code: 'timeout', retryable: true });
  });

  it.each([
    { name: 'a plain Error', thrown: new Error('boom'), message: 'boom' },
    { name: 'a TypeError', thrown: new TypeError('x is not a function'), message: 'x is not a function' },
    { name: 'a system error with an unlisted code', thrown: systemError('ENOENT', 'no such file'), message: 'no such file' },
    { name: 'a thrown string', thrown: 'went wrong', message: 'went wrong' },
    { name: 'a thrown number', thrown: 42, message: '42' },
    { name: 'a thrown undefined', thrown: undefined, message: 'undefined' },
    { name: 'a thrown null', thrown: null, message: 'null' },
    { name: 'an object with a non-string code', thrown: { code: 503, retryable: true }, message: '[object Object]' },
  ])('treats $name as a permanent internal_error', ({ thrown, message }) => {
    expect(classify(thrown)).toEqual({ code: 'internal_error', message, retryable: false });
  });

  it.each([
    { name: 'an Error', make: (m: string): unknown => new Error(m) },
    { name: 'a NodeError', make: (m: string): unknown => permanent('bad', m) },
    { name: 'a thrown string', make: (m: string): unknown => m },
  ])('bounds a long message from $name to 2000 characters and an ellipsis', ({ make }) => {
    const long = classify(make('x'.repeat(50_000))).message;
    expect(long).toHaveLength(2001);
    expect(long.endsWith('…')).toBe(true);
    expect(classify(make('y'.repeat(2000))).message).toBe('y'.repeat(2000));
  });

  // Bug (retry.ts, last line of classify): String(e) throws on a null-prototype object, so the throw escapes runStep's
  // catch; the runner then fails the whole execution as internal_error and the node's `error` port is never used
  // (DESIGN §4: after the last failed attempt, a connected `error` port receives the failure and the flow goes on).
  it('classifies a thrown null-prototype object instead of throwing', () => {
    expect(classify(Object.create(null)).code).toBe('internal_error');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it.each([
    { value: '120', ms: 120_000 },
    { value: '0', ms: 0 },
    { value: ' 3 ', ms: 3000 },
    { value: 'Wed, 01 May 2024 12:00:30 GMT', ms: 30_000 },
    { value: 'Wed, 01 May 2024 12:00:00 GMT', ms: 0 },
    { value: 'Tue, 30 Apr 2024 12:00:00 GMT', ms: 0 },
    { value: 'Sun, 06 Nov 1994 08:49:37 GMT', ms: 0 },
    { value: undefined, ms: undefined },
    { value: '', ms: undefined },
    { value: 'soon', ms: undefined },
    { value: '12abc', ms: undefined },
    { value: '1e3', ms: undefined },
    { value: '0x10', ms: undefined },
  ])('parses $value as $ms', ({ value, ms }) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('review fixes', () => {
  const policy = { maxAttempts: 3, backoff: 'fixed' as const, initialDelayMs: 10, maxDelayMs: 100, jitter: 0 };
  it('matches a numeric-string retryOn entry against the HTTP status', () => {
    expect(shouldRetry({ ...policy, retryOn: ['503'] }, 1, { code: 'http_status_503', message: '', retryable: true, status: 503 })).toBe(true);
  });
  it.each(['1.5', '-5', 'soon', '12:00'])('treats Retry-After %j as garbage', (v) => {
    expect(parseRetryAfter(v, Date.now())).toBeUndefined();
  });
  it('retries a plain object thrown with a network error code', () => {
    expect(classify({ code: 'ECONNRESET' })).toMatchObject({ code: 'econnreset', retryable: true });
  });
});
