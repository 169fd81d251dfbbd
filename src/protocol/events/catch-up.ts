/** Catch-up after downtime (issue 15): the sandbox's way to make messages arrive while a session is not running. */
import * as s from '../schemas';
import type { RequestSpecs, ServerEventNotes } from './spec';

export const catchUpEvents = {
  offline_message_queued: s.offlineMessageQueuedSchema,
} as const;

export const catchUpEventNotes = {
  offline_message_queued: {
    summary: 'Answer to sandbox_queue_offline_message: the message now waits in the chats, delivered backfilled at the next connect.',
    delivery: 'the requesting connection',
  },
} as const satisfies ServerEventNotes<typeof catchUpEvents>;

export const catchUpRequests = {
  sandbox_queue_offline_message: {
    payload: s.queueOfflineMessageSchema,
    success: 'offline_message_queued',
    error: 'session_error',
    summary:
      'Sandbox engine only: a message arrives while the gateway does not see it (session stopped, or not yet started); the next connect delivers it as message_received with backfilled: true.',
  },
} as const satisfies RequestSpecs;
