/** The node panel's schema → widget choice, against the real node catalogue and hand-written schemas. */
import { describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../../../nodes/registry.js';
import { extraNodeTypes } from '../../../server/node-set.js';
import type { JsonSchema } from '../../../web/src/api/types.js';
import { enumValues, parseLoose, widgetOf, humanize } from '../../../web/src/editor/schema-widgets.js';

const catalogue = new Map(createNodeRegistry(extraNodeTypes()).all().map((n) => [n.type, JSON.parse(JSON.stringify(n.params)) as JsonSchema]));
const widget = (type: string, key: string) => widgetOf(catalogue.get(type)?.properties?.[key] ?? {}, key);

describe('schema widgets', () => {
  it('gives the catalogue\'s params the intended widgets', () => {
    expect(widget('transform', 'code')).toBe('code');
    expect(widget('condition', 'expression')).toBe('code');
    expect(widget('email', 'subject')).toBe('template');
    expect(widget('validate', 'schema')).toBe('json');
    expect(widget('webhook', 'methods')).toBe('multi');
    expect(widget('webhook', 'accept')).toBe('list');
    expect(widget('webhook', 'auth')).toBe('object');
    expect(widget('webhook', 'dedupWindowSec')).toBe('number');
    expect(widget('inventory', 'operation')).toBe('enum');
    expect(widget('inventory', 'allowNegative')).toBe('boolean');
    expect(widget('respond', 'status')).toBe('template');
    expect(widget('respond', 'body')).toBe('json');
  });

  it('reads enums in both spellings', () => {
    expect(enumValues({ enum: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(enumValues({ anyOf: [{ const: 'x' }, { const: 'y' }] })).toEqual(['x', 'y']);
    expect(enumValues({ anyOf: [{ const: 'x' }, { type: 'string' }] })).toBeUndefined();
    expect(widgetOf(catalogue.get('webhook')?.properties?.auth?.properties?.kind ?? {}, 'kind')).toBe('enum');
  });

  it('falls back to raw JSON for what it cannot draw', () => {
    expect(widgetOf({ type: 'object' }, 'x')).toBe('json');
    expect(widgetOf({ type: 'array', items: { type: 'object' } }, 'x')).toBe('json');
    expect(widgetOf({}, 'x')).toBe('json');
  });

  it('parses template-or-literal text', () => {
    expect(parseLoose('201')).toBe(201);
    expect(parseLoose('true')).toBe(true);
    expect(parseLoose('{{ input.status }}')).toBe('{{ input.status }}');
    expect(parseLoose('')).toBeUndefined();
  });
});

describe('humanize', () => {
  it.each([
    ['timeoutMs', 'Timeout (ms)'], ['credentialId', 'Credential'], ['toleranceSec', 'Tolerance (s)'],
    ['maxBodyBytes', 'Max body (bytes)'], ['rateLimitPerMin', 'Rate limit (per min)'], ['url', 'URL'],
    ['idempotencyHeader', 'Idempotency header'], ['code', 'Code'], ['schema', 'Schema'], ['id', 'ID'],
    ['timestampHeader', 'Timestamp header'], ['sku', 'SKU'], ['', ''],
  ])('%s → %s', (key, label) => {
    expect(humanize(key)).toBe(label);
  });
});
