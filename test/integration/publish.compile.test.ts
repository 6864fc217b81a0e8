/** Nothing unrunnable is saved (issue 11, part 2, server side): code is compiled in the sandbox child, never run, at save and at publish. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { post } from '../helpers/flows.js';

const flow = (code: string, extra: Record<string, unknown>[] = [], active = true) => ({
  name: 'compile me', active,
  nodes: [
    { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
    { id: 'calc', type: 'transform', params: { code } },
    ...extra,
  ],
  edges: [{ from: 'hook', to: 'calc' }],
});

describe('compile at save', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('A-19: refuses a transform that does not compile with 400 naming node, field, line and column, and keeps the old version', async () => {
    const created = await t.api('POST', '/api/flows', flow('return { ok: 1 };'));
    expect(created.status).toBe(201);
    const bad = await t.api('PUT', `/api/flows/${created.body.id}`, flow('const a = 1;\nconst broken = (1 + ;\nreturn broken;'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_flow');
    expect(bad.body.error.details).toEqual([{ nodeId: 'calc', field: 'params.code', line: 2, column: 21, message: "line 2, column 21: SyntaxError: Unexpected token ';'" }]);
    expect(bad.body.error.message).toBe(`node "calc", field "params.code": line 2, column 21: SyntaxError: Unexpected token ';'`);
    const now = await t.api('GET', `/api/flows/${created.body.id}`);
    expect(now.body.version).toBe(1);
    const res = await post(created.body.webhook.url, '{}');
    expect(await res.json()).toEqual({ ok: 1 });
  });

  it('never runs the code it compiles, and refuses an escape out of the function body', async () => {
    const loop = await t.api('POST', '/api/flows', flow('while (true) {}', [], false));
    expect(loop.status).toBe(201);
    const escape = await t.api('POST', '/api/flows', flow('}); (async function () {', [], false));
    expect(escape.status).toBe(400);
    expect(escape.body.error.details[0]).toMatchObject({ nodeId: 'calc', field: 'params.code', message: expect.stringContaining('SyntaxError') });
  });

  it('checks a condition expression as the expression it is, columns in the user\'s own line', async () => {
    const cond = { id: 'gate', type: 'condition', params: { expression: 'input.body.total >' } };
    const r = await t.api('POST', '/api/flows', { ...flow('return input;', [cond], false), edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'gate' }] });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ nodeId: 'gate', field: 'params.expression', line: 2, column: 1 })]);
    const ok = await t.api('POST', '/api/flows', { ...flow('return input;', [{ ...cond, params: { expression: 'input.body.total > 10;' } }], false), edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'gate' }] });
    expect(ok.status).toBe(201);
    const col = await t.api('POST', '/api/flows', { ...flow('return input;', [{ ...cond, params: { expression: 'input.a ) 2' } }], false), edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'gate' }] });
    // `return (input.a )` closes the wrapper's parenthesis: the unexpected token is the `2`, column 11 of the user's line.
    expect(col.body.error.details[0]).toMatchObject({ line: 1, column: 11, message: 'line 1, column 11: SyntaxError: Unexpected number' });
  });

  it('publishes only a version that passes every check', async () => {
    const created = await t.api('POST', '/api/flows', flow('return { v: 1 };'));
    const { id } = created.body;
    await t.api('PUT', `/api/flows/${id}`, flow('return { v: 2 };'));
    // A version stored before code was checked at save (written straight to the database here).
    const doc = JSON.stringify({ nodes: flow('return (;').nodes, edges: flow('').edges });
    t.app.store.raw.db.prepare('INSERT INTO flow_versions (flow_id, version, doc, created_at) VALUES (?, 3, ?, 0)').run(id, doc);
    t.app.store.raw.db.prepare('UPDATE flows SET version = 3, doc = ? WHERE id = ?').run(doc, id);
    const refused = await t.api('POST', `/api/flows/${id}/publish`, {});
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]).toMatchObject({ nodeId: 'calc', field: 'params.code', line: 1 });
    expect((await t.api('GET', `/api/flows/${id}`)).body.publishedVersion).toBe(1);
    expect((await t.api('POST', `/api/flows/${id}/publish`, { version: 2 })).body.publishedVersion).toBe(2);
  });

  it('a runtime failure answers the sync caller a generic 500: no isolated-vm stack, no code position (A-13)', async () => {
    const created = await t.api('POST', '/api/flows', flow('const x = null;\nreturn x.boom;'));
    const res = await post(created.body.webhook.url, '{}');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'execution_failed', message: 'the execution failed; see its execution record', executionId: expect.any(String) }, executionId: expect.any(String) });
    expect(text).not.toMatch(/isolated-vm|TypeError|boom|<anonymous>|\bat /);
  });
});
