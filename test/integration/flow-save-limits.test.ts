// Save-time refusals of hostile flow documents: A-18 (params nested too deep), H-18 (an http node calling its own flow's URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';

describe('flow save limits', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  const raw = (method: string, path: string, body: string) =>
    fetch(`${t.url}${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body });

  it('A-18: a param nested 50,000 deep is a 400 naming the node and the field, and nothing is stored', async () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const doc = (body: string) => `{"name":"deep","nodes":[{"id":"hook","type":"webhook","params":{}},{"id":"r","type":"respond","params":{"status":200,"body":${body}}}],"edges":[{"from":"hook","to":"r"}]}`;
    const before = (await t.api('GET', '/api/flows')).body.total;
    const res = await raw('POST', '/api/flows', doc(deep));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.details).toContainEqual({ nodeId: 'r', field: 'params.body', message: expect.stringMatching(/deeper than 64/) });
    expect((await t.api('GET', '/api/flows')).body.total).toBe(before);
    // On update too, and the stored version is untouched.
    const ok = await raw('POST', '/api/flows', doc('{"fine":[1,2,3]}'));
    expect(ok.status).toBe(201);
    const { id } = await ok.json();
    const put = await raw('PUT', `/api/flows/${id}`, doc(deep));
    expect(put.status).toBe(400);
    expect((await put.json()).error.details[0]).toMatchObject({ nodeId: 'r', field: 'params.body' });
    expect((await t.api('GET', `/api/flows/${id}`)).body.version).toBe(1);
    // 64 levels are still fine; 65 are not.
    const edge = '['.repeat(64) + ']'.repeat(64);
    expect((await raw('PUT', `/api/flows/${id}`, doc(edge))).status).toBe(200);
    expect((await raw('PUT', `/api/flows/${id}`, doc(`[${edge}]`))).status).toBe(400);
    // A test run's payload has the webhook body's cap.
    const run = await raw('POST', `/api/flows/${id}/test`, `{"body":${deep}}`);
    expect(run.status).toBe(400);
    expect((await run.json()).error.details).toEqual([{ field: 'body', message: expect.stringMatching(/deeper than 64/) }]);
  });
});
