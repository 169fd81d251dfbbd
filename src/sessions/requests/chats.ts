/**
 * get_chats, fetch_messages and the chat actions (issue 15). The engine lists every chat; the pages
 * are cut here, newest activity first, with a keyset cursor (paging.ts). See docs/decisions.md,
 * "Chats and history".
 */
import type { Chats } from '../../engines/capabilities/chats';
import { toChatId } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { ChatSummary } from '../../protocol/schemas';
import type { SessionManager } from '../session-manager';
import { engineCall } from './engine-call';
import { type KeysetOrder, pageOf } from './paging';

/**
 * get_chats' order: newest activity first (`lastMessageAt`, unknown last), then by id, so it is total.
 * A chat that gets new activity during a walk moves to the top, so a walk under way misses it: it is
 * on a fresh first page.
 */
export const newestActivityFirst: KeysetOrder<ChatSummary, { at: number; id: string }> = {
  keyOf: (chat) => ({ at: chat.lastMessageAt ?? -1, id: chat.id }),
  compare: (a, b) => (a.at !== b.at ? b.at - a.at : a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  toCursor: ({ at, id }) => [at, id],
  fromCursor(json) {
    const [at, id] = Array.isArray(json) ? (json as unknown[]) : [];
    return typeof at === 'number' && Number.isFinite(at) && typeof id === 'string' ? { at, id } : undefined;
  },
  notOurs: 'cursor: not a cursor get_chats gave (pass nextCursor as it came)',
};

export class ChatRequests {
  constructor(
    private readonly manager: SessionManager,
    private readonly now: () => number = Date.now,
  ) {}

  async getChats({ sessionId, limit, cursor }: RequestPayload<'get_chats'>): Promise<RequestResult<'get_chats'>> {
    const chats = this.chatsOf(sessionId);
    const page = pageOf(await engineCall(() => chats.list()), newestActivityFirst, limit, cursor);
    return { sessionId, chats: page.items, nextCursor: page.nextCursor };
  }

  async fetchMessages({ sessionId, chatId, limit, before }: RequestPayload<'fetch_messages'>): Promise<RequestResult<'fetch_messages'>> {
    const chats = this.chatsOf(sessionId);
    const messages = await engineCall(() => chats.fetchMessages(toChatId(chatId), { limit, ...(before && { before }) }));
    const full = messages.length === limit;
    return { sessionId, chatId, messages, nextBefore: full ? messages[messages.length - 1]!.id : null };
  }

  async archive({ sessionId, chatId, archived }: RequestPayload<'archive_chat'>): Promise<RequestResult<'archive_chat'>> {
    const chats = this.chatsOf(sessionId);
    await engineCall(() => chats.archive(toChatId(chatId), archived));
    return { sessionId, chatId, archived };
  }

  async pin({ sessionId, chatId, pinned }: RequestPayload<'pin_chat'>): Promise<RequestResult<'pin_chat'>> {
    const chats = this.chatsOf(sessionId);
    await engineCall(() => chats.pin(toChatId(chatId), pinned));
    return { sessionId, chatId, pinned };
  }

  async mute({ sessionId, chatId, muted, until }: RequestPayload<'mute_chat'>): Promise<RequestResult<'mute_chat'>> {
    if (until !== undefined && !muted) throw new GatewayError('invalid_payload', 'until: only with muted true');
    if (until !== undefined && until <= this.now()) throw new GatewayError('invalid_payload', 'until: must be in the future');
    const chats = this.chatsOf(sessionId);
    const mute = await engineCall(() => chats.mute(toChatId(chatId), { muted, ...(until !== undefined && { until }) }));
    return { sessionId, chatId, ...mute };
  }

  async markUnread({ sessionId, chatId }: RequestPayload<'mark_chat_unread'>): Promise<RequestResult<'mark_chat_unread'>> {
    const chats = this.chatsOf(sessionId);
    await engineCall(() => chats.markUnread(toChatId(chatId)));
    return { sessionId, chatId };
  }

  async clear({ sessionId, chatId }: RequestPayload<'clear_chat'>): Promise<RequestResult<'clear_chat'>> {
    const chats = this.chatsOf(sessionId);
    await engineCall(() => chats.clear(toChatId(chatId)));
    return { sessionId, chatId };
  }

  async delete({ sessionId, chatId }: RequestPayload<'delete_chat'>): Promise<RequestResult<'delete_chat'>> {
    const chats = this.chatsOf(sessionId);
    await engineCall(() => chats.delete(toChatId(chatId)));
    return { sessionId, chatId };
  }

  private chatsOf(sessionId: string): Chats {
    const { chats } = this.manager.get(sessionId).connectedEngine();
    if (!chats) throw new GatewayError('not_supported', 'this engine cannot list or manage chats');
    return chats;
  }
}
