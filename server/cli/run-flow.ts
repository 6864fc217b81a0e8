/** `hookflow run <flow.json> --payload <file>`: a one-shot run in a temporary instance, one JSON line per node, exit 0 only on success. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { startHookflow } from '../main.js';
import { parseArgs, single, UsageError, CommandFailed } from './args.js';

export const RUN_USAGE = 'hookflow run <flow.json> --payload <file.json> [--header name:value]... [--dry-run]';

interface StepLine { nodeId: string; status: string; port?: string; attempts: number; output?: unknown; error?: unknown }
interface ExecutionAnswer { id: string; status: string; error?: unknown; steps: StepLine[] }

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CommandFailed(`${what} ${file}: cannot read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CommandFailed(`${what} ${file}: not JSON: ${(e as Error).message}`);
  }
}

function parseHeaders(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    const name = i < 0 ? '' : h.slice(0, i).trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) throw new UsageError(`--header must be name:value, got "${h}"`);
    out[name] = h.slice(i + 1).trim();
  }
  return out;
}

/** The temporary instance: fresh data dir and key, loopback on a free port, a random API token, quiet logs. */
function runConfig(cfg: Config, dir: string): Config {
  const verbose = cfg.logLevel === 'debug' || cfg.logLevel === 'trace';
  return {
    ...cfg, dataDir: dir, port: 0, host: '127.0.0.1', apiToken: randomBytes(24).toString('hex'), secretKey: undefined,
    publicUrl: undefined, hooksUrl: undefined, tlsCert: undefined, tlsKey: undefined, owner: undefined, nodeId: undefined, metricsToken: undefined,
    logLevel: verbose ? cfg.logLevel : 'silent', retentionDays: 0, retentionMaxExecutions: 0,
    // Always a temporary SQLite instance that runs the flow itself, even beside a cluster's HOOKFLOW_DATABASE_URL.
    databaseUrl: undefined, role: 'all',
  };
}

export async function runCommand(cfg: Config, argv: readonly string[], say: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, { valued: ['payload', 'header'], flags: ['dry-run'] });
  if (args.positionals.length !== 1) throw new UsageError('run needs exactly one flow file');
  const payloadFile = single(args, 'payload');
  if (payloadFile === undefined) throw new UsageError('run needs --payload <file.json>');
  const headers = { 'content-type': 'application/json', ...parseHeaders(args.options.get('header') ?? []) };
  const flow = readJson(args.positionals[0], 'flow');
  if (flow === null || typeof flow !== 'object' || Array.isArray(flow)) throw new CommandFailed('the flow file must hold one flow document (an object)');
  const payload = readJson(payloadFile, 'payload');
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-run-'));
  const rc = runConfig(cfg, dir);
  const app = await startHookflow(rc, { dryRun: args.flags.has('dry-run') });
  const api = async (path: string, body: unknown) => {
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${rc.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & Partial<ExecutionAnswer> };
  };
  try {
    const created = await api('/api/flows', { ...flow, active: false });
    if (created.status !== 201) {
      say(JSON.stringify({ ok: false, status: created.status, error: created.body.error ?? created.body }));
      return 1;
    }
    const run = await api(`/api/flows/${String(created.body.id)}/test`, { method: 'POST', headers, body: payload });
    if (run.status !== 200) throw new CommandFailed(`the run could not start: ${JSON.stringify(run.body)}`);
    const e = run.body;
    for (const s of e.steps ?? []) say(JSON.stringify({ node: s.nodeId, status: s.status, port: s.port, attempts: s.attempts, output: s.output, error: s.error }));
    say(JSON.stringify({ execution: e.id ?? null, status: e.status, error: e.error, dryRun: args.flags.has('dry-run') }));
    return e.status === 'succeeded' ? 0 : 1;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
