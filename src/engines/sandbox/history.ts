/**
 * What the sandbox remembers of the messages of a session (received, own, sent), so its simulated
 * edits, deletions, reactions, votes and replies can name them: the newest MAX_MESSAGES, in memory.
 */
import { GatewayError } from '../../protocol/errors';
import type { IncomingMessage } from '../../protocol/schemas';
import { dropOldest } from '../../util/bounded-map';

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

  remember(message: KnownMessage): void {
    this.messages.set(message.id, message);
    dropOldest(this.messages, MAX_MESSAGES);
  }

  /** The message, or `message_not_found`. */
  get(messageId: string): KnownMessage {
    const known = this.messages.get(messageId);
    if (!known) throw new GatewayError('message_not_found', `the sandbox knows no message ${messageId} in this session`);
    return known;
  }

  forget(messageId: string): void {
    this.messages.delete(messageId);
  }

  /** The messages of a chat, oldest first (chats, issue 15). */
  ofChat(chatId: string): KnownMessage[] {
    return [...this.messages.values()].filter((known) => known.chatId === chatId);
  }

  chatIds(): Set<string> {
    return new Set([...this.messages.values()].map((known) => known.chatId));
  }

  forgetChat(chatId: string): void {
    for (const known of this.ofChat(chatId)) this.messages.delete(known.id);
  }
}

export function knownFrom(message: IncomingMessage): KnownMessage {
  const { id, chatId, from, text, type, poll } = message;
  return { id, chatId, from: message.author ?? from, text, type, ...(poll && { poll }), message };
}
