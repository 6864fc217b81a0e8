/** OpenAPI paths and schemas of "listen for a real event" (/api/flows/{id}/listen, /captures) and server-side signing (/sign). */
import { errors, idParam, json, listOf, op, param, ref, type Json } from './build-helpers.js';

const flowId = [idParam('flow')];
const str: Json = { type: 'string' };
const stringMap: Json = { type: 'object', additionalProperties: str };
const query: Json = { type: 'object', additionalProperties: { oneOf: [str, { type: 'array', items: str }] } };

export const CAPTURE_SCHEMAS: Readonly<Record<string, Json>> = {
  ListenRequest: { type: 'object', properties: { minutes: { type: 'number', minimum: 0.05, maximum: 15, default: 5 } } },
  ListenState: {
    type: 'object', required: ['listening', 'listeningUntil', 'url'],
    properties: { listening: { type: 'boolean' }, listeningUntil: { type: ['string', 'null'], format: 'date-time' }, url: { type: 'string', format: 'uri', description: "the flow's webhook URL to give the sender" } },
  },
  Capture: {
    type: 'object', required: ['id', 'receivedAt', 'method', 'query', 'headers', 'size', 'body', 'bodyEncoding', 'truncated', 'signature', 'live'],
    properties: {
      id: str, receivedAt: { type: 'string', format: 'date-time' }, method: str, query, headers: { ...stringMap, description: 'as sent; Authorization and token headers are "[redacted]"' },
      contentType: { type: ['string', 'null'] }, size: { type: 'integer', description: 'body bytes' },
      body: { type: 'string', description: 'UTF-8 text, or base64 when bodyEncoding is base64' }, bodyEncoding: { enum: ['utf8', 'base64'] },
      truncated: { type: 'boolean', description: 'lists cut bodies at 65 536 characters; the single capture has it whole' },
      signature: { type: 'object', required: ['ok', 'reason', 'kind', 'preset'], properties: { ok: { type: 'boolean' }, reason: { type: ['string', 'null'] }, kind: str, preset: { type: ['string', 'null'] } } },
      clientAddress: { type: ['string', 'null'] }, live: { type: 'boolean', description: 'the flow was active: the delivery also ran it if it passed every check' },
    },
  },
  CaptureDetail: {
    allOf: [ref('Capture'), { type: 'object', required: ['trigger'], properties: { trigger: { type: 'object', description: 'the request POST /api/flows/{id}/test takes to run the flow on this capture', properties: { method: str, headers: stringMap, query, body: {} } } } }],
  },
  SignRequest: { type: 'object', required: ['body'], properties: { body: { type: 'string', description: 'the exact body that will be sent' }, headers: { ...stringMap, description: 'a webhook-id / delivery id here is kept' } } },
  SignedHeaders: { type: 'object', required: ['headers', 'preset'], properties: { headers: stringMap, preset: str } },
};

const listen = (summary: string, method: 'get' | 'post' | 'delete', description?: string): Json =>
  op({ tag: 'flows', summary, description, params: flowId, body: method === 'post' ? ref('ListenRequest') : undefined, responses: { 200: json(ref('ListenState')), ...errors(...(method === 'post' ? [400, 404] : [404])) } });

export const CAPTURE_PATHS: Readonly<Record<string, Json>> = {
  '/api/flows/{id}/listen': {
    post: listen('Listen for real deliveries for a few minutes (default 5, at most 15)', 'post',
      "Until listeningUntil, requests to the flow's URL are captured with their signature check result, even while the flow is inactive (then answered 202 {captured, id}, or 401 when the check fails, and nothing runs). An active flow runs as usual and is captured too. Calling again moves the end."),
    get: listen('Whether the flow is listening, and until when', 'get'),
    delete: listen('Stop listening now', 'delete'),
  },
  '/api/flows/{id}/captures': {
    get: op({ tag: 'flows', summary: 'Captured deliveries, newest first (the last 50 are kept)', params: [...flowId, param('limit'), param('cursor')], responses: { 200: json(listOf(ref('Capture'))), ...errors(400, 404) } }),
  },
  '/api/flows/{id}/captures/{captureId}': {
    get: op({ tag: 'flows', summary: 'One capture with its whole body and the test request that replays it', params: [...flowId, idParam('capture', 'captureId')], responses: { 200: json(ref('CaptureDetail')), ...errors(404) } }),
  },
  '/api/flows/{id}/sign': {
    post: op({ tag: 'flows', summary: "Signature headers for a body, signed on the server with the flow's hmac secret",
      description: "For the webhook's hmac preset (github, stripe, shopify, slack, standard-webhooks, custom). basic and header auth are refused with 400: their header is the secret itself, which is never returned.",
      params: flowId, body: ref('SignRequest'), responses: { 200: json(ref('SignedHeaders')), ...errors(400, 404) } }),
  },
};
