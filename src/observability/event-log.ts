import type { Logger } from '../logger';
import type { ServerEventName, ServerPayload } from '../protocol/events';
import type { SessionEmitter } from '../sessions/session';

/** Logs every session event by name and session id (never its payload: it may hold message text). */
export function logSessionEvents(publish: (sessionId: string) => SessionEmitter, logger: Logger) {
  return (sessionId: string): SessionEmitter => {
    const emit = publish(sessionId);
    return <E extends ServerEventName>(event: E, payload: ServerPayload<E>) => {
      logger.debug({ sessionId, event }, 'session event');
      emit(event, payload);
    };
  };
}
