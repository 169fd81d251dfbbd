/** Receiving (issue 14): what happens in the chats. */
import * as s from '../schemas';
import type { ServerEventNotes } from './spec';

export const receivingEvents = {
  message_received: s.messageReceivedSchema,
  own_message: s.ownMessageSchema,
  message_edited: s.messageEditedSchema,
  message_revoked: s.messageRevokedSchema,
  message_reaction: s.messageReactionSchema,
  poll_vote: s.pollVoteSchema,
  call_received: s.callReceivedSchema,
} as const;

export const receivingEventNotes = {
  message_received: { summary: 'An incoming message; `read_message` takes its `key` or `id`.', delivery: 'session followers' },
  own_message: {
    summary:
      'A message this account sent from its phone or another linked device (never one sent through the gateway: that is message_sent).',
    delivery: 'session followers',
  },
  message_edited: { summary: 'A message in one of the chats was edited (by its sender).', delivery: 'session followers' },
  message_revoked: { summary: 'A message was deleted for everyone.', delivery: 'session followers' },
  message_reaction: {
    summary: 'Someone (this account included) reacted to a message, changed or took back their reaction (`emoji` "").',
    delivery: 'session followers',
  },
  poll_vote: {
    summary: 'Someone voted in a poll, or changed their vote: `selectedOptions` is their whole current choice.',
    delivery: 'session followers',
  },
  call_received: {
    summary: 'Someone calls this account. With REJECT_CALLS the gateway then declines the call (and sends REJECT_CALLS_MESSAGE, if set).',
    delivery: 'session followers',
  },
} as const satisfies ServerEventNotes<typeof receivingEvents>;
