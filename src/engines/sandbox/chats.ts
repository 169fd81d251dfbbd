/**
 * Sandbox chats (issue 15), built from what the session's history remembers (history.ts: received,
 * own and sent messages of this run, the newest 1,000): a chat exists while it has a message, or was
 * cleared, until it is deleted. Flags live in memory, like the history. See docs/sandbox.md.
 */
import { isGroupId } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { ChatSummary, IncomingMessage } from '../../protocol/schemas';
import { MAX_PINNED_CHATS, type ChatMute, type Chats, type MessagesQuery, type MuteRequest } from '../capabilities/chats';
import type { KnownMessage } from './history';
import type { SandboxContext } from './sandbox-session';

interface ChatFlags {
  archived: boolean;
  pinned: boolean;
  /** undefined: not muted; null: muted for ever; else ms since the epoch. */
  mutedUntil?: number | null;
  markedUnread: boolean;
}

const NO_FLAGS: ChatFlags = { archived: false, pinned: false, markedUnread: false };

export class SandboxChats implements Chats {
  private readonly flags = new Map<string, ChatFlags>();
  /** Chats cleared of their messages: they stay listed. */
  private readonly cleared = new Set<string>();

  constructor(
    private readonly session: Pick<SandboxContext, 'history'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Each chat's summary reads its own messages only (history.ts keeps them by chat): one pass over all messages in all. */
  async list(): Promise<ChatSummary[]> {
    const ids = new Set([...this.session.history.chatIds(), ...this.cleared]);
    return [...ids].map((chatId) => this.summaryOf(chatId));
  }

  async fetchMessages(chatId: string, { limit, before }: MessagesQuery): Promise<IncomingMessage[]> {
    this.assertChat(chatId);
    const newestFirst = this.messagesOf(chatId).reverse();
    const start = before === undefined ? 0 : newestFirst.findIndex((message) => message.id === before) + 1;
    if (start === 0 && before !== undefined) {
      throw new GatewayError('message_not_found', `the sandbox has no message ${before} in chat ${chatId}`);
    }
    return newestFirst.slice(start, start + limit);
  }

  async archive(chatId: string, archived: boolean): Promise<void> {
    this.update(chatId, { archived });
  }

  async pin(chatId: string, pinned: boolean): Promise<void> {
    this.assertChat(chatId);
    const others = [...this.flags].filter(([id, flags]) => id !== chatId && flags.pinned).length;
    if (pinned && !this.flagsOf(chatId).pinned && others >= MAX_PINNED_CHATS) {
      throw new GatewayError('chat_pin_limit', `${MAX_PINNED_CHATS} chats are pinned already; unpin one first`);
    }
    this.update(chatId, { pinned });
  }

  async mute(chatId: string, { muted, until }: MuteRequest): Promise<ChatMute> {
    this.update(chatId, { mutedUntil: muted ? (until ?? null) : undefined });
    return { muted, mutedUntil: muted ? (until ?? null) : null };
  }

  async markUnread(chatId: string): Promise<void> {
    this.update(chatId, { markedUnread: true });
  }

  async clear(chatId: string): Promise<void> {
    this.assertChat(chatId);
    this.session.history.forgetChat(chatId);
    this.cleared.add(chatId);
  }

  async delete(chatId: string): Promise<void> {
    this.assertChat(chatId);
    this.session.history.forgetChat(chatId);
    this.cleared.delete(chatId);
    this.flags.delete(chatId);
  }

  private summaryOf(chatId: string): ChatSummary {
    const messages = this.messagesOf(chatId);
    const { archived, pinned, mutedUntil, markedUnread } = this.flagsOf(chatId);
    const lastOwn = messages.map((message) => message.fromMe).lastIndexOf(true);
    const unreadCount = messages.slice(lastOwn + 1).filter((message) => !message.fromMe).length;
    const muted = mutedUntil === null || (mutedUntil !== undefined && mutedUntil > this.now());
    return {
      id: chatId,
      name: isGroupId(chatId) ? `Group ${chatId.split('@')[0]!.slice(-4)}` : `Contact ${chatId.split('@')[0]!.slice(-4)}`,
      isGroup: isGroupId(chatId),
      unreadCount,
      markedUnread: markedUnread && unreadCount === 0,
      lastMessageAt: messages[messages.length - 1]?.timestamp ?? null,
      archived,
      pinned,
      muted,
      mutedUntil: muted ? (mutedUntil ?? null) : null,
    };
  }

  /** Oldest first. */
  private messagesOf(chatId: string): IncomingMessage[] {
    return this.session.history
      .ofChat(chatId)
      .map((known: KnownMessage) => known.message)
      .filter((message): message is IncomingMessage => message !== undefined);
  }

  private flagsOf(chatId: string): ChatFlags {
    return this.flags.get(chatId) ?? NO_FLAGS;
  }

  private update(chatId: string, change: Partial<ChatFlags>): void {
    this.assertChat(chatId);
    this.flags.set(chatId, { ...this.flagsOf(chatId), ...change });
  }

  private assertChat(chatId: string): void {
    if (!this.cleared.has(chatId) && !this.session.history.hasChat(chatId)) {
      throw new GatewayError('chat_not_found', `the sandbox session has no chat ${chatId}`);
    }
  }
}
