/** download_media and its answer. */
import { z } from 'zod';
import { sessionIdSchema } from './common';
import { messageIdSchema } from './fields';

export const downloadMediaSchema = z.object({
  sessionId: sessionIdSchema,
  messageId: messageIdSchema.describe('The `id` of a received message with `hasMedia: true`.'),
  as: z
    .enum(['data', 'url'])
    .optional()
    .describe(
      'data: the file base64 in the answer (media_too_large if it does not fit in one message); url: a short-lived link on the gateway (GET it with your API key); default: data when it fits, else url.',
    ),
});

export const mediaDownloadedSchema = z.object({
  sessionId: z.string(),
  messageId: z.string(),
  mimetype: z.string(),
  fileName: z.string().optional().describe('The name the sender gave the file, when it had one (documents mostly).'),
  size: z.number().int().describe('Bytes of the file.'),
  data: z.string().optional().describe('The file, base64 (absent when `url` is given).'),
  url: z
    .string()
    .optional()
    .describe(
      'Path of a short-lived link to the file on the gateway (/media/<token>, relative to the address you connected to): GET it with the same API key (Authorization: Bearer or x-api-key) until `expiresAt`.',
    ),
  expiresAt: z.number().int().optional().describe('When `url` stops working (ms since the epoch; MEDIA_LINK_TTL_MS after the answer).'),
});
