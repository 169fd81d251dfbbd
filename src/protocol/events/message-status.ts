/** How far a sent message got: its acks, and its outbox entry. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const messageStatusEvents = {
  message_ack: s.messageAckSchema,
  message_status: s.messageStatusSchema,
} as const;

export const messageStatusEventNotes = {
  message_ack: {
    summary: 'Delivery progress of a sent message (server → device → read → played), by `messageId`.',
    delivery: 'session followers',
  },
  message_status: { summary: 'Answer to get_message_status.', delivery: 'the requesting connection' },
} as const satisfies ServerEventNotes<typeof messageStatusEvents>;

export const messageStatusRequests = {
  get_message_status: {
    payload: s.getMessageStatusSchema,
    success: 'message_status',
    error: 'session_error',
    summary: 'Where a message sent through this session is: queued, sending, sent (with its latest ack), failed or unknown.',
  },
} as const satisfies RequestSpecs;
