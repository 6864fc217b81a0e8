/** The listen panel's pure pieces: sample payload from a capture, the validate target and its value, headers merge, display helpers. */
import { describe, expect, it } from 'vitest';
import type { CaptureDetail } from '../../../server/flows/capture-view.js';
import type { EditorNode } from '../../../web/src/editor/flow-doc.js';
import { formatBytes, formatLeft, rowsFor, samplePayload, schemaFor, validateTarget, valueAtPath } from '../../../web/src/editor/capture-actions.js';
import { mergeHeaders, parseHeaders } from '../../../web/src/editor/test-headers.js';

const capture = (over: Partial<CaptureDetail> = {}): CaptureDetail => ({
  id: 'cap_1', receivedAt: '2026-11-28T10:00:00.000Z', method: 'POST', query: { a: '1' }, headers: { 'content-type': 'application/json' },
  contentType: 'application/json', size: 14, body: '{"x":1,  "y":2}', bodyEncoding: 'utf8', truncated: false,
  signature: { ok: true, reason: null, kind: 'hmac', preset: 'github' }, clientAddress: '127.0.0.1', live: false,
  trigger: { method: 'POST', headers: { 'x-e': 'ping' }, query: { a: '1' }, body: { x: 1, y: 2 } },
  ...over,
});
const node = (id: string, type: string, params: Record<string, unknown> = {}, selected = false): EditorNode =>
  ({ id, type: 'hookflow', position: { x: 0, y: 0 }, data: { nodeType: type, params }, selected });

describe('capture actions', () => {
  it('keeps a JSON body exactly as sent, and shows other bodies as the webhook parsed them', () => {
    expect(samplePayload(capture())).toBe('{"x":1,  "y":2}');
    const form = capture({ contentType: 'application/x-www-form-urlencoded', body: 'x=1', trigger: { method: 'POST', headers: {}, query: {}, body: { x: '1' } } });
    expect(JSON.parse(samplePayload(form))).toEqual({ x: '1' });
    expect(samplePayload(capture({ body: '{broken' }))).toBe(JSON.stringify({ x: 1, y: 2 }, null, 2));
  });

  it('targets the selected validate node, else the first', () => {
    const nodes = [node('hook', 'webhook'), node('v1', 'validate'), node('v2', 'validate', {}, true)];
    expect(validateTarget(nodes)?.id).toBe('v2');
    expect(validateTarget(nodes.map((n) => ({ ...n, selected: false })))?.id).toBe('v1');
    expect(validateTarget([node('hook', 'webhook')])).toBeUndefined();
  });

  it("reads the validate node's path from the request envelope", () => {
    expect(valueAtPath(capture(), undefined)).toEqual({ x: 1, y: 2 });
    expect(valueAtPath(capture(), 'body.x')).toBe(1);
    expect(valueAtPath(capture(), 'headers')).toEqual({ 'x-e': 'ping' });
    expect(valueAtPath(capture(), '')).toMatchObject({ method: 'POST', query: { a: '1' } });
    expect(valueAtPath(capture(), 'body.nope.deeper')).toBeUndefined();
    expect(valueAtPath(capture(), 'body.constructor')).toBeUndefined();
    expect(schemaFor(capture(), node('v', 'validate', { path: 'body' }))).toEqual({ type: 'object', required: ['x', 'y'], properties: { x: { type: 'integer' }, y: { type: 'integer' } } });
    expect(schemaFor(capture(), node('v', 'validate', { path: 'body.missing' }))).toBeUndefined();
  });

  it('merges signed headers over typed ones, case-insensitively', () => {
    expect(mergeHeaders({ 'X-Hub-Signature-256': 'old', 'x-shop': 'demo' }, { 'x-hub-signature-256': 'new' })).toEqual({ 'x-shop': 'demo', 'x-hub-signature-256': 'new' });
    expect(parseHeaders('{"a": 1}')).toBe('Header "a" must be a string.');
    expect(parseHeaders('')).toEqual({});
  });

  it('formats sizes, the countdown and textarea rows', () => {
    expect([formatBytes(12), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(['12 B', '2.0 KiB', '3.0 MiB']);
    expect([formatLeft(245_000), formatLeft(-5), formatLeft(59_001)]).toEqual(['4:05', '0:00', '1:00']);
    expect(rowsFor('{}')).toBe(2);
    expect(rowsFor(`{\n  "sig": "${'a'.repeat(80)}"\n}`)).toBe(5);
    expect(rowsFor('x\n'.repeat(40))).toBe(10);
  });
});
