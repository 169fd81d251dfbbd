/** Chats and history (issue 15): the chat list, a chat's earlier messages, and what can be done to a chat. */
import { z } from 'zod';
import { sessionIdSchema } from './common';
import { chatAddress, messageIdSchema } from './fields';
import { incomingMessageSchema } from './receiving';

const CHATS_PAGE_DEFAULT = 50;
const CHATS_PAGE_MAX = 200;
/** Each page of history may make WhatsApp Web load earlier messages from the phone: kept small. */
const MESSAGES_PAGE_MAX = 100;
/** How long the opaque cursor of get_chats may be (it is produced by the gateway, so this is generous). */
const CURSOR_MAX_LENGTH = 512;

const chatRef = {
  sessionId: sessionIdSchema,
  chatId: chatAddress.describe('The chat: `id` from get_chats (…@c.us, …@g.us or …@lid); a phone number names a person’s chat.'),
};

export const getChatsSchema = z.object({
  sessionId: sessionIdSchema,
  limit: z
    .number()
    .int()
    .min(1)
    .max(CHATS_PAGE_MAX)
    .default(CHATS_PAGE_DEFAULT)
    .describe(`Chats per page (1-${CHATS_PAGE_MAX}, default ${CHATS_PAGE_DEFAULT}).`),
  cursor: z
    .string()
    .min(1)
    .max(CURSOR_MAX_LENGTH)
    .optional()
    .describe('`nextCursor` of the previous page; absent for the first page (newest activity first).'),
});

const chatSummarySchema = z.object({
  id: z.string().describe('The chat id (…@c.us, …@g.us, or …@lid for people WhatsApp addresses by LID).'),
  name: z.string().describe('As WhatsApp Web shows it: the group subject, the saved or push name, else the number.'),
  isGroup: z.boolean(),
  unreadCount: z.number().int().min(0).describe('Unread messages; 0 for a chat only marked unread (see `markedUnread`).'),
  markedUnread: z.boolean().describe('Marked unread by hand (mark_chat_unread, or on the phone) without a count.'),
  lastMessageAt: z.number().int().nullable().describe('Milliseconds since the epoch of the last activity; null when unknown.'),
  archived: z.boolean(),
  pinned: z.boolean(),
  muted: z.boolean(),
  mutedUntil: z.number().int().nullable().describe('When the mute ends (ms since the epoch); null when not muted or muted for ever.'),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

export const chatListSchema = z.object({
  sessionId: z.string(),
  chats: z.array(chatSummarySchema).describe('Newest activity first.'),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null on the last page. Opaque: do not build or change it.'),
});

export const fetchMessagesSchema = z.object({
  ...chatRef,
  limit: z.number().int().min(1).max(MESSAGES_PAGE_MAX).describe(`Messages in this page (1-${MESSAGES_PAGE_MAX}).`),
  before: messageIdSchema
    .optional()
    .describe('A message id of this chat (`nextBefore` of the previous page): only messages older than it. Absent: the newest.'),
});

export const chatMessagesSchema = z.object({
  sessionId: z.string(),
  chatId: z.string().describe('`chatId` as asked.'),
  messages: z.array(incomingMessageSchema).describe('Newest first, each as message_received.message (fromMe true for this account’s).'),
  nextBefore: z
    .string()
    .nullable()
    .describe('Pass as `before` for the next (older) page; null when this page was not full (nothing older is known).'),
});

export const archiveChatSchema = z.object({
  ...chatRef,
  archived: z.boolean().default(true).describe('false takes the chat out of the archive.'),
});

export const pinChatSchema = z.object({
  ...chatRef,
  pinned: z.boolean().default(true).describe('false unpins it. WhatsApp pins at most 3 chats.'),
});

export const muteChatSchema = z.object({
  ...chatRef,
  muted: z.boolean().default(true).describe('false unmutes the chat (`until` is then not allowed).'),
  until: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('With muted: when the mute ends, ms since the epoch, in the future; absent mutes it until unmuted.'),
});

export const chatRefSchema = z.object(chatRef);

const chatAnswer = { sessionId: z.string(), chatId: z.string().describe('`chatId` as asked.') };

export const chatArchivedSchema = z.object({ ...chatAnswer, archived: z.boolean() });
export const chatPinnedSchema = z.object({ ...chatAnswer, pinned: z.boolean() });
export const chatMutedSchema = z.object({
  ...chatAnswer,
  muted: z.boolean(),
  mutedUntil: z.number().int().nullable().describe('When the mute ends (ms since the epoch); null when unmuted or muted for ever.'),
});
export const chatMarkedUnreadSchema = z.object(chatAnswer);
export const chatClearedSchema = z.object(chatAnswer);
export const chatDeletedSchema = z.object(chatAnswer);
