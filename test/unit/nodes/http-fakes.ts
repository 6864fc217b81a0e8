/** Fakes for http node unit tests: an HttpClient answering from a route table, and a CredentialReader over a map. */
import { permanent, type CredentialReader, type HttpClient, type HttpRequest, type HttpResponse } from '../../../nodes/contract.js';

export type Answer = Partial<Omit<HttpResponse, 'body'>> & { body?: string | Uint8Array };
export type Route = Answer | ((req: HttpRequest, n: number) => Answer | Promise<Answer>);

export interface FakeHttp extends HttpClient {
  calls: HttpRequest[];
}

/** Routes keyed by `METHOD url`; any other request gets `otherwise`. Every request is recorded. */
export function fakeHttp(routes: Record<string, Route> = {}, otherwise: Route = { status: 200 }): FakeHttp {
  const calls: HttpRequest[] = [];
  return {
    calls,
    async request(req) {
      calls.push(req);
      const route = routes[`${req.method} ${req.url}`] ?? otherwise;
      const a: Answer = typeof route === 'function' ? await route(req, calls.length) : route;
      const body = typeof a.body === 'string' ? new TextEncoder().encode(a.body) : a.body ?? new Uint8Array();
      return { status: a.status ?? 200, headers: a.headers ?? {}, body };
    },
  };
}

export const bodyText = (req: HttpRequest): string =>
  req.body === undefined ? '' : typeof req.body === 'string' ? req.body : new TextDecoder().decode(req.body);

export interface FakeCredentials extends CredentialReader {
  reads: Array<{ id: string; type: string }>;
}

/** Credentials by id; a missing id or another type fails the way the real reader does. */
export function fakeCredentials(table: Record<string, { type: string; data: Record<string, unknown> }>): FakeCredentials {
  const reads: Array<{ id: string; type: string }> = [];
  return {
    reads,
    async read(id, type) {
      reads.push({ id, type });
      const c = table[id];
      if (!c) throw permanent('credential_missing', `credential ${id} does not exist`);
      if (c.type !== type) throw permanent('credential_type', `credential ${id} is a ${c.type} credential, not ${type}`);
      return c.data;
    },
  };
}
