/** IngressError: the fields and JSON body the hooks router answers with. */
import { describe, expect, it } from 'vitest';
import { clip, IngressError, isIngressError } from '../../../server/ingress/ingress-error.js';

describe('IngressError', () => {
  it('carries status, code, message and details into the DESIGN §9 error body', () => {
    const err = new IngressError(415, 'unsupported_media_type', 'no', { details: { accept: ['a/b'] } });
    expect(err).toBeInstanceOf(Error);
    expect(isIngressError(err)).toBe(true);
    expect([err.name, err.status, err.code, err.closeConnection]).toEqual(['IngressError', 415, 'unsupported_media_type', false]);
    expect(err.toBody()).toEqual({ error: { code: 'unsupported_media_type', message: 'no', details: { accept: ['a/b'] } } });
  });

  it('leaves details and headers out when absent', () => {
    const err = new IngressError(400, 'malformed_json', 'bad');
    expect(err.toBody()).toEqual({ error: { code: 'malformed_json', message: 'bad' } });
    expect(err.headers).toBeUndefined();
    expect('details' in err.toBody().error).toBe(false);
  });

  it('adds connection: close to the headers when the connection must close', () => {
    const err = new IngressError(413, 'payload_too_large', 'big', { headers: { 'retry-after': '1' }, closeConnection: true });
    expect(err.closeConnection).toBe(true);
    expect(err.headers).toEqual({ 'retry-after': '1', connection: 'close' });
  });

  it('keeps the cause for logs, out of the body', () => {
    const cause = new Error('zlib: incorrect header check');
    const err = new IngressError(400, 'invalid_content_encoding', 'corrupt', { cause });
    expect(err.cause).toBe(cause);
    expect(JSON.stringify(err.toBody())).not.toContain('zlib');
    expect(isIngressError(cause)).toBe(false);
  });

  it('clips attacker text quoted in messages to 40 characters', () => {
    expect(clip('gzip')).toBe('gzip');
    expect(clip('x'.repeat(1000))).toBe(`${'x'.repeat(40)}…`);
  });
});
