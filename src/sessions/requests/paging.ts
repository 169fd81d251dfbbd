/**
 * Pages of a list ordered by a unique key, with an opaque cursor: the key of the last item handed out.
 * A page after it starts at the first key above it, so items added or removed between two requests
 * shift no page (nothing is skipped or repeated that was there throughout).
 */
import { GatewayError } from '../../protocol/errors';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function pageOf<T>(sorted: readonly T[], keyOf: (item: T) => string, limit: number, cursor?: string): Page<T> {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const start = after === undefined ? 0 : sorted.findIndex((item) => keyOf(item) > after);
  const items = start < 0 ? [] : sorted.slice(start, start + limit);
  const more = start >= 0 && start + limit < sorted.length;
  return { items, nextCursor: more ? encodeCursor(keyOf(items.at(-1)!)) : null };
}

function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') return after;
  } catch {
    // not one of ours: refused below
  }
  throw new GatewayError('invalid_payload', 'cursor: not a cursor this gateway gave (pass `nextCursor` of the page before)');
}
