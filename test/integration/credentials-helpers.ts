/** Shared pieces of the credentials and inbound-auth integration tests: a node that reads a credential, canary encodings. */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, type NodeType } from '../../nodes/contract.js';
import type { TestApp } from '../helpers/app.js';

/** A test-only action node: reads a credential through ctx.credentials and emits its field names and a digest (never values). */
export const readCredentialNode: NodeType = defineNode({
  type: 'test-read-credential',
  title: 'Read credential (test)',
  category: 'action',
  description: 'Reads a credential through the CredentialReader capability; for tests only.',
  params: Type.Object({ credentialId: Type.String(), type: Type.String() }),
  ports: ['out'] as const,
  retry: { maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0, jitter: 0 },
  timeoutMs: 2000,
  effect: 'pure',
  async execute(ctx, _input, params) {
    if (!ctx.credentials) throw permanent('capability_missing', 'no credential reader');
    const data = await ctx.credentials.read(params.credentialId, params.type);
    const digest = createHash('sha256').update(JSON.stringify(data)).digest('hex');
    return { port: 'out', value: { fields: Object.keys(data).sort(), digest } };
  },
});

export const digestOf = (data: Record<string, unknown>): string => createHash('sha256').update(JSON.stringify(data)).digest('hex');

/**
 * The forms a leaked secret could take: raw, JSON-escaped, URL-encoded (both flavours) and base64 / base64url at
 * each of the three byte alignments (the inner characters, which do not depend on neighbouring bytes).
 */
export function canaryForms(canary: string): string[] {
  const forms = new Set([canary, JSON.stringify(canary).slice(1, -1), encodeURIComponent(canary), new URLSearchParams({ c: canary }).toString().slice(2)]);
  for (let pad = 0; pad < 3; pad += 1) {
    const bytes = Buffer.concat([Buffer.alloc(pad, 0x41), Buffer.from(canary)]);
    const start = Math.ceil((pad * 8) / 6) + 1;
    const end = Math.floor((bytes.length * 8) / 6) - 1;
    for (const enc of ['base64', 'base64url'] as const) forms.add(bytes.toString(enc).slice(start, end));
  }
  return [...forms];
}

/** The forms of `canary` found in `text` (empty = clean). */
export const leaks = (text: string | Buffer, canary: string): string[] => {
  const hay = typeof text === 'string' ? text : text.toString('latin1');
  return canaryForms(canary).filter((f) => hay.includes(f));
};

export async function executionCount(t: TestApp, flowId: string): Promise<number> {
  const r = await t.api('GET', `/api/executions?flowId=${flowId}`);
  return r.body.total as number;
}

export async function createCredential(t: TestApp, type: string, data: Record<string, unknown>, name = `${type} credential`): Promise<string> {
  const r = await t.api('POST', '/api/credentials', { name, type, data });
  if (r.status !== 201) throw new Error(`credential not created: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}
