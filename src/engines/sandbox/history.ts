/**
 * What the sandbox remembers of the messages of a session (received, own, sent), so its simulated
 * edits, deletions, reactions, votes and replies can name them: the newest MAX_MESSAGES, in memory.
 */
import { GatewayError } from '../../protocol/errors';
import type { IncomingMessage } from '../../protocol/schemas';

const MAX_MESSAGES = 1_000;

export interface KnownMessage {
  id: string;
  chatId: string;
  /** Who wrote it, as the protocol shows people (a number; this account's for its own). */
  from: string;
  text: string;
  type: IncomingMessage['type'];
  poll?: IncomingMessage['poll'];
  /** The whole message as it was reported (or, for a send, as fetch_messages shows it): chats.ts pages through these. */
  message?: IncomingMessage;
}

export class SandboxHistory {
  private readonly messages = new Map<string, KnownMessage>();
  /** The same messages by chat, oldest first, so that a chat's messages cost its own and not everyone's. */
  private readonly byChat = new Map<string, Map<string, KnownMessage>>();

  remember(message: KnownMessage): void {
    const known = this.messages.get(message.id);
    if (known && known.chatId !== message.chatId) this.forget(message.id);
    this.messages.set(message.id, message);
    const chat = this.byChat.get(message.chatId) ?? new Map<string, KnownMessage>();
    this.byChat.set(message.chatId, chat.set(message.id, message));
    for (const oldest of this.messages.keys()) {
      if (this.messages.size <= MAX_MESSAGES) break;
      this.forget(oldest);
    }
  }

  /** The message, or `message_not_found`. */
  get(messageId: string): KnownMessage {
    const known = this.messages.get(messageId);
    if (!known) throw new GatewayError('message_not_found', `the sandbox knows no message ${messageId} in this session`);
    return known;
  }

  forget(messageId: string): void {
    const known = this.messages.get(messageId);
    if (!known) return;
    this.messages.delete(messageId);
    const chat = this.byChat.get(known.chatId)!;
    chat.delete(messageId);
    if (chat.size === 0) this.byChat.delete(known.chatId);
  }

  /** The messages of a chat, oldest first (chats, issue 15). */
  ofChat(chatId: string): KnownMessage[] {
    return [...(this.byChat.get(chatId)?.values() ?? [])];
  }

  /** The chats that have a remembered message. */
  chatIds(): IterableIterator<string> {
    return this.byChat.keys();
  }

  hasChat(chatId: string): boolean {
    return this.byChat.has(chatId);
  }

  forgetChat(chatId: string): void {
    for (const messageId of this.byChat.get(chatId)?.keys() ?? []) this.messages.delete(messageId);
    this.byChat.delete(chatId);
  }
}

export function knownFrom(message: IncomingMessage): KnownMessage {
  const { id, chatId, from, text, type, poll } = message;
  return { id, chatId, from: message.author ?? from, text, type, ...(poll && { poll }), message };
}
