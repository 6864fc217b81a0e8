// E-9: the SMTP host goes through the http node's address policy; private answers come from a stub resolver, nothing connects.
import { describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { NodeError } from '../../../nodes/contract.js';
import { createAddressGuard } from '../../../server/adapters/address-guard.js';
import { smtpTarget } from '../../../server/adapters/smtp-target.js';

const stub = (answers: Record<string, string[]>) => async (host: string): Promise<LookupAddress[]> => {
  const list = answers[host];
  if (!list) throw Object.assign(new Error(`no such host ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const closed = createAddressGuard({ allowPrivateNetworks: false });

async function refusal(p: Promise<unknown>): Promise<NodeError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(NodeError);
  return e as NodeError;
}

describe('smtpTarget (E-9)', () => {
  it.each([
    ['10.0.0.5', 'private'], ['169.254.169.254', 'link-local'], ['100.64.0.1', 'cgnat'], ['fd00::25', 'private'], ['127.0.0.1', 'loopback'],
  ])('E-9: a name resolving to %s (%s) is ssrf_blocked, permanently', async (address, cls) => {
    const e = await refusal(smtpTarget('mail.example.test', closed, stub({ 'mail.example.test': [address] })));
    expect(e).toMatchObject({ code: 'ssrf_blocked', retryable: false, details: { host: 'mail.example.test', address, class: cls } });
  });

  it('E-9: one blocked address among public ones blocks the host (all answers are checked)', async () => {
    const e = await refusal(smtpTarget('mixed.example.test', closed, stub({ 'mixed.example.test': ['93.184.216.34', '127.0.0.1'] })));
    expect(e.code).toBe('ssrf_blocked');
  });

  it.each(['127.0.0.1', '[::1]', '::1', '[::ffff:7f00:1]', '::ffff:127.0.0.1', '0.0.0.0', '10.1.2.3'])('E-9: the IP literal %s is checked without a lookup', async (host) => {
    const e = await refusal(smtpTarget(host, closed, stub({})));
    expect(e.code).toBe('ssrf_blocked');
  });

  it('E-9: a public answer is pinned: connect to the checked address, TLS keeps the name', async () => {
    expect(await smtpTarget('smtp.example.test', closed, stub({ 'smtp.example.test': ['93.184.216.34'] }))).toEqual({ address: '93.184.216.34', servername: 'smtp.example.test' });
  });

  it('E-9: HOOKFLOW_ALLOWED_HOSTS lets a local relay through, by name or by address; the private-networks switch lifts it all', async () => {
    const relay = stub({ 'relay.internal': ['10.0.0.25'] });
    expect(await smtpTarget('relay.internal', createAddressGuard({ allowPrivateNetworks: false, allowList: ['relay.internal'] }), relay)).toEqual({ address: '10.0.0.25', servername: 'relay.internal' });
    expect(await smtpTarget('127.0.0.1', createAddressGuard({ allowPrivateNetworks: false, allowList: ['127.0.0.1'] }), stub({}))).toEqual({ address: '127.0.0.1' });
    expect((await smtpTarget('relay.internal', createAddressGuard({ allowPrivateNetworks: true }), relay)).address).toBe('10.0.0.25');
  });

  it('a name that does not resolve is retryable smtp_transient', async () => {
    expect(await refusal(smtpTarget('gone.example.test', closed, stub({})))).toMatchObject({ code: 'smtp_transient', retryable: true });
  });
});
