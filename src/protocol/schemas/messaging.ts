/** send_typing and read_message. */
import { z } from 'zod';
import { sessionIdSchema } from './common';
import { chatAddress } from './fields';
import { messageKeySchema } from './receiving';

export const TYPING_STATES = ['typing', 'recording', 'paused'] as const;
export type TypingState = (typeof TYPING_STATES)[number];

/** `state` says more than `isTyping` (kept for existing clients); one of the two, never both, so they cannot disagree. */
export const typingSchema = z
  .object({
    sessionId: sessionIdSchema,
    to: chatAddress,
    isTyping: z.boolean().optional().describe('true shows "typing…", false clears it (state typing / paused).'),
    state: z.enum(TYPING_STATES).optional().describe('"typing…", "recording audio…", or paused (cleared).'),
  })
  .refine((typing) => (typing.isTyping === undefined) !== (typing.state === undefined), {
    message: 'give either isTyping or state',
    path: ['state'],
  })
  .meta({ oneOf: [{ required: ['isTyping'] }, { required: ['state'] }] });

export const readMessageSchema = z.object({
  sessionId: sessionIdSchema,
  messageKey: z
    .union([messageKeySchema, z.string().min(1).max(512)])
    .describe('The `key` object of a received message, or its `id` string.'),
});

export const typingStateSchema = z.object({
  sessionId: z.string(),
  to: z.string(),
  isTyping: z.boolean(),
  state: z.enum(TYPING_STATES).describe('The state shown: typing, recording or paused.'),
});

export const messageReadSchema = z.object({ sessionId: z.string(), messageKey: readMessageSchema.shape.messageKey });
