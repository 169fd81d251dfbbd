/** Events of the gateway itself: the error of any request, and shutting down. */
import * as s from '../schemas';
import type { ServerEventNotes } from './spec';

export const gatewayEvents = {
  session_error: s.sessionErrorSchema,
  gateway_shutdown: s.gatewayShutdownSchema,
} as const;

export const gatewayEventNotes = {
  session_error: {
    summary: 'A request failed (`event` names it), or a session failed to start (`event` is start_session).',
    delivery: 'the requesting connection; session followers for start failures',
  },
  gateway_shutdown: {
    summary:
      'The gateway is shutting down: queued messages have `graceMs` to go out, then the connection closes. Reconnect to the restarted gateway.',
    delivery: 'every connection',
  },
} as const satisfies ServerEventNotes<typeof gatewayEvents>;
