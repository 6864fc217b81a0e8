// Params validation: save time accepts templates where a field is Templatable; run time (after rendering) is strict.
import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createParamsValidator } from '../../../server/flows/params-validator.js';
import { Templatable } from '../../../nodes/schema.js';
import { RespondParams } from '../../../nodes/respond.js';
import { DelayParams } from '../../../nodes/delay.js';
import { TransformParams } from '../../../nodes/transform.js';
import { WebhookParams } from '../../../nodes/webhook.js';

const fields = (problems: Array<{ field: string }>): string[] => [...new Set(problems.map((p) => p.field))];

describe('checkSaved and checkRendered on templatable fields', () => {
  it.each([
    { name: 'respond status as a number', schema: RespondParams, params: { status: 201 }, saved: [], rendered: [] },
    { name: 'respond status as a whole template', schema: RespondParams, params: { status: '{{ input.code }}' }, saved: [], rendered: ['status'] },
    { name: 'respond status as a template inside text', schema: RespondParams, params: { status: 'code {{ input.code }}' }, saved: [], rendered: ['status'] },
    { name: 'respond status as a numeric string', schema: RespondParams, params: { status: '201' }, saved: ['status'], rendered: ['status'] },
    { name: 'respond status abc', schema: RespondParams, params: { status: 'abc' }, saved: ['status'], rendered: ['status'] },
    { name: 'respond status out of range', schema: RespondParams, params: { status: 600 }, saved: ['status'], rendered: ['status'] },
    { name: 'delay ms as a number', schema: DelayParams, params: { ms: 5000 }, saved: [], rendered: [] },
    { name: 'delay ms as a template', schema: DelayParams, params: { ms: '{{ input.ms }}' }, saved: [], rendered: ['ms'] },
    { name: 'delay ms negative', schema: DelayParams, params: { ms: -1 }, saved: ['ms'], rendered: ['ms'] },
    { name: 'delay until as a date-time', schema: DelayParams, params: { until: '2030-01-01T00:00:00Z' }, saved: [], rendered: [] },
    { name: 'delay until as a template', schema: DelayParams, params: { until: '{{ input.at }}' }, saved: [], rendered: ['until'] },
    { name: 'delay until as a non-date', schema: DelayParams, params: { until: 'next tuesday' }, saved: ['until'], rendered: ['until'] },
  ])('$name: saved → $saved, rendered → $rendered', ({ schema, params, saved, rendered }) => {
    const pv = createParamsValidator();
    expect(fields(pv.checkSaved(schema, params))).toEqual(saved);
    expect(fields(pv.checkRendered(schema, params))).toEqual(rendered);
  });

  it('no longer accepts a template string for a number field after rendering', () => {
    const pv = createParamsValidator();
    expect(pv.checkSaved(RespondParams, { status: '{{ input.code }}' })).toEqual([]);
    expect(pv.checkRendered(RespondParams, { status: '{{ input.code }}' })).toEqual([{ field: 'status', message: 'must be integer' }]);
  });

  it('accepts what a template rendered to when it has the right type', () => {
    expect(createParamsValidator().checkRendered(RespondParams, { status: 404, headers: { 'x-a': 'b' }, body: { ok: false } })).toEqual([]);
  });

  it('keeps the save-time and run-time checks of one schema apart, in either order', () => {
    const pv = createParamsValidator();
    const templated = { ms: '{{ input.ms }}' };
    expect(pv.checkRendered(DelayParams, templated)).not.toEqual([]);
    expect(pv.checkSaved(DelayParams, templated)).toEqual([]);
    expect(pv.checkRendered(DelayParams, templated)).not.toEqual([]);
    expect(pv.checkSaved(DelayParams, templated)).toEqual([]);
  });

  it('gives the same answers on repeated calls (compiled validators are reused)', () => {
    const pv = createParamsValidator();
    for (let i = 0; i < 3; i++) {
      expect(pv.checkSaved(RespondParams, { status: 'abc' }).length).toBeGreaterThan(0);
      expect(pv.checkSaved(RespondParams, { status: 200 })).toEqual([]);
    }
  });

  it('applies strictness inside nested objects and arrays', () => {
    const schema = Type.Object({
      items: Type.Array(Type.Object({ qty: Templatable(Type.Integer({ minimum: 1 })) }, { additionalProperties: false })),
    }, { additionalProperties: false });
    const pv = createParamsValidator();
    const params = { items: [{ qty: 2 }, { qty: '{{ input.qty }}' }] };
    expect(pv.checkSaved(schema, params)).toEqual([]);
    expect(pv.checkRendered(schema, params)).toEqual([{ field: 'items.1.qty', message: 'must be integer' }]);
  });
});

describe('fields and messages of problems', () => {
  it.each([
    { name: 'a missing required param', schema: TransformParams, params: {}, field: 'code', message: 'is required' },
    { name: 'an unknown param', schema: TransformParams, params: { code: 'return 1', lang: 'py' }, field: 'lang', message: 'is not a known parameter' },
    { name: 'an unknown nested param', schema: WebhookParams, params: { response: { mode: 'sync', wait: 1 } }, field: 'response.wait', message: 'is not a known parameter' },
    { name: 'a bad array item', schema: WebhookParams, params: { methods: ['POST', 'FOO'] }, field: 'methods.1', message: expect.any(String) },
    { name: 'a repeated array item', schema: WebhookParams, params: { methods: ['POST', 'POST'] }, field: 'methods', message: expect.any(String) },
    { name: 'a nested pattern', schema: WebhookParams, params: { auth: { kind: 'header', header: 'x y' } }, field: 'auth.header', message: expect.stringMatching(/pattern/) },
    { name: 'a too-small integer', schema: TransformParams, params: { code: 'x', timeoutMs: 1 }, field: 'timeoutMs', message: 'must be >= 10' },
    { name: 'a template in a plain number field', schema: TransformParams, params: { code: 'x', timeoutMs: '{{ input.t }}' }, field: 'timeoutMs', message: 'must be integer' },
    { name: 'a wrong templatable value', schema: RespondParams, params: { status: true }, field: 'status', message: 'has the wrong type or format (a template "{{ … }}" may stand here too)' },
  ])('$name → $field', ({ schema, params, field, message }) => {
    const problems = createParamsValidator().checkSaved(schema, params);
    expect(problems.length).toBeGreaterThan(0);
    expect(fields(problems)).toEqual([field]);
    expect(problems).toContainEqual({ field, message });
  });

  it.each([null, 'text', 3, ['code']])('names the params themselves when they are %j', (params) => {
    expect(createParamsValidator().checkSaved(TransformParams, params)).toEqual([{ field: '(params)', message: 'must be object' }]);
  });

  it('does not write defaults into the params it checks', () => {
    const params = { response: { mode: 'sync' } };
    createParamsValidator().checkRendered(WebhookParams, params);
    expect(params).toEqual({ response: { mode: 'sync' } });
  });
});
