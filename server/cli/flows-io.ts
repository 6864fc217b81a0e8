/** `hookflow import <file...>` and `hookflow export [--flow id] [--out file]`: flows in and out through the API's own validation. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { ApiError } from '../http/errors.js';
import type { FlowView } from '../flows/flow-service.js';
import { openLocal } from './local.js';
import { parseArgs, single, UsageError, CommandFailed } from './args.js';

export const IMPORT_USAGE = 'hookflow import [--draft] <file.json> [more.json ...]   (a file holds one flow document or an array of them; published unless --draft)';
export const EXPORT_USAGE = 'hookflow export [--flow <id>] [--out <file>]   (all flows as an array, or one flow as an object)';

/** A flow document as exported: what an import needs, never the webhook token or URL. */
const exported = (f: FlowView) => ({ id: f.id, name: f.name, active: f.active, version: f.version, nodes: f.nodes, edges: f.edges });

type Say = (line: string) => void;

function readDocs(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CommandFailed(`${file}: cannot read: ${(e as Error).message}`);
  }
  try {
    const doc: unknown = JSON.parse(text);
    return Array.isArray(doc) ? doc : [doc];
  } catch (e) {
    throw new CommandFailed(`${file}: not JSON: ${(e as Error).message}`);
  }
}

/** Each document is validated and created on its own; a bad one is reported with its problems and the rest still import. */
export async function importFlows(cfg: Config, argv: readonly string[], say: Say): Promise<number> {
  const args = parseArgs(argv, { valued: [], flags: ['draft'] });
  if (args.positionals.length === 0) throw new UsageError('import needs at least one file');
  // Scripts import to run: the imported version is published unless --draft asks for a draft to review first.
  const publish = args.flags.has('draft') !== true;
  const docs = args.positionals.map((file) => ({ file, docs: readDocs(file) }));
  const local = await openLocal(cfg);
  let failed = 0;
  try {
    for (const { file, docs: list } of docs) {
      for (const [i, doc] of list.entries()) {
        const where = list.length > 1 ? `${file}[${i}]` : file;
        try {
          const f = await local.flows.create(doc, { publish, savedBy: 'cli' });
          say(JSON.stringify({ file: where, ok: true, flowId: f.id, name: f.name, active: f.active, publishedVersion: f.publishedVersion }));
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          failed++;
          say(JSON.stringify({ file: where, ok: false, status: e.status, code: e.code, message: e.message, problems: e.details }));
        }
      }
    }
  } finally {
    await local.close();
  }
  return failed > 0 ? 1 : 0;
}

export async function exportFlows(cfg: Config, argv: readonly string[], say: Say): Promise<number> {
  const args = parseArgs(argv, { valued: ['flow', 'out'], flags: [] });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const flowId = single(args, 'flow');
  const out = single(args, 'out');
  const local = await openLocal(cfg);
  let body: unknown;
  try {
    if (flowId !== undefined) {
      const f = await local.flows.get(flowId).catch((e: unknown) => {
        throw e instanceof ApiError && e.status === 404 ? new CommandFailed(`flow "${flowId}" not found`) : e;
      });
      body = exported(f);
    } else {
      const all: ReturnType<typeof exported>[] = [];
      for (let cursor: string | undefined; ;) {
        const page = await local.flows.list(200, cursor);
        all.push(...page.items.map(exported));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      body = all;
    }
  } finally {
    await local.close();
  }
  const text = `${JSON.stringify(body, null, 2)}\n`;
  if (out === undefined) say(text.trimEnd());
  else writeFileSync(out, text, { mode: 0o600 });
  return 0;
}
