/** Typing states and read receipts. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const messagingEvents = {
  typing_state: s.typingStateSchema,
  message_read: s.messageReadSchema,
} as const;

export const messagingEventNotes = {
  typing_state: { summary: 'Answer to send_typing.', delivery: 'the requesting connection' },
  message_read: { summary: 'Answer to read_message.', delivery: 'the requesting connection' },
} as const satisfies ServerEventNotes<typeof messagingEvents>;

export const messagingRequests = {
  send_typing: {
    payload: s.typingSchema,
    success: 'typing_state',
    error: 'session_error',
    summary: 'Show "typing…" or "recording audio…" in a chat, or clear it (`state`, or `isTyping`).',
  },
  read_message: {
    payload: s.readMessageSchema,
    success: 'message_read',
    error: 'session_error',
    summary: 'Mark the chat of a received message as read.',
  },
} as const satisfies RequestSpecs;
