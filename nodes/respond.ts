/** The `respond` node: the status, headers and body a synchronous webhook caller receives. */
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, NO_RETRY } from './contract.js';
import { Templatable } from './schema.js';

export const RespondParams = Type.Object(
  {
    status: Type.Optional(Templatable(Type.Integer({ minimum: 200, maximum: 599, default: 200 }), { title: 'Status code' })),
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' }), Type.String({ maxLength: 4096 }), { title: 'Headers' })),
    body: Type.Optional(Type.Unknown({ title: 'Body', description: 'JSON; templates allowed; empty = the input' })),
  },
  { additionalProperties: false },
);

/** Headers a flow may not set on the answer: they belong to the transport or to the answer's browser policy. */
const FORBIDDEN = new Set(['content-length', 'transfer-encoding', 'connection', 'set-cookie', 'set-cookie2', 'keep-alive', 'upgrade',
  // Every hook answer is sandboxed and never sniffed (W-25); a flow cannot replace those policies.
  'content-security-policy', 'content-security-policy-report-only', 'x-content-type-options']);

export const respondNode = defineNode({
  type: 'respond',
  title: 'Respond',
  category: 'action',
  description: 'Answers a synchronous webhook caller with a status, headers and body.',
  params: RespondParams,
  defaults: { status: 200 },
  ports: ['out'] as const,
  retry: NO_RETRY,
  timeoutMs: 1000,
  effect: 'pure',
  check(params) {
    const bad = Object.keys(params.headers ?? {}).find((h) => FORBIDDEN.has(h.toLowerCase()));
    return bad ? [{ field: `headers.${bad}`, message: `header "${bad}" cannot be set by a flow` }] : [];
  },
  async execute(_ctx, input, params) {
    const status = typeof params.status === 'number' ? params.status : 200;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(params.headers ?? {})) {
      const name = k.toLowerCase();
      if (FORBIDDEN.has(name)) throw permanent('invalid_params', `header "${k}" cannot be set by a flow`);
      if (/[\r\n\0]/.test(v)) throw permanent('invalid_params', `header "${k}" contains a line break`);
      headers[name] = v;
    }
    const body = params.body === undefined ? input : params.body;
    const response = { status, headers, body };
    return { port: 'out', value: response, response };
  },
});
