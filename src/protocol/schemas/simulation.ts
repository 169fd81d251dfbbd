/** The sandbox's requests: what it can make happen (receiving, issue 14). */
import { z } from 'zod';
import { sessionIdSchema, TEXT_MAX_LENGTH } from './common';
import { chatAddress } from './fields';
import { receivedLocationSchema, receivedPollSchema } from './receiving';

/** The media a sandbox_inject_message can carry, and a bound on its made-up size. */
export const SANDBOX_MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const;
const SANDBOX_MEDIA_MAX_BYTES = 64 * 1024 * 1024;

export const injectMessageSchema = z.object({
  sessionId: sessionIdSchema,
  from: chatAddress,
  text: z.string().max(TEXT_MAX_LENGTH),
  // receiving (issue 14): what else the injected message carries
  quotedMessageId: z.string().min(1).max(512).optional().describe('It replies to this message (one the sandbox knows).'),
  mentions: z.array(chatAddress).max(256).optional().describe('Numbers it mentions.'),
  location: receivedLocationSchema.optional().describe('Makes it a location message.'),
  poll: receivedPollSchema.optional().describe('Makes it a poll, which sandbox_vote can vote in.'),
  isForwarded: z.boolean().optional(),
  media: z
    .object({
      type: z.enum(SANDBOX_MEDIA_TYPES).describe('What kind of file the message carries (docs/sandbox.md says which bytes).'),
      size: z.number().int().min(1).max(SANDBOX_MEDIA_MAX_BYTES).optional().describe('Its size in bytes (default 1024).'),
    })
    .optional()
    .describe('Make it a media message: download_media then answers deterministic bytes; `text` is its caption.'),
});

const simulatedMessageIdSchema = z
  .string()
  .min(1)
  .max(512)
  .describe('The `id` of a message (message_received, own_message or message_sent).');

export const injectOwnMessageSchema = z.object({
  sessionId: sessionIdSchema,
  to: chatAddress,
  text: z.string().max(TEXT_MAX_LENGTH),
});

export const simulateEditSchema = z.object({
  sessionId: sessionIdSchema,
  messageId: simulatedMessageIdSchema,
  text: z.string().max(TEXT_MAX_LENGTH),
});

export const simulateRevokeSchema = z.object({ sessionId: sessionIdSchema, messageId: simulatedMessageIdSchema });

export const simulateReactionSchema = z.object({
  sessionId: sessionIdSchema,
  messageId: simulatedMessageIdSchema,
  from: chatAddress.describe('Who reacts.'),
  emoji: z.string().max(32).describe('The reaction; "" removes it.'),
});

export const simulateVoteSchema = z.object({
  sessionId: sessionIdSchema,
  messageId: simulatedMessageIdSchema.describe('The poll: the `id` of a message carrying `poll`.'),
  voter: chatAddress,
  selectedOptions: z.array(z.string().max(256)).max(12).describe('Option names; [] takes the vote back.'),
});

export const simulateCallSchema = z.object({
  sessionId: sessionIdSchema,
  from: chatAddress,
  isVideo: z.boolean().default(false),
});
