/**
 * How session events leave a session: a Publisher gives each session the emitter it publishes
 * through; the socket layer makes the real one, and observers (logs, metrics, the terminal QR) wrap it
 * with `tapped`, seeing each event as a SessionEvent they can switch on.
 */
import { GatewayError } from '../protocol/errors';
import type { ServerEventName, ServerPayload } from '../protocol/events';

export type SessionEmitter = <E extends ServerEventName>(event: E, payload: ServerPayload<E>) => void;

export type Publisher = (sessionId: string) => SessionEmitter;

/** One event with its payload; `switch (e.event)` narrows `e.payload`. */
export type SessionEvent = { [E in ServerEventName]: { event: E; payload: ServerPayload<E> } }[ServerEventName];

/** `publish`, with `observe` seeing every event before it goes out. */
export function tapped(publish: Publisher, observe: (sessionId: string, event: SessionEvent) => void): Publisher {
  return (sessionId) => {
    const emit = publish(sessionId);
    return (event, payload) => {
      // A generic event and its payload always make a SessionEvent; TypeScript cannot see that one.
      observe(sessionId, { event, payload } as SessionEvent);
      emit(event, payload);
    };
  };
}

/** A request's answer; `publishedFor` when it already went out as that session's event (its followers are not sent it twice). */
export interface Answer<T> {
  data: T;
  publishedFor?: string;
}

/** A request's error that already went out as that session's event. */
export class PublishedError extends GatewayError {
  constructor(
    error: GatewayError,
    readonly publishedFor: string,
  ) {
    super(error.code, error.message);
  }
}
