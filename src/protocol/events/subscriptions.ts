/** Whose events a connection receives, and resuming what it missed. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const subscriptionsEvents = {
  subscribed: s.subscribedSchema,
} as const;

export const subscriptionsEventNotes = {
  subscribed: {
    summary: 'Answer to subscribe, once any replay it asked for was sent: `replayed` says what each session sent again.',
    delivery: 'the requesting connection',
  },
} as const satisfies ServerEventNotes<typeof subscriptionsEvents>;

export const subscriptionsRequests = {
  subscribe: {
    payload: s.subscribeSchema,
    success: 'subscribed',
    error: 'session_error',
    summary:
      'Choose whose session events this connection receives ("*" = all, the default); with `since`, first get the events you missed.',
  },
} as const satisfies RequestSpecs;
