/** Shared parsing of `limit` and `cursor` query parameters. */
import { ApiError } from '../errors.js';

export function pageArgs(q: Record<string, unknown>, max = 200): { limit: number; cursor?: string } {
  const raw = q.limit;
  let limit = 50;
  if (raw !== undefined) {
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
      throw new ApiError(400, 'invalid_query', `limit must be a whole number from 1 to ${max}`);
    limit = Number(raw);
  }
  const cursor = q.cursor;
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length > 200))
    throw new ApiError(400, 'invalid_query', 'cursor must be a string from a previous page');
  return { limit, cursor: cursor as string | undefined };
}
