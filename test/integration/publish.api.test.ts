/** Drafts and publishing over the API (issue 11, part 1): saves are drafts, webhooks run the published version. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { post, finished } from '../helpers/flows.js';

const doc = (tag: string, active = true) => ({
  name: 'publish me', active,
  nodes: [
    { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
    { id: 'answer', type: 'respond', params: { status: 200, body: { tag } } },
  ],
  edges: [{ from: 'hook', to: 'answer' }],
});

describe('drafts and publishing', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  const fire = async (url: string) => {
    const res = await post(url, '{}');
    return { status: res.status, tag: ((await res.json()) as { tag?: string }).tag };
  };

  it('a save is a draft: webhooks keep running the published version until it is published', async () => {
    const created = await t.api('POST', '/api/flows', doc('v1'));
    expect(created.body).toMatchObject({ version: 1, publishedVersion: 1, latestVersion: 1 });
    const { id } = created.body;
    const url = created.body.webhook.url as string;
    expect(await fire(url)).toEqual({ status: 200, tag: 'v1' });

    const saved = await t.api('PUT', `/api/flows/${id}`, doc('v2'));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 2, publishedVersion: 1, latestVersion: 2 });
    expect(await fire(url)).toEqual({ status: 200, tag: 'v1' });
    const live = await t.api('GET', `/api/executions?flowId=${id}`);
    expect(live.body.items[0]).toMatchObject({ flowVersion: 1, mode: 'sync' });
    // A rerun is the delivery again: it runs the published version, not the draft.
    const rerun = await t.api('POST', `/api/executions/${live.body.items[0].id}/replay`, {});
    expect((await finished(t, rerun.body.executionId)).flowVersion).toBe(1);

    // Test runs use the draft, and record the version they ran.
    const test = await t.api('POST', `/api/flows/${id}/test`, { body: {} });
    expect(test.body).toMatchObject({ flowVersion: 2, status: 'succeeded' });
    // A rerun of a test run is a test again: the draft.
    const retest = await t.api('POST', `/api/executions/${test.body.id}/replay`, {});
    expect((await finished(t, retest.body.executionId)).flowVersion).toBe(2);
    expect(test.body.steps.find((s: { nodeId: string }) => s.nodeId === 'answer').output.body).toEqual({ tag: 'v2' });

    // The webhook's docs describe what the webhook runs: the published version, not the draft.
    await t.api('PUT', `/api/flows/${id}`, { ...doc('v2'), nodes: [{ id: 'hook', type: 'webhook', params: { methods: ['PUT'], response: { mode: 'sync' } } }, doc('v2').nodes[1]] });
    expect((await t.api('GET', `/api/flows/${id}/docs`)).body.methods).toEqual(['POST']);
    await t.api('PUT', `/api/flows/${id}`, doc('v2'));

    const pub = await t.api('POST', `/api/flows/${id}/publish`, {});
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ publishedVersion: 4, latestVersion: 4 });
    expect(await fire(url)).toEqual({ status: 200, tag: 'v2' });

    const back = await t.api('POST', `/api/flows/${id}/publish`, { version: 1 });
    expect(back.body).toMatchObject({ publishedVersion: 1, latestVersion: 4 });
    expect(await fire(url)).toEqual({ status: 200, tag: 'v1' });
    expect((await t.api('POST', `/api/flows/${id}/publish`, { version: 9 })).status).toBe(404);
    expect((await t.api('POST', `/api/flows/${id}/publish`, { version: 'two' })).status).toBe(400);
    expect((await t.api('POST', '/api/flows/flw_nope/publish', {})).status).toBe(404);
  });

  it('publishes on save with ?publish=true or "publish": true', async () => {
    const created = await t.api('POST', '/api/flows?publish=true', doc('a', false));
    expect(created.body).toMatchObject({ active: false, publishedVersion: 1 });
    const { id } = created.body;
    expect((await t.api('PUT', `/api/flows/${id}?publish=true`, doc('b'))).body).toMatchObject({ version: 2, publishedVersion: 2 });
    expect((await t.api('PUT', `/api/flows/${id}`, { ...doc('c'), publish: true })).body).toMatchObject({ version: 3, publishedVersion: 3 });
    expect(await fire(created.body.webhook.url)).toEqual({ status: 200, tag: 'c' });
    expect((await t.api('PUT', `/api/flows/${id}?publish=maybe`, doc('d'))).status).toBe(400);
  });

  it('a flow never published is not live; activating it publishes its latest version', async () => {
    const created = await t.api('POST', '/api/flows', doc('x', false));
    expect(created.body.publishedVersion).toBeNull();
    const { id } = created.body;
    await t.api('PUT', `/api/flows/${id}`, doc('y', false));
    expect((await post(created.body.webhook.url, '{}')).status).toBe(404);
    const on = await t.api('POST', `/api/flows/${id}/activate`);
    expect(on.body).toMatchObject({ active: true, publishedVersion: 2 });
    expect(await fire(created.body.webhook.url)).toEqual({ status: 200, tag: 'y' });
  });

  it('lists versions with who saved them and when, and restores an old one as a new draft', async () => {
    const created = await t.api('POST', '/api/flows', doc('one'));
    const { id } = created.body;
    await t.api('PUT', `/api/flows/${id}`, doc('two'));
    const list = await t.api('GET', `/api/flows/${id}/versions`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, publishedVersion: 1, latestVersion: 2 });
    expect(list.body.items.map((v: { version: number; savedBy: string; published: boolean }) => [v.version, v.savedBy, v.published])).toEqual([
      [2, 'api token (HOOKFLOW_API_TOKEN)', false], [1, 'api token (HOOKFLOW_API_TOKEN)', true],
    ]);
    expect(Number.isNaN(Date.parse(list.body.items[0].savedAt))).toBe(false);

    const restored = await t.api('POST', `/api/flows/${id}/versions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ version: 3, latestVersion: 3, publishedVersion: 1 });
    expect(restored.body.nodes.find((n: { id: string }) => n.id === 'answer').params.body).toEqual({ tag: 'one' });
    expect((await t.api('POST', `/api/flows/${id}/versions/7/restore`)).status).toBe(404);
    expect((await t.api('GET', '/api/flows/flw_nope/versions')).status).toBe(404);
    const e = await finished(t, (await t.api('POST', `/api/flows/${id}/test`, { body: {}, wait: false })).body.executionId);
    expect(e.flowVersion).toBe(3);
  });
});
