/** Chats and history (issue 15): the chat list, earlier messages, and archive, pin, mute, unread, clear, delete. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const chatsEvents = {
  chat_list: s.chatListSchema,
  chat_messages: s.chatMessagesSchema,
  chat_archived: s.chatArchivedSchema,
  chat_pinned: s.chatPinnedSchema,
  chat_muted: s.chatMutedSchema,
  chat_marked_unread: s.chatMarkedUnreadSchema,
  chat_cleared: s.chatClearedSchema,
  chat_deleted: s.chatDeletedSchema,
} as const;

const answer = (summary: string) => ({ summary, delivery: 'the requesting connection' });

export const chatsEventNotes = {
  chat_list: answer('Answer to get_chats: one page of chats, newest activity first.'),
  chat_messages: answer('Answer to fetch_messages: one page of a chat’s messages, newest first.'),
  chat_archived: answer('Answer to archive_chat: WhatsApp Web archived (or unarchived) the chat.'),
  chat_pinned: answer('Answer to pin_chat: WhatsApp Web pinned (or unpinned) the chat.'),
  chat_muted: answer('Answer to mute_chat: the chat’s mute as WhatsApp Web now has it.'),
  chat_marked_unread: answer('Answer to mark_chat_unread: WhatsApp Web marked the chat unread.'),
  chat_cleared: answer('Answer to clear_chat: WhatsApp Web cleared the chat’s messages on this account.'),
  chat_deleted: answer('Answer to delete_chat: WhatsApp Web deleted the chat on this account.'),
} as const satisfies ServerEventNotes<typeof chatsEvents>;

export const chatsRequests = {
  get_chats: {
    payload: s.getChatsSchema,
    success: 'chat_list',
    error: 'session_error',
    summary: 'List the chats WhatsApp Web has, newest activity first, a page at a time (`cursor`).',
  },
  fetch_messages: {
    payload: s.fetchMessagesSchema,
    success: 'chat_messages',
    error: 'session_error',
    summary: 'Earlier messages of a chat, newest first, a page at a time (`before`); WhatsApp Web may load them from the phone.',
  },
  archive_chat: {
    payload: s.archiveChatSchema,
    success: 'chat_archived',
    error: 'session_error',
    summary: 'Archive (or unarchive) a chat.',
  },
  pin_chat: { payload: s.pinChatSchema, success: 'chat_pinned', error: 'session_error', summary: 'Pin (or unpin) a chat; at most 3.' },
  mute_chat: {
    payload: s.muteChatSchema,
    success: 'chat_muted',
    error: 'session_error',
    summary: 'Mute a chat until a time or until unmuted, or unmute it (`muted: false`).',
  },
  mark_chat_unread: {
    payload: s.chatRefSchema,
    success: 'chat_marked_unread',
    error: 'session_error',
    summary: 'Mark a chat unread (read_message marks it read).',
  },
  clear_chat: {
    payload: s.chatRefSchema,
    success: 'chat_cleared',
    error: 'session_error',
    summary: 'Delete every message of a chat on this account (the chat stays).',
  },
  delete_chat: {
    payload: s.chatRefSchema,
    success: 'chat_deleted',
    error: 'session_error',
    summary: 'Delete a chat and its messages on this account.',
  },
} as const satisfies RequestSpecs;
