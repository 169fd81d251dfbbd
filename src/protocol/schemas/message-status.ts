/** How far a sent message got: its acks (message_ack) and its outbox entry (get_message_status). */
import { z } from 'zod';
import { errorCodeSchema, sessionIdSchema } from './common';
import { loggedEvent } from './fields';
import { messageTypeSchema } from './sending';

/** How far a sent message got, in the order it gets there (WhatsApp's acks 0 … 4): it only moves forward. */
export const ACK_PROGRESS = ['pending', 'server', 'device', 'read', 'played'] as const;
/** WhatsApp gave up on the message (its acks -7 … -1); it can follow any step of the progress. */
export const ACK_FAILED = 'error';
const ACK_STATUSES = [ACK_FAILED, ...ACK_PROGRESS] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

export const messageAckSchema = z.object({
  sessionId: z.string(),
  messageId: z.string(),
  ack: z
    .enum(ACK_STATUSES)
    .describe(`How far the message got, in order: ${ACK_PROGRESS.join(' → ')}. \`${ACK_FAILED}\`: it failed, after any of them.`),
  ...loggedEvent,
});

export const getMessageStatusSchema = z
  .object({
    sessionId: sessionIdSchema,
    clientMessageId: z.string().min(1).max(128).optional().describe('The clientMessageId you sent it with.'),
    messageId: z.string().min(1).max(512).optional().describe('The WhatsApp message id message_sent answered.'),
  })
  .refine((payload) => (payload.clientMessageId === undefined) !== (payload.messageId === undefined), {
    message: 'give either clientMessageId or messageId',
    path: ['clientMessageId'],
  })
  .meta({ oneOf: [{ required: ['clientMessageId'] }, { required: ['messageId'] }] });

const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'unknown'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** What each outbox state means; docs/protocol.md shows these. */
const OUTBOX_STATE_MEANINGS = {
  queued: 'Accepted and kept in the outbox, waiting for its turn (or for its session to connect).',
  sending: 'Being handed to WhatsApp.',
  sent: 'WhatsApp accepted it: `messageId` is set, `ack` tells how far it got.',
  failed: 'Not sent; `error` says why. A send with the same clientMessageId tries again.',
  unknown: 'It may or may not have gone out (`error`: send_unconfirmed or send_interrupted); it is never sent again by the gateway.',
} as const satisfies Record<OutboxState, string>;

export const messageStatusSchema = z.object({
  sessionId: z.string(),
  clientMessageId: z.string().optional(),
  status: z.enum(OUTBOX_STATES).meta({ 'x-enum-descriptions': OUTBOX_STATES.map((state) => OUTBOX_STATE_MEANINGS[state]) }),
  to: z.string().describe('`to` as sent in the request.'),
  type: messageTypeSchema,
  chatId: z.string().optional().describe('The WhatsApp chat id it went (or was going) to, once known.'),
  messageId: z.string().optional().describe('WhatsApp message id, once sent.'),
  ack: z.enum(ACK_STATUSES).optional().describe('The latest delivery progress WhatsApp reported for it.'),
  error: z.object({ code: errorCodeSchema, message: z.string() }).optional().describe('Why it failed, or why its outcome is unknown.'),
  acceptedAt: z.number().int().describe('Milliseconds since the epoch.'),
  sentAt: z.number().int().optional().describe('When WhatsApp accepted it.'),
  updatedAt: z.number().int().describe('When its status or ack last changed.'),
});
