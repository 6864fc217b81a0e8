// test/unit/flows/webhook-docs.test.ts — the pure parts of webhook docs: the sample generator, the payload-schema search, answers filtered per webhook, shell quoting.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { payloadSchemaOf, webhookDocs } from '../../../server/flows/webhook-docs.js';
import { sampleFromSchema } from '../../../server/flows/webhook-sample.js';

const flow = (params: Record<string, unknown>, extra: Array<{ id: string; type: string; params: Record<string, unknown> }> = [], edges: Array<{ from: string; to: string; fromPort?: string }> = []) => ({
  id: 'flw_1', name: 'f', active: true, version: 1, createdAt: '', updatedAt: '', webhook: { url: "http://127.0.0.1:1/hooks/it's" },
  nodes: [{ id: 'hook', type: 'webhook', params }, ...extra], edges,
});

describe('sampleFromSchema', () => {
  it('fills required properties with type-appropriate values, preferring examples, const, defaults and enums', () => {
    const schema = {
      type: 'object', required: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'list'],
      properties: {
        a: { type: 'string', examples: ['ex'] }, b: { type: 'integer', minimum: 5 }, c: { type: 'number', default: 2.5 },
        d: { enum: ['x', 'y'] }, e: { type: 'boolean' }, f: { type: 'string', format: 'date-time' }, g: { const: 7 },
        h: { type: ['null', 'string'], minLength: 10 }, list: { type: 'array', minItems: 2, items: { type: 'integer', exclusiveMinimum: 0 } },
        optional: { type: 'string' },
      },
    };
    const sample = sampleFromSchema(schema);
    expect(sample).toEqual({ a: 'ex', b: 5, c: 2.5, d: 'x', e: true, f: '2026-01-01T00:00:00Z', g: 7, h: 'stringxxxx', list: [1, 1] });
    expect(new Ajv2020({ strict: false }).validate(schema, sample)).toBe(true);
  });

  it('stops at a depth cap on recursive-looking schemas and follows allOf/anyOf', () => {
    expect(sampleFromSchema({ allOf: [{ type: 'object', required: ['x'], properties: { x: { type: 'string' } } }, { required: ['y'], properties: { y: { type: 'integer' } } }] })).toEqual({ x: 'string', y: 1 });
    expect(sampleFromSchema({ anyOf: [{ type: 'boolean' }, { type: 'string' }] })).toBe(true);
    expect(sampleFromSchema('nope')).toBeNull();
  });
});

describe('payloadSchemaOf', () => {
  it('takes the nearest validate node on `body` reachable from the trigger, skipping other paths and unreachable nodes', () => {
    const near = { type: 'object', title: 'near' };
    const f = flow({}, [
      { id: 'other', type: 'validate', params: { path: 'query', schema: { title: 'query' } } },
      { id: 'near', type: 'validate', params: { schema: near } },
      { id: 'far', type: 'validate', params: { path: 'body', schema: { title: 'far' } } },
      { id: 'orphan', type: 'validate', params: { path: 'body', schema: { title: 'orphan' } } },
    ], [{ from: 'hook', to: 'other' }, { from: 'other', fromPort: 'valid', to: 'near' }, { from: 'near', fromPort: 'valid', to: 'far' }]);
    expect(payloadSchemaOf(f, 'hook')).toBe(near);
    expect(payloadSchemaOf(flow({}, [{ id: 'orphan', type: 'validate', params: { schema: {} } }]), 'hook')).toBeNull();
  });
});

describe('webhookDocs', () => {
  it('filters the answers to the webhook: 401 only with auth, 200 duplicate only with an idempotency header, 415 not for */*', () => {
    const open = webhookDocs(flow({ accept: ['*/*'] }));
    const statuses = open?.answers.map((a) => a.status) ?? [];
    expect(statuses).not.toContain(401);
    expect(statuses).not.toContain(415);
    expect(statuses).not.toContain(200);
    const guarded = webhookDocs(flow({ auth: { kind: 'basic', credentialId: 'c' }, idempotencyHeader: 'X-Id', accept: ['text/plain'] }));
    expect(guarded?.answers.map((a) => a.status)).toEqual(expect.arrayContaining([200, 401, 415]));
    expect(guarded?.answers.map((a) => a.status)).not.toContain(400);
    expect(guarded?.auth).toMatchObject({ kind: 'basic', headers: ['Authorization'] });
    expect(guarded?.example.curl).toContain("-H 'Content-Type: text/plain'");
  });

  it('quotes the URL and the body so the shell passes them byte for byte', () => {
    const docs = webhookDocs(flow({}, [{ id: 'v', type: 'validate', params: { schema: { type: 'object', required: ['q'], properties: { q: { const: `it's "$HOME" \`x\`` } } } } }], [{ from: 'hook', to: 'v' }]));
    const setup = (docs?.example.curl ?? '').split('\ncurl ')[0];
    expect(execFileSync('bash', ['-c', `${setup}\nprintf %s "$BODY"`], { env: { PATH: process.env.PATH } }).toString()).toBe(JSON.stringify({ q: `it's "$HOME" \`x\`` }));
    expect(docs?.example.curl).toContain(`'http://127.0.0.1:1/hooks/it'\\''s'`);
  });

  it('returns undefined for a flow without a webhook trigger', () => {
    expect(webhookDocs({ ...flow({}), nodes: [] })).toBeUndefined();
  });
});
