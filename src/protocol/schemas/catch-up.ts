/** Catch-up after downtime (issue 15): the sandbox's messages that arrive while a session is not running. */
import { z } from 'zod';
import { sessionIdSchema, TEXT_MAX_LENGTH } from './common';
import { chatAddress } from './fields';
import { incomingMessageSchema } from './receiving';

export const queueOfflineMessageSchema = z.object({
  sessionId: sessionIdSchema,
  from: chatAddress,
  text: z.string().max(TEXT_MAX_LENGTH),
  ageMs: z
    .number()
    .int()
    .min(0)
    .max(366 * 24 * 60 * 60_000)
    .default(0)
    .describe('How long ago it arrived (default 0: now); older than BACKFILL_WINDOW_MS at the next connect, it is not backfilled.'),
});

export const offlineMessageQueuedSchema = z.object({
  sessionId: z.string(),
  message: incomingMessageSchema.describe('The message as message_received will carry it (with backfilled: true) at the next connect.'),
});
