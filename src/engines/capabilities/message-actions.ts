/** React, edit, delete, forward and presence (issue 14): what a connected engine session does to messages already there. */

/**
 * Message ids are serialized (`<fromMe>_<chat>_<id>`), chat ids WhatsApp ids, already validated.
 * A message the engine cannot find rejects with `message_not_found`; an edit it may not make with
 * `message_not_editable`; a revoke it may not make with `message_not_revocable`.
 */
export interface MessageActions {
  /** "" removes this account's reaction. */
  react(messageId: string, emoji: string): Promise<void>;
  edit(messageId: string, text: string): Promise<void>;
  delete(messageId: string, forEveryone: boolean): Promise<void>;
  forward(messageId: string, chatId: string): Promise<void>;
  setPresence(available: boolean): Promise<void>;
}

/** WhatsApp lets a sent message be edited for this long. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;
