/** Chats and history (issue 15): what a connected engine session knows of its chats, and does to them. */
import type { ChatSummary, IncomingMessage } from '../../protocol/schemas';

/** The page of a chat's messages asked for: `limit` messages older than `before` (the newest without it). */
export interface MessagesQuery {
  limit: number;
  /** A serialized message id of this chat. */
  before?: string;
}

/** Mute until `until` (ms since the epoch), for ever (`until` absent), or unmute (`muted: false`). */
export interface MuteRequest {
  muted: boolean;
  until?: number;
}

export interface ChatMute {
  muted: boolean;
  /** Ms since the epoch; null when not muted or muted for ever. */
  mutedUntil: number | null;
}

/**
 * Chat ids are WhatsApp ids, already validated. A chat the session does not have rejects with
 * `chat_not_found` (nothing is created); `before` naming no message of the chat with
 * `message_not_found`; a pin beyond WhatsApp's 3 with `chat_pin_limit`.
 */
export interface Chats {
  /** Every chat, in any order (the session layer sorts and pages them). */
  list(): Promise<ChatSummary[]>;
  /** Newest first; at most `limit`. */
  fetchMessages(chatId: string, query: MessagesQuery): Promise<IncomingMessage[]>;
  archive(chatId: string, archived: boolean): Promise<void>;
  pin(chatId: string, pinned: boolean): Promise<void>;
  mute(chatId: string, request: MuteRequest): Promise<ChatMute>;
  markUnread(chatId: string): Promise<void>;
  clear(chatId: string): Promise<void>;
  delete(chatId: string): Promise<void>;
}

/** WhatsApp's own limit on pinned chats. */
export const MAX_PINNED_CHATS = 3;
