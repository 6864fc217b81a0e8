/** The real CLI against temp data directories: help, usage and config errors, import, export, token create, migrate. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cli, jsonLines } from './cli-helpers.js';
import { startTestApp } from '../helpers/app.js';

const good = { name: 'double', nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'calc', type: 'transform', params: { code: 'return input.body' } }], edges: [{ from: 'hook', to: 'calc' }] };
const bad = { name: 'bad', nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'x', type: 'nope', params: {} }], edges: [] };

describe('hookflow CLI', { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'hookflow-cli-')); dirs.push(d); return d; };
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  it('prints help, and exits 64 on an unknown command or option and 78 on bad configuration', async () => {
    const help = await cli(['--help'], {});
    expect(help.code).toBe(0);
    for (const c of ['start', 'import', 'export', 'run', 'token create', 'migrate', 'doctor']) expect(help.stdout).toContain(c);
    const dir = tmp();
    expect((await cli(['frobnicate'], { HOOKFLOW_DATA_DIR: dir })).code).toBe(64);
    const opt = await cli(['export', '--bogus'], { HOOKFLOW_DATA_DIR: dir });
    expect(opt.code).toBe(64);
    expect(opt.stderr).toContain('unknown option --bogus');
    expect((await cli(['import'], { HOOKFLOW_DATA_DIR: dir })).code).toBe(64);
    const conf = await cli(['migrate'], { HOOKFLOW_DATA_DIR: dir, HOOKFLOW_RETENTION_DAYS: 'soon' });
    expect(conf.code).toBe(78);
    expect(conf.stderr).toContain('HOOKFLOW_RETENTION_DAYS');
  });

  it('migrate creates the database with incremental auto-vacuum', async () => {
    const dir = tmp();
    const r = await cli(['migrate'], { HOOKFLOW_DATA_DIR: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('001-initial.sql');
    const db = new Database(join(dir, 'hookflow.db'), { readonly: true });
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    db.close();
    expect((await cli(['migrate'], { HOOKFLOW_DATA_DIR: dir })).stdout).toContain('none pending');
  });

  it('imports per file with the flow id or the problems, and exports without tokens', async () => {
    const dir = tmp();
    const files = { good: join(dir, 'good.json'), bad: join(dir, 'bad.json'), notJson: join(dir, 'x.json') };
    writeFileSync(files.good, JSON.stringify(good));
    writeFileSync(files.bad, JSON.stringify([good, bad]));
    const env = { HOOKFLOW_DATA_DIR: join(dir, 'data') };
    const r = await cli(['import', files.good, files.bad], env);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.ok)).toEqual([true, true, false]);
    expect(lines[0].flowId).toMatch(/^flw_/);
    // Imported to run: published unless --draft.
    expect(lines[0].publishedVersion).toBe(1);
    expect(lines[2]).toMatchObject({ file: `${files.bad}[1]`, status: 400, code: 'invalid_flow' });
    expect(JSON.stringify(lines[2].problems)).toContain('unknown node type');
    writeFileSync(files.notJson, '{nope');
    const nj = await cli(['import', files.notJson], env);
    expect(nj.code).toBe(1);
    expect(nj.stderr).toContain('not JSON');

    const out = join(dir, 'export.json');
    expect((await cli(['export', '--out', out], env)).code).toBe(0);
    const all = JSON.parse(readFileSync(out, 'utf8')) as Array<Record<string, unknown>>;
    expect(all).toHaveLength(2);
    expect(all.map((f) => f.id).sort()).toEqual([lines[0].flowId, lines[1].flowId].sort());
    expect(readFileSync(out, 'utf8')).not.toMatch(/token|\/hooks\//);
    for (const f of all) expect(Object.keys(f).sort()).toEqual(['active', 'edges', 'id', 'name', 'nodes', 'version']);
    expect(statSync(out).mode & 0o077).toBe(0);
    const one = await cli(['export', '--flow', String(lines[0].flowId)], env);
    expect(JSON.parse(one.stdout)).toMatchObject({ id: lines[0].flowId, name: 'double', nodes: good.nodes, edges: good.edges });
    const missing = await cli(['export', '--flow', 'flw_missing'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('flow "flw_missing" not found');
    // The exported documents import again as new flows.
    const again = await cli(['import', out], env);
    expect(jsonLines(again.stdout).map((l) => l.ok)).toEqual([true, true]);
    const draft = await cli(['import', '--draft', files.good], env);
    expect(jsonLines(draft.stdout)[0]).toMatchObject({ ok: true, publishedVersion: null });
  });

  it('token create prints a token once that the server accepts, and stores only its digest', async () => {
    const dir = tmp();
    const r = await cli(['token', 'create', 'ci deploy'], { HOOKFLOW_DATA_DIR: dir });
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^hf_[A-Za-z0-9_-]{43}$/);
    expect(r.stderr).toContain('shown once');
    const db = new Database(join(dir, 'hookflow.db'), { readonly: true });
    expect(JSON.stringify(db.prepare('SELECT * FROM api_tokens').all())).not.toContain(token);
    db.close();
    const ro = await cli(['token', 'create', 'dashboard', '--read-only'], { HOOKFLOW_DATA_DIR: dir });
    expect(ro.code).toBe(0);
    expect(ro.stderr).toContain('read-only API token');
    const reader = ro.stdout.trim();
    const t = await startTestApp({}, dir);
    try {
      const res = await fetch(`${t.url}/api/flows`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect((await fetch(`${t.url}/api/flows`, { headers: { authorization: `Bearer ${reader}` } })).status).toBe(200);
      const write = await fetch(`${t.url}/api/flows`, { method: 'POST', headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' }, body: '{}' });
      expect(write.status).toBe(403);
    } finally {
      await t.close({ keepData: true });
    }
    expect((await cli(['token', 'create'], { HOOKFLOW_DATA_DIR: dir })).code).toBe(64);
    expect((await cli(['token', 'delete', 'x'], { HOOKFLOW_DATA_DIR: dir })).code).toBe(64);
  });
});
