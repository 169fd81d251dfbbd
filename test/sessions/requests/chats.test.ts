/**
 * The session layer of chats (issue 15): how get_chats pages behave when chats change between
 * pages (chat-pages.ts), and not_supported for an engine without chats.
 */
import { describe, expect, it } from 'vitest';
import type { ChatSummary } from '../../../src/protocol/schemas';
import { pageOfChats } from '../../../src/sessions/requests/chat-pages';
import { ChatRequests } from '../../../src/sessions/requests/chats';
import type { SessionManager } from '../../../src/sessions/session-manager';

const chat = (id: string, lastMessageAt: number | null): ChatSummary => ({
  id,
  name: id,
  isGroup: false,
  unreadCount: 0,
  markedUnread: false,
  lastMessageAt,
  archived: false,
  pinned: false,
  muted: false,
  mutedUntil: null,
});

const ids = (chats: ChatSummary[]) => chats.map((c) => c.id);

describe('pages of get_chats', () => {
  const chats = [chat('a', 10), chat('b', 30), chat('c', 30), chat('d', null), chat('e', 20)];

  it('orders newest activity first, ties by id, unknown activity last', () => {
    expect(ids(pageOfChats(chats, 10).chats)).toEqual(['b', 'c', 'e', 'a', 'd']);
  });

  it('a walk lists each chat once; a chat active again during it moves ahead of the cursor and is not listed twice', () => {
    const first = pageOfChats(chats, 2);
    expect(ids(first.chats)).toEqual(['b', 'c']);
    const changed = [chat('a', 40), chat('b', 50), chat('c', 30), chat('d', null), chat('e', 20)];
    const second = pageOfChats(changed, 2, first.nextCursor!);
    expect(ids(second.chats)).toEqual(['e', 'd']); // 'a' moved to the top: on a fresh first page, not in this walk
    expect(second.nextCursor).toBeNull();
    expect(ids(pageOfChats(changed, 2).chats)).toEqual(['b', 'a']);
  });

  it('a cursor outlives the chat it came from', () => {
    const first = pageOfChats(chats, 1);
    const without = chats.filter((c) => c.id !== 'b');
    expect(ids(pageOfChats(without, 10, first.nextCursor!).chats)).toEqual(['c', 'e', 'a', 'd']);
  });

  it('refuses a cursor it did not give with invalid_payload', () => {
    for (const cursor of ['x', Buffer.from('[1]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(() => pageOfChats(chats, 2, cursor)).toThrow(expect.objectContaining({ code: 'invalid_payload' }));
    }
  });
});

describe('an engine without chats', () => {
  it('answers not_supported', async () => {
    const manager = { get: () => ({ connectedEngine: () => ({}) }) } as unknown as SessionManager;
    await expect(new ChatRequests(manager).getChats({ sessionId: 's', limit: 5 })).rejects.toMatchObject({ code: 'not_supported' });
  });
});
