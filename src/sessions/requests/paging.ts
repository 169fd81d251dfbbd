/**
 * Pages of a list in a total order, with an opaque keyset cursor: the sort key of the last item handed
 * out (base64url JSON). A page after it starts at the first item ordered after that key, so items added
 * or removed between two requests shift no page (nothing is skipped or repeated that was there
 * throughout), and a cursor outlives the item it came from.
 */
import { GatewayError } from '../../protocol/errors';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** How a list is ordered, and how its sort key travels in a cursor. */
export interface KeysetOrder<T, K> {
  keyOf(item: T): K;
  /** Negative when `a` comes first; zero only for the same item. */
  compare(a: K, b: K): number;
  /** The key as the cursor's JSON. */
  toCursor(key: K): unknown;
  /** The key back from a cursor's JSON, or undefined when it is not one `toCursor` made. */
  fromCursor(json: unknown): K | undefined;
  /** The `invalid_payload` message for a cursor this gateway did not give. */
  notOurs: string;
}

export function pageOf<T, K>(items: readonly T[], order: KeysetOrder<T, K>, limit: number, cursor?: string): Page<T> {
  const after = cursor === undefined ? undefined : decodeCursor(order, cursor);
  const ordered = items
    .map((item) => ({ item, key: order.keyOf(item) }))
    .filter(({ key }) => after === undefined || order.compare(key, after) > 0)
    .sort((a, b) => order.compare(a.key, b.key));
  const page = ordered.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = ordered.length > limit && last ? encodeCursor(order, last.key) : null;
  return { items: page.map(({ item }) => item), nextCursor };
}

function encodeCursor<T, K>(order: KeysetOrder<T, K>, key: K): string {
  return Buffer.from(JSON.stringify(order.toCursor(key))).toString('base64url');
}

function decodeCursor<T, K>(order: KeysetOrder<T, K>, cursor: string): K {
  let key: K | undefined;
  try {
    key = order.fromCursor(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    // not JSON: refused below
  }
  if (key === undefined) throw new GatewayError('invalid_payload', order.notOurs);
  return key;
}
