import { describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { createAddressGuard, SsrfBlockedError, type GuardPolicy } from '../../../server/adapters/address-guard.js';
import { createSafeLookup, type Resolver } from '../../../server/adapters/safe-lookup.js';

// These tests call the lookup hook directly: nothing connects. Every stub answer that is not loopback is
// additionally watched by a `beforeConnect` hook that records it, so a test can prove it never got that far.

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

function stub(table: Record<string, LookupAddress[] | LookupAddress[][]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const counts = new Map<string, number>();
  const fn = async (host: string): Promise<LookupAddress[]> => {
    calls.push(host);
    const n = counts.get(host) ?? 0;
    counts.set(host, n + 1);
    const entry = table[host];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    const answers = Array.isArray(entry[0]) ? (entry as LookupAddress[][])[Math.min(n, entry.length - 1)] : (entry as LookupAddress[]);
    return answers;
  };
  return Object.assign(fn, { calls });
}

type Result = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

const call = (lookup: LookupFunction, host: string, options: { all?: boolean; family?: number } = { all: true }): Promise<Result> =>
  new Promise((resolve) => lookup(host, options, (err, address, family) => resolve({ err, address, family })));

function setup(resolver: Resolver, policy: GuardPolicy = { allowPrivateNetworks: false }) {
  const approved: string[] = [];
  const lookup = createSafeLookup({ guard: createAddressGuard(policy), resolver, beforeConnect: (_h, a) => { approved.push(a); } });
  return { lookup, approved };
}

describe('safe lookup', () => {
  it('returns the checked addresses of a public name (all: true) and the first one (all: false)', async () => {
    const { lookup } = setup(stub({ 'example.test': [v4('93.184.215.14'), v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c')] }));
    const all = await call(lookup, 'example.test');
    expect(all.err).toBeNull();
    expect(all.address).toEqual([v4('93.184.215.14'), v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c')]);
    const one = await call(lookup, 'example.test', {});
    expect([one.address, one.family]).toEqual(['93.184.215.14', 4]);
    const six = await call(lookup, 'example.test', { family: 6 });
    expect(six.address).toBe('2606:2800:21f:cb07:6820:80da:af6b:8b2c');
  });

  it('H-3: blocks a name that resolves to loopback', async () => {
    const { lookup, approved } = setup(stub({ 'evil.test': [v4('127.0.0.1')] }));
    const r = await call(lookup, 'evil.test');
    expect(r.err).toBeInstanceOf(SsrfBlockedError);
    expect(r.err).toMatchObject({ code: 'ESSRFBLOCKED', host: 'evil.test', address: '127.0.0.1', addressClass: 'loopback' });
    expect(approved).toEqual([]);
  });

  it('H-3: blocks a name when ANY of its addresses is blocked, whatever the order', async () => {
    const { lookup, approved } = setup(stub({
      'mixed.test': [v4('93.184.215.14'), v4('127.0.0.1')],
      'mixed6.test': [v6('::1'), v4('93.184.215.14')],
    }));
    expect((await call(lookup, 'mixed.test')).err).toMatchObject({ address: '127.0.0.1' });
    expect((await call(lookup, 'mixed6.test')).err).toMatchObject({ address: '::1' });
    // even when the caller only wants the other family
    expect((await call(lookup, 'mixed.test', { family: 4, all: false })).err).toBeInstanceOf(SsrfBlockedError);
    expect(approved).toEqual([]);
  });

  it('H-4: checks every lookup again, so a rebinding answer is caught at connect time', async () => {
    const resolver = stub({ 'rebind.test': [[v4('93.184.215.14')], [v4('127.0.0.1')]] });
    const { lookup, approved } = setup(resolver);
    expect((await call(lookup, 'rebind.test')).address).toEqual([v4('93.184.215.14')]);
    const second = await call(lookup, 'rebind.test');
    expect(second.err).toMatchObject({ code: 'ESSRFBLOCKED', address: '127.0.0.1' });
    expect(resolver.calls).toEqual(['rebind.test', 'rebind.test']);
    expect(approved).toEqual(['93.184.215.14']);
  });

  it.each([
    ['10.0.0.1', 'private'], ['169.254.169.254', 'link-local'], ['100.64.0.1', 'cgnat'], ['0.0.0.0', 'unspecified'],
    ['fd00::1', 'private'], ['fe80::1', 'link-local'], ['::ffff:a9fe:a9fe', 'link-local'], ['224.0.0.1', 'multicast'],
  ])('blocks a stub answer of %s (%s) before anything could connect', async (address, cls) => {
    const { lookup, approved } = setup(stub({ 'internal.test': [address.includes(':') ? v6(address) : v4(address)] }));
    const r = await call(lookup, 'internal.test');
    expect(r.err).toMatchObject({ code: 'ESSRFBLOCKED', addressClass: cls });
    expect(approved).toEqual([]);
  });

  it('H-2: localhost spelled with a trailing dot or in capitals is resolved and blocked', async () => {
    const { lookup } = setup(stub({ 'localhost.': [v4('127.0.0.1'), v6('::1')], localhost: [v6('::1')] }));
    expect((await call(lookup, new URL('http://localhost./').hostname)).err).toBeInstanceOf(SsrfBlockedError);
    expect((await call(lookup, new URL('http://LocalHost/').hostname)).err).toBeInstanceOf(SsrfBlockedError);
  });

  it('passes resolver failures through unchanged, and refuses an empty answer', async () => {
    const { lookup } = setup(stub({ 'empty.test': [] }));
    expect((await call(lookup, 'nowhere.test')).err).toMatchObject({ code: 'ENOTFOUND' });
    expect((await call(lookup, 'empty.test')).err).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('lets private answers through when private networks are allowed', async () => {
    const { lookup, approved } = setup(stub({ 'intranet.test': [v4('10.0.0.1')] }), { allowPrivateNetworks: true });
    expect((await call(lookup, 'intranet.test')).address).toEqual([v4('10.0.0.1')]);
    expect(approved).toEqual(['10.0.0.1']);
  });

  it('lets allow-listed names and CIDRs through, and nothing else', async () => {
    const resolver = stub({
      'hooks.internal': [v4('10.0.0.5')], 'a.corp.example': [v4('192.168.1.1')], 'corp.example': [v4('192.168.1.1')],
      'in-range.test': [v4('10.1.2.3')], 'out-of-range.test': [v4('10.2.0.1')], 'v6.test': [v6('fd00::5')],
    });
    const { lookup } = setup(resolver, { allowPrivateNetworks: false, allowList: ['Hooks.Internal.', '*.corp.example', '10.1.0.0/16', 'fd00::/64'] });
    expect((await call(lookup, 'hooks.internal')).err).toBeNull();
    expect((await call(lookup, 'a.corp.example')).err).toBeNull();
    expect((await call(lookup, 'corp.example')).err).toBeInstanceOf(SsrfBlockedError);
    expect((await call(lookup, 'in-range.test')).err).toBeNull();
    expect((await call(lookup, 'out-of-range.test')).err).toBeInstanceOf(SsrfBlockedError);
    expect((await call(lookup, 'v6.test')).err).toBeNull();
  });
});
