/** Engine events are handled one after another, in the order the engine reported them. */
import type { Logger } from '../logger';

/** Runs one engine event's handler in the session's event order. */
export type HandleEvent = (handler: () => unknown) => void;

export class EventOrder {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly logger: Logger) {}

  /** The handlers of one engine session: skipped once `isCurrent()` says the session let go of it. */
  handlerFor(isCurrent: () => boolean): HandleEvent {
    return (handler) => {
      this.chain = this.chain
        .then(() => (isCurrent() ? handler() : undefined))
        .catch((error: unknown) => this.logger.error({ err: error }, 'engine event handler failed'));
    };
  }
}
