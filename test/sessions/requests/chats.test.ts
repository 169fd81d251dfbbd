/**
 * The session layer of chats (issue 15): how get_chats pages behave when chats change between
 * pages (paging.ts, in get_chats' order), and not_supported for an engine without chats.
 */
import { describe, expect, it } from 'vitest';
import type { ChatSummary } from '../../../src/protocol/schemas';
import { ChatRequests, newestActivityFirst } from '../../../src/sessions/requests/chats';
import { pageOf } from '../../../src/sessions/requests/paging';
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
const pageOfChats = (chats: ChatSummary[], limit: number, cursor?: string) => pageOf(chats, newestActivityFirst, limit, cursor);

describe('pages of get_chats', () => {
  const chats = [chat('a', 10), chat('b', 30), chat('c', 30), chat('d', null), chat('e', 20)];

  it('orders newest activity first, ties by id, unknown activity last', () => {
    expect(ids(pageOfChats(chats, 10).items)).toEqual(['b', 'c', 'e', 'a', 'd']);
  });

  it('a walk lists each chat once; a chat active again during it moves ahead of the cursor and is not listed twice', () => {
    const first = pageOfChats(chats, 2);
    expect(ids(first.items)).toEqual(['b', 'c']);
    const changed = [chat('a', 40), chat('b', 50), chat('c', 30), chat('d', null), chat('e', 20)];
    const second = pageOfChats(changed, 2, first.nextCursor!);
    expect(ids(second.items)).toEqual(['e', 'd']); // 'a' moved to the top: on a fresh first page, not in this walk
    expect(second.nextCursor).toBeNull();
    expect(ids(pageOfChats(changed, 2).items)).toEqual(['b', 'a']);
  });

  it("keeps the cursor's wire format, base64url JSON [lastMessageAt or -1, id], so cursors clients hold stay good", () => {
    const decoded = (cursor: string | null) => JSON.parse(Buffer.from(cursor!, 'base64url').toString('utf8')) as unknown;
    expect(decoded(pageOfChats(chats, 2).nextCursor)).toEqual([30, 'c']);
    expect(decoded(pageOfChats(chats, 4).nextCursor)).toEqual([10, 'a']);
    const held = Buffer.from(JSON.stringify([20, 'e'])).toString('base64url');
    expect(ids(pageOfChats(chats, 10, held).items)).toEqual(['a', 'd']);
  });

  it('a cursor outlives the chat it came from', () => {
    const first = pageOfChats(chats, 1);
    const without = chats.filter((c) => c.id !== 'b');
    expect(ids(pageOfChats(without, 10, first.nextCursor!).items)).toEqual(['c', 'e', 'a', 'd']);
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
