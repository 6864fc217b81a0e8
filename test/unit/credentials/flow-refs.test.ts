// test/unit/credentials/flow-refs.test.ts — finding credential references in flow nodes, and the save-time existence and type-fit check.
import { describe, expect, it } from 'vitest';
import { checkCredentialRefs, credentialRefs, usesCredential } from '../../../server/credentials/flow-refs.js';
import type { FlowNodeDoc } from '../../../server/flows/flow-doc.js';

const node = (id: string, type: string, params: Record<string, unknown>): FlowNodeDoc => ({ id, type, params });
const STORE: Record<string, string> = { cred_h: 'hmac', cred_sw: 'standard-webhooks', cred_b: 'basic', cred_t: 'header', cred_s: 'smtp' };
const typeOf = async (id: string) => STORE[id];

describe('credentialRefs / usesCredential', () => {
  it('finds params.credentialId, params.auth.credentialId and params.signing.credentialId', () => {
    const nodes = [
      node('hook', 'webhook', { auth: { kind: 'hmac', preset: 'github', credentialId: 'cred_h' } }),
      node('mail', 'email', { credentialId: 'cred_s' }),
      node('call', 'http', { signing: { kind: 'standard-webhooks', credentialId: 'cred_sw' }, auth: { credentialId: 'cred_b' } }),
    ];
    expect(nodes.flatMap(credentialRefs).map((r) => [r.nodeId, r.field, r.credentialId])).toEqual([
      ['hook', 'params.auth.credentialId', 'cred_h'],
      ['mail', 'params.credentialId', 'cred_s'],
      ['call', 'params.auth.credentialId', 'cred_b'],
      ['call', 'params.signing.credentialId', 'cred_sw'],
    ]);
    for (const id of ['cred_h', 'cred_s', 'cred_sw', 'cred_b']) expect(usesCredential(nodes, id)).toBe(true);
    expect(usesCredential(nodes, 'cred_t')).toBe(false);
    expect(usesCredential([node('x', 'transform', { code: 'return "cred_t"' })], 'cred_t')).toBe(false);
  });
});

describe('checkCredentialRefs', () => {
  const fits: Array<[string, Record<string, unknown>]> = [
    ['webhook', { auth: { kind: 'hmac', preset: 'github', credentialId: 'cred_h' } }],
    ['webhook', { auth: { kind: 'hmac', credentialId: 'cred_h' } }],
    ['webhook', { auth: { kind: 'hmac', preset: 'standard-webhooks', credentialId: 'cred_sw' } }],
    ['webhook', { auth: { kind: 'hmac', preset: 'standard-webhooks', credentialId: 'cred_h' } }],
    ['webhook', { auth: { kind: 'basic', credentialId: 'cred_b' } }],
    ['webhook', { auth: { kind: 'header', credentialId: 'cred_t' } }],
    ['webhook', { auth: { kind: 'none' } }],
    ['webhook', {}],
    ['email', { credentialId: 'cred_s' }],
    ['http', { signing: { kind: 'hmac', credentialId: 'cred_h' } }],
    ['http', { signing: { kind: 'none' } }],
    ['email', { credentialId: '{{ trigger.body.cred }}' }],
  ];
  it.each(fits)('accepts %s %j', async (type, params) => {
    expect(await checkCredentialRefs([node('n', type, params)], typeOf)).toEqual([]);
  });

  const misfits: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['webhook', { auth: { kind: 'hmac', preset: 'github', credentialId: 'cred_nope' } }, 'params.auth.credentialId', /no credential "cred_nope" exists/],
    ['webhook', { auth: { kind: 'hmac', preset: 'github', credentialId: 'cred_b' } }, 'params.auth.credentialId', /type basic; auth kind "hmac" \(preset github\) needs type hmac/],
    ['webhook', { auth: { kind: 'hmac', preset: 'stripe', credentialId: 'cred_sw' } }, 'params.auth.credentialId', /needs type hmac$/],
    ['webhook', { auth: { kind: 'basic', credentialId: 'cred_t' } }, 'params.auth.credentialId', /needs type basic$/],
    ['webhook', { auth: { kind: 'header', credentialId: 'cred_h' } }, 'params.auth.credentialId', /needs type header$/],
    ['webhook', { auth: { kind: 'hmac', preset: 'shopify' } }, 'params.auth.credentialId', /needs a credential id/],
    ['email', { credentialId: 'cred_h' }, 'params.credentialId', /needs type smtp$/],
    ['http', { signing: { kind: 'standard-webhooks', credentialId: 'cred_h' } }, 'params.signing.credentialId', /needs type standard-webhooks$/],
    ['http', { signing: { kind: 'hmac' } }, 'params.signing.credentialId', /needs a credential id/],
  ];
  it.each(misfits)('refuses %s %j at %s', async (type, params, field, message) => {
    const problems = await checkCredentialRefs([node('n1', type, params)], typeOf);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ nodeId: 'n1', field });
    expect(problems[0].message).toMatch(message);
  });
});
