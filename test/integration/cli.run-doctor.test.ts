/** The real CLI: one-shot `run` (real runner, sandbox and outgoing HTTP; --dry-run stubs it) and `doctor`. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, jsonLines } from './cli-helpers.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

describe('hookflow run and doctor', { timeout: 120_000 }, () => {
  let rx: Receiver;
  const dirs: string[] = [];
  const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'hookflow-cli-')); dirs.push(d); return d; };
  beforeAll(async () => { rx = await startReceiver(); });
  afterAll(async () => { await rx.close(); });
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  const files = (flow: unknown, payload: unknown) => {
    const dir = tmp();
    writeFileSync(join(dir, 'flow.json'), JSON.stringify(flow));
    writeFileSync(join(dir, 'payload.json'), JSON.stringify(payload));
    return { dir, flow: join(dir, 'flow.json'), payload: join(dir, 'payload.json') };
  };
  const deliveryFlow = () => ({
    name: 'deliver', nodes: [
      { id: 'hook', type: 'webhook', params: {} },
      { id: 'calc', type: 'transform', params: { code: 'return { n: input.body.n * 2, who: input.headers["x-who"] }' } },
      { id: 'call', type: 'http', params: { url: `${rx.url}/in`, method: 'POST', body: '{{ input }}' }, retry: { maxAttempts: 1 } },
    ], edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'call' }],
  });

  it('runs a flow once through the real sandbox and http node and prints each node as a JSON line', async () => {
    const f = files(deliveryFlow(), { n: 21 });
    const before = rx.requests.length;
    const r = await cli(['run', f.flow, '--payload', f.payload, '--header', 'X-Who: ops'], { HOOKFLOW_DATA_DIR: join(f.dir, 'unused'), HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' });
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => `${String(l.node ?? 'execution')}:${String(l.status)}`)).toEqual(['hook:succeeded', 'calc:succeeded', 'call:succeeded', 'execution:succeeded']);
    expect(lines[1].output).toEqual({ n: 42, who: 'ops' });
    expect(rx.requests.length).toBe(before + 1);
    expect(JSON.parse(rx.requests.at(-1)?.body ?? '{}')).toEqual({ n: 42, who: 'ops' });
  });

  it('--dry-run stubs the side effect: nothing is sent, the run still succeeds', async () => {
    const f = files(deliveryFlow(), { n: 1 });
    const before = rx.requests.length;
    const r = await cli(['run', f.flow, '--payload', f.payload, '--dry-run'], { HOOKFLOW_DATA_DIR: join(f.dir, 'unused'), HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' });
    expect(r.code, r.stderr).toBe(0);
    const call = jsonLines(r.stdout).find((l) => l.node === 'call');
    expect(call).toMatchObject({ status: 'succeeded', output: { dryRun: true } });
    expect(rx.requests.length).toBe(before);
  });

  it('exits 1 when the flow fails or is invalid, 64 on a bad header', async () => {
    const failing = files({ name: 'boom', nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'x', type: 'transform', params: { code: 'throw new Error("boom")' } }], edges: [{ from: 'hook', to: 'x' }] }, {});
    const r = await cli(['run', failing.flow, '--payload', failing.payload], { HOOKFLOW_DATA_DIR: join(failing.dir, 'unused') });
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout).find((l) => l.node === 'x')).toMatchObject({ status: 'failed' });
    const invalid = files({ name: 'bad', nodes: [] }, {});
    const inv = await cli(['run', invalid.flow, '--payload', invalid.payload], { HOOKFLOW_DATA_DIR: join(invalid.dir, 'unused') });
    expect(inv.code).toBe(1);
    expect(inv.stdout).toContain('nodes');
    expect((await cli(['run', failing.flow, '--payload', failing.payload, '--header', 'nocolon'], {})).code).toBe(64);
  });

  it('doctor passes on a migrated data directory and fails on a readable secret key file', async () => {
    const dir = join(tmp(), 'data');
    expect((await cli(['migrate'], { HOOKFLOW_DATA_DIR: dir })).code).toBe(0);
    writeFileSync(join(dir, 'secret.key'), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    const ok = await cli(['doctor'], { HOOKFLOW_DATA_DIR: dir });
    expect(ok.code, ok.stdout).toBe(0);
    for (const name of ['data directory', 'secret key', 'sqlite journal_mode', 'sqlite synchronous', 'sandbox', 'free disk'])
      expect(ok.stdout).toMatch(new RegExp(`^ok +${name}:`, 'm'));
    chmodSync(join(dir, 'secret.key'), 0o644);
    const bad = await cli(['doctor'], { HOOKFLOW_DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^fail +secret key: .*mode 644/m);
  });
});
