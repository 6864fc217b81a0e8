import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, migrate, type Db } from '../../../server/store/db.js';
import { createEndpointRepo, type EndpointRepo, type EndpointRow } from '../../../server/store/sqlite/endpoints.js';
import { loadConfig } from '../../../server/config.js';

const row = (id: string, origin: string, over: Partial<EndpointRow> = {}): EndpointRow => ({
  id, flowId: null, url: origin, origin, failingSince: null, failures: 0, lastFailureAt: null, lastSuccessAt: 1, lastStatus: 200, lastError: null,
  disabledAt: null, disabledReason: null, createdAt: 1, updatedAt: 1, ...over,
});

const at = (url: string, flowId = '') => ({ flowId, url });

describe('endpoints table', () => {
  let db: Db;
  let repo: EndpointRepo;
  beforeEach(() => {
    db = openDb(':memory:');
    migrate(db);
    repo = createEndpointRepo(db);
  });
  afterEach(() => db.close());

  it('update is a read-modify-write keyed by origin; the first id stays', () => {
    repo.update(at('https://a.example'), () => row('ep_1', 'https://a.example'));
    const seen: Array<EndpointRow | undefined> = [];
    repo.update(at('https://a.example'), (prev) => { seen.push(prev); return row('ep_other', 'https://a.example', { failures: 2, failingSince: 5 }); });
    expect(seen[0]?.id).toBe('ep_1');
    expect(repo.find(at('https://a.example'))).toMatchObject({ id: 'ep_1', failures: 2, failingSince: 5 });
  });

  it('lists by creation order with a cursor, a total and a state filter', () => {
    repo.update(at('https://a.example'), () => row('ep_1', 'https://a.example'));
    repo.update(at('https://b.example'), () => row('ep_2', 'https://b.example', { failingSince: 3, failures: 1 }));
    repo.update(at('https://c.example'), () => row('ep_3', 'https://c.example', { failingSince: 3, disabledAt: 4, disabledReason: 'gone' }));
    const first = repo.list({ limit: 2 });
    expect(first.items.map((r) => r.id)).toEqual(['ep_1', 'ep_2']);
    expect(first).toMatchObject({ total: 3, nextCursor: 'ep_2' });
    expect(repo.list({ limit: 2, cursor: 'ep_2' })).toMatchObject({ items: [{ id: 'ep_3' }], nextCursor: null });
    expect(repo.list({ limit: 10, state: 'healthy' }).items.map((r) => r.id)).toEqual(['ep_1']);
    expect(repo.list({ limit: 10, state: 'failing' }).items.map((r) => r.id)).toEqual(['ep_2']);
    expect(repo.list({ limit: 10, state: 'disabled' })).toMatchObject({ total: 1, items: [{ id: 'ep_3', disabledReason: 'gone' }] });
  });

  it('H-16: rows are keyed by flow and URL template: the same URL in two flows is two endpoints', () => {
    const tpl = 'https://shop.example/orders/{{ input.id }}';
    repo.update(at(tpl, 'flw_a'), () => row('ep_a', 'https://shop.example', { disabledAt: 9, disabledReason: 'gone' }));
    repo.update(at(tpl, 'flw_b'), () => row('ep_b', 'https://shop.example'));
    expect(repo.find(at(tpl, 'flw_a'))).toMatchObject({ id: 'ep_a', flowId: 'flw_a', url: tpl, disabledReason: 'gone' });
    expect(repo.find(at(tpl, 'flw_b'))).toMatchObject({ id: 'ep_b', flowId: 'flw_b', disabledAt: null });
    expect(repo.find(at(tpl))).toBeUndefined();
  });

  it('the schema refuses a disabled endpoint without a reason, and unknown reasons', () => {
    expect(() => repo.update(at('https://a.example'), () => row('ep_1', 'https://a.example', { disabledAt: 1 }))).toThrow(/CHECK/);
    const insert = db.prepare("INSERT INTO endpoints (id, url, origin, disabled_at, disabled_reason, created_at, updated_at) VALUES ('ep_2', 'https://b.example', 'https://b.example', 1, ?, 1, 1)");
    expect(() => insert.run('bored')).toThrow(/CHECK/);
    expect(repo.list({ limit: 10 }).total).toBe(0);
  });
});

describe('HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS', () => {
  const base = { HOOKFLOW_DATA_DIR: '/tmp/x' };
  it('defaults to 120 hours (Svix: 5 days) and takes whole hours, 0 turning the feature off', () => {
    expect(loadConfig(base).endpointDisableAfterMs).toBe(120 * 3_600_000);
    expect(loadConfig({ ...base, HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS: '24' }).endpointDisableAfterMs).toBe(24 * 3_600_000);
    expect(loadConfig({ ...base, HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS: '0' }).endpointDisableAfterMs).toBe(0);
  });
  it.each(['-1', '1.5', 'five days', '8761'])('refuses %j with a line naming the variable', (v) => {
    expect(() => loadConfig({ ...base, HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS: v })).toThrow(/^HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS: /);
  });
});
