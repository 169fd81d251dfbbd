/** React, edit, delete, forward (issue 14) and presence. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const messageActionsEvents = {
  reaction_sent: s.reactionSentSchema,
  message_edit_sent: s.messageEditSentSchema,
  message_deleted: s.messageDeletedSchema,
  message_forwarded: s.messageForwardedSchema,
  presence_state: s.presenceStateSchema,
} as const;

export const messageActionsEventNotes = {
  reaction_sent: {
    summary: 'Answer to react_to_message: WhatsApp Web took the reaction (or its removal).',
    delivery: 'the requesting connection',
  },
  message_edit_sent: { summary: 'Answer to edit_message: WhatsApp Web took the new text.', delivery: 'the requesting connection' },
  message_deleted: {
    summary: 'Answer to delete_message: deleted for everyone, or on this account only.',
    delivery: 'the requesting connection',
  },
  message_forwarded: { summary: 'Answer to forward_message: WhatsApp Web took the forward.', delivery: 'the requesting connection' },
  presence_state: { summary: 'Answer to send_presence.', delivery: 'the requesting connection' },
} as const satisfies ServerEventNotes<typeof messageActionsEvents>;

export const messageActionsRequests = {
  react_to_message: {
    payload: s.reactSchema,
    success: 'reaction_sent',
    error: 'session_error',
    summary: 'React to a message with an emoji ("" removes the reaction); in the send queue, after the sends before it.',
  },
  edit_message: {
    payload: s.editSchema,
    success: 'message_edit_sent',
    error: 'session_error',
    summary: 'Change the text of a message this account sent (within 15 minutes); in the send queue, after the sends before it.',
  },
  delete_message: {
    payload: s.deleteSchema,
    success: 'message_deleted',
    error: 'session_error',
    summary: 'Delete a message for everyone (revoke) or on this account only; in the send queue, after the sends before it.',
  },
  forward_message: {
    payload: s.forwardSchema,
    success: 'message_forwarded',
    error: 'session_error',
    summary: 'Forward a message to another chat; in the send queue, after the sends before it.',
  },
  send_presence: {
    payload: s.presenceSchema,
    success: 'presence_state',
    error: 'session_error',
    summary: 'Show the account online (available) or offline.',
  },
} as const satisfies RequestSpecs;
