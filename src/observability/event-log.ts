import type { Logger } from '../logger';
import { tapped, type Publisher } from '../sessions/publisher';

/** Logs every session event by name and session id (never its payload: it may hold message text). */
export function logSessionEvents(publish: Publisher, logger: Logger): Publisher {
  return tapped(publish, (sessionId, { event }) => logger.debug({ sessionId, event }, 'session event'));
}
