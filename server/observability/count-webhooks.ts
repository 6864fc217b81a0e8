/** Wraps the /hooks handler so every answer is counted by flow and status, without touching ingress internals. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sha256Hex } from '../secrets/crypto.js';
import type { HookCache } from '../ingress/hook-cache.js';
import type { Metrics } from './metrics.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const TOKEN = /^\/hooks\/([A-Za-z0-9_-]{16,128})\/?(?:\?.*)?$/;

/** A 404 is labelled `unknown` without a lookup, so a flood of guessed tokens costs nothing extra. */
export function countWebhooks(handler: Handler, hooks: HookCache, metrics: Metrics): Handler {
  const flowIdOf = async (url: string | undefined, status: number): Promise<string> => {
    const m = TOKEN.exec(url ?? '');
    if (!m || status === 404) return 'unknown';
    return (await hooks.resolve(sha256Hex(m[1])))?.flowId ?? 'unknown';
  };
  return (req, res) => {
    res.once('finish', () => {
      flowIdOf(req.url, res.statusCode).then(
        (flowId) => metrics.webhookAnswered(flowId, res.statusCode),
        () => metrics.webhookAnswered('unknown', res.statusCode),
      );
    });
    return handler(req, res);
  };
}
