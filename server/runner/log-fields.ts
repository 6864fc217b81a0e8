/** A logger that adds fixed fields (execution and node ids) to every line a node writes. */
import type { Logger } from '../../nodes/contract.js';

export function withFields(base: Logger, fields: Record<string, unknown>): Logger {
  return {
    debug: (obj, msg) => base.debug({ ...fields, ...obj }, msg),
    info: (obj, msg) => base.info({ ...fields, ...obj }, msg),
    warn: (obj, msg) => base.warn({ ...fields, ...obj }, msg),
    error: (obj, msg) => base.error({ ...fields, ...obj }, msg),
  };
}
