/** send_whatsapp_message and its outcome. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const sendingEvents = {
  message_sent: s.messageSentSchema,
  send_error: s.sendErrorSchema,
} as const;

export const sendingEventNotes = {
  message_sent: {
    summary: 'WhatsApp accepted a message sent with send_whatsapp_message (also one sent from the outbox after a restart).',
    delivery: 'session followers; the requesting connection',
  },
  send_error: {
    summary:
      'send_whatsapp_message failed, or a message accepted into the outbox ended without being sent (or with an unknown outcome); carries your `clientMessageId`.',
    delivery: 'the requesting connection; session followers too once the message had been accepted (it has a `seq` then)',
  },
} as const satisfies ServerEventNotes<typeof sendingEvents>;

export const sendingRequests = {
  send_whatsapp_message: {
    payload: s.sendMessageSchema,
    success: 'message_sent',
    error: 'send_error',
    summary:
      'Send a message (text, media, a sticker, a location, contact cards or a poll; any of them may reply to a message and mention numbers): kept in the outbox, then sent in order; answered once WhatsApp accepted it. A repeated clientMessageId answers the first outcome and never sends twice.',
  },
} as const satisfies RequestSpecs;
