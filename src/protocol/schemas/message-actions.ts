/** React, edit, delete, forward (issue 14) and send_presence, with their answers. */
import { z } from 'zod';
import { sessionIdSchema, TEXT_MAX_LENGTH } from './common';
import { chatAddress, messageIdSchema } from './fields';

/** React, edit, delete, forward (issue 14): the message is named by its serialized id. */
const actedMessage = {
  sessionId: sessionIdSchema,
  messageId: messageIdSchema.describe('The message: `id` of message_received, or `messageId` of message_sent.'),
};

const REACTION_MAX_LENGTH = 32;

export const reactSchema = z.object({
  ...actedMessage,
  emoji: z.string().max(REACTION_MAX_LENGTH).describe('One emoji (e.g. "👍"); "" removes your reaction.'),
});

export const editSchema = z.object({
  ...actedMessage,
  text: z
    .string()
    .min(1)
    .max(TEXT_MAX_LENGTH)
    .describe('The new text (or caption); only messages this account sent, within 15 minutes of sending.'),
});

export const deleteSchema = z.object({
  ...actedMessage,
  forEveryone: z
    .boolean()
    .default(false)
    .describe('true revokes it for everyone (your own message, or any as a group admin); false deletes it on this account only.'),
});

export const forwardSchema = z.object({ ...actedMessage, to: chatAddress });

export const presenceSchema = z.object({
  sessionId: sessionIdSchema,
  available: z.boolean().describe('true shows the account online; false offline (WhatsApp then sends no read receipts either).'),
});

export const reactionSentSchema = z.object({ sessionId: z.string(), messageId: z.string(), emoji: z.string() });

export const messageEditSentSchema = z.object({ sessionId: z.string(), messageId: z.string(), text: z.string() });

export const messageDeletedSchema = z.object({ sessionId: z.string(), messageId: z.string(), forEveryone: z.boolean() });

export const messageForwardedSchema = z.object({
  sessionId: z.string(),
  messageId: z.string().describe('The forwarded message.'),
  to: z.string().describe('`to` as sent in the request.'),
  chatId: z.string().describe('The WhatsApp chat id it was forwarded to.'),
});

export const presenceStateSchema = z.object({ sessionId: z.string(), available: z.boolean() });
