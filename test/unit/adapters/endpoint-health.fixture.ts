/** A world for endpoint-health unit tests: a fake clock, a scripted HttpClient, a recording logger, a :memory: endpoints table. */
import { openDb, migrate } from '../../../server/store/db.js';
import { createEndpointRepo, type EndpointRepo } from '../../../server/store/sqlite/endpoints.js';
import { createIds } from '../../../server/adapters/ids.js';
import { withEndpointHealth } from '../../../server/adapters/endpoint-health.js';
import { asyncRepo } from '../../../server/store/sqlite/async-repo.js';
import type { HttpClient, HttpRequest, HttpResponse, Logger } from '../../../nodes/contract.js';

export const HOUR = 3_600_000;
export const WINDOW = 120 * HOUR;
export const T0 = Date.parse('2025-03-01T00:00:00.000Z');

/** What the scripted client does next: answer a status or throw an error. */
export type Script = number | Error;

export interface World {
  client: HttpClient;
  /** Requests that reached the inner client. */
  sent: HttpRequest[];
  repo: EndpointRepo;
  warnings: Array<{ obj: object; msg?: string }>;
  advance(ms: number): void;
  now(): number;
  /** The next answers of the inner client, in order; when empty it answers 200. */
  script: Script[];
  close(): void;
}

export function makeWorld(windowMs = WINDOW): World {
  const db = openDb(':memory:');
  migrate(db);
  const repo = createEndpointRepo(db);
  let now = T0;
  const sent: HttpRequest[] = [];
  const script: Script[] = [];
  const warnings: World['warnings'] = [];
  const inner: HttpClient = {
    async request(req): Promise<HttpResponse> {
      sent.push(req);
      const next = script.shift() ?? 200;
      if (next instanceof Error) throw next;
      return { status: next, headers: {}, body: new Uint8Array() };
    },
  };
  const log: Logger = { debug() {}, info() {}, error: (obj, msg) => warnings.push({ obj, msg }), warn: (obj, msg) => warnings.push({ obj, msg }) };
  const clock = { now: () => now };
  const client = withEndpointHealth(inner, { repo: asyncRepo(repo), clock, ids: createIds(clock.now), log, disableAfterMs: windowMs });
  return { client, sent, repo, warnings, script, advance: (ms) => { now += ms; }, now: () => now, close: () => db.close() };
}

export const req = (url: string, signal?: AbortSignal): HttpRequest => ({
  method: 'POST', url, headers: {}, body: '{}', timeoutMs: 1000, maxResponseBytes: 1024, followRedirects: false, signal,
});
