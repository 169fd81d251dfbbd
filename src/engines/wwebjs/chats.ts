/**
 * Chats and history through whatsapp-web.js (issue 15). Reads are page scripts (chat-scripts.ts:
 * why); actions are the library's own calls, on the chat id the page holds, once FIND_CHAT_ID found
 * it (the library would create a missing chat). Messages are mapped as received ones are.
 */
import type wwebjs from 'whatsapp-web.js';
import { GatewayError } from '../../protocol/errors';
import type { ChatSummary, IncomingMessage } from '../../protocol/schemas';
import { MAX_PINNED_CHATS, type ChatMute, type Chats, type MessagesQuery, type MuteRequest } from '../capabilities/chats';
import { FIND_CHAT_ID, LIST_CHATS, READ_CHAT_MESSAGES, type PageChat } from './chat-scripts';
import type { ClientCalls } from './client-calls';
import type { LidDirectory } from './lid-directory';
import { libraryMessages, toIncomingMessages } from './page-messages';

interface WwebjsChatsDeps {
  calls: ClientCalls;
  lids: LidDirectory;
  /** The account's own ids, to tell its messages in replies (message-mapper.ts). */
  ownIds: () => string[];
}

export class WwebjsChats implements Chats {
  constructor(private readonly deps: WwebjsChatsDeps) {}

  async list(): Promise<ChatSummary[]> {
    return (await this.deps.calls.script('chat list', LIST_CHATS, null)).map(toChatSummary);
  }

  async fetchMessages(chatId: string, { limit, before }: MessagesQuery): Promise<IncomingMessage[]> {
    const { calls } = this.deps;
    const arg = { chatId, limit, ...(before && { before }) };
    const result = await calls.script('history', READ_CHAT_MESSAGES, arg, calls.limits.sendMs);
    if (result.outcome === 'chat_not_found') throw chatNotFound(chatId);
    if (result.outcome === 'message_not_found') {
      throw new GatewayError('message_not_found', `chat ${chatId} has no message ${before} (or not among those WhatsApp Web can load)`);
    }
    const messages = await libraryMessages(calls, 'history', result.messages);
    return toIncomingMessages(messages, this.deps.lids, this.deps.ownIds);
  }

  async archive(chatId: string, archived: boolean): Promise<void> {
    const id = await this.pageChatId(chatId);
    await this.deps.calls.run('archive', (client) => (archived ? client.archiveChat(id) : client.unarchiveChat(id)));
  }

  async pin(chatId: string, pinned: boolean): Promise<void> {
    const id = await this.pageChatId(chatId);
    const nowPinned = await this.deps.calls.run('pin', (client) => (pinned ? client.pinChat(id) : client.unpinChat(id)));
    if (pinned && !nowPinned) {
      throw new GatewayError('chat_pin_limit', `${MAX_PINNED_CHATS} chats are pinned already; unpin one first`);
    }
  }

  async mute(chatId: string, { muted, until }: MuteRequest): Promise<ChatMute> {
    const id = await this.pageChatId(chatId);
    const result = await this.deps.calls.run('mute', (client) =>
      muted ? client.muteChat(id, until === undefined ? undefined : new Date(until)) : client.unmuteChat(id),
    );
    return toChatMute(result.muteExpiration);
  }

  async markUnread(chatId: string): Promise<void> {
    const id = await this.pageChatId(chatId);
    await this.deps.calls.run('mark unread', (client) => client.markChatUnread(id));
  }

  async clear(chatId: string): Promise<void> {
    await this.onChat(chatId, 'clear', (chat) => chat.clearMessages());
  }

  async delete(chatId: string): Promise<void> {
    await this.onChat(chatId, 'chat delete', (chat) => chat.delete());
  }

  /** Chat.clearMessages() and Chat.delete() answer false when the page had no such chat. */
  private async onChat(chatId: string, what: string, act: (chat: wwebjs.Chat) => Promise<boolean>): Promise<void> {
    const id = await this.pageChatId(chatId);
    const done = await this.deps.calls.run(what, async (client) => {
      const chat = await client.getChatById(id);
      return chat ? act(chat) : false;
    });
    if (!done) throw chatNotFound(chatId);
  }

  private async pageChatId(chatId: string): Promise<string> {
    const found = await this.deps.calls.script('chat lookup', FIND_CHAT_ID, { chatId });
    if (found.outcome !== 'found') throw chatNotFound(chatId);
    return found.chatId;
  }
}

function chatNotFound(chatId: string): GatewayError {
  return new GatewayError('chat_not_found', `WhatsApp Web has no chat ${chatId} in this session`);
}

function toChatSummary(chat: PageChat): ChatSummary {
  const mute = toChatMute(chat.muteExpiration);
  return {
    id: chat.id,
    name: chat.name,
    isGroup: chat.isGroup,
    unreadCount: Math.max(0, chat.unreadCount),
    markedUnread: chat.unreadCount === -1,
    lastMessageAt: chat.t ? chat.t * 1000 : null,
    archived: chat.archive,
    pinned: chat.pin > 0,
    ...mute,
  };
}

/** WhatsApp Web's mute expiration: 0 not muted, -1 for ever, else seconds since the epoch. */
function toChatMute(expiration: number): ChatMute {
  if (!expiration) return { muted: false, mutedUntil: null };
  return { muted: true, mutedUntil: expiration > 0 ? expiration * 1000 : null };
}
