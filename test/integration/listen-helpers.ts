/** Shared pieces of the listen tests: a github-signed flow, signing, and counting stored rows. */
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { signPreset } from '../../server/ingress/signing.js';

export const SECRET = "It's a Secret to Everybody";
export const BODY = '{"id":"ord_1","items":[{"sku":"A-1","qty":2}],"total":19.9}';
export const JSON_CT = { 'content-type': 'application/json' };

/** Headers of a GitHub delivery of `body` signed with `secret`. */
export const github = (body: string, secret = SECRET): Record<string, string> =>
  ({ ...JSON_CT, ...signPreset({ kind: 'hmac', preset: 'github' }, secret, body, Math.floor(Date.now() / 1000)) });

/** A flow whose webhook checks the github preset with `credentialId`; inactive unless `active`. */
export async function listenFlow(t: TestApp, credentialId: string, params: Record<string, unknown> = {}, active = false): Promise<{ id: string; hook: string }> {
  const r = await t.api('POST', '/api/flows', { name: 'listen', active, nodes: [{ id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset: 'github', credentialId }, ...params } }], edges: [] });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { id: r.body.id, hook: r.body.webhook.url };
}

export const capturesOf = async (t: TestApp, flowId: string) => (await t.api('GET', `/api/flows/${flowId}/captures`)).body;

/** Rows of `table` (captures, capture_windows) for a flow, read straight from the database file. */
export const rowCount = (t: TestApp, table: 'captures' | 'capture_windows', flowId: string): number =>
  t.app.store.raw.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE flow_id = ?`).pluck().get(flowId) as number;
