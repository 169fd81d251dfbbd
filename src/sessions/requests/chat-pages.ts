/**
 * Pages of get_chats: newest activity first (`lastMessageAt`, unknown last), then by id, so the order
 * is total and stable. The cursor is the sort key of the last chat of a page (base64url JSON), and the
 * next page starts after it: a walk lists each chat at most once, whatever changes meanwhile. A chat
 * that gets new activity during a walk moves to the top, so a walk under way may miss it: it is on
 * a fresh first page. Deleted chats are simply gone, and a cursor outlives the chat it came from.
 */
import { GatewayError } from '../../protocol/errors';
import type { ChatSummary } from '../../protocol/schemas';

interface SortKey {
  at: number;
  id: string;
}

const keyOf = (chat: ChatSummary): SortKey => ({ at: chat.lastMessageAt ?? -1, id: chat.id });

/** Negative when `a` comes first. */
function compare(a: SortKey, b: SortKey): number {
  if (a.at !== b.at) return b.at - a.at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function pageOfChats(chats: ChatSummary[], limit: number, cursor?: string): { chats: ChatSummary[]; nextCursor: string | null } {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const ordered = chats
    .map((chat) => ({ chat, key: keyOf(chat) }))
    .filter(({ key }) => !after || compare(key, after) > 0)
    .sort((a, b) => compare(a.key, b.key));
  const page = ordered.slice(0, limit);
  const last = page[page.length - 1];
  return { chats: page.map(({ chat }) => chat), nextCursor: ordered.length > limit && last ? encodeCursor(last.key) : null };
}

function encodeCursor({ at, id }: SortKey): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(cursor: string): SortKey {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'number' && Number.isFinite(at) && typeof id === 'string') return { at, id };
  } catch {
    // not JSON: refused below
  }
  throw new GatewayError('invalid_payload', 'cursor: not a cursor get_chats gave (pass nextCursor as it came)');
}
