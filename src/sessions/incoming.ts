/**
 * Where a session's incoming messages leave: live ones and (issue 15) the ones the catch-up finds
 * after a connect, each once (src/sessions/catch-up.ts), with their file first under MEDIA_AUTO_DOWNLOAD.
 * The session runs both in its event order, so a live event for a message the catch-up is delivering
 * waits for it, and finds it delivered.
 */
import type { EngineSession } from '../engines/engine';
import type { IncomingMessage } from '../protocol/schemas';
import type { SessionDeps } from './session-deps';

export class IncomingDelivery {
  constructor(
    private readonly sessionId: string,
    private readonly deps: Pick<SessionDeps, 'emit' | 'autoDownload' | 'catchUp'>,
  ) {}

  async deliver(message: IncomingMessage, engine: EngineSession | undefined, backfilled = false): Promise<void> {
    const { catchUp, autoDownload, emit } = this.deps;
    if (catchUp && !(await catchUp.isNew(this.sessionId, message))) return;
    const published = autoDownload && engine ? await autoDownload.attach(this.sessionId, engine, message) : message;
    catchUp?.record(this.sessionId, published);
    emit('message_received', { sessionId: this.sessionId, message: published, ...(backfilled && { backfilled: true as const }) });
  }

  /** After a connect: what arrived meanwhile, oldest first, while `current()` (the engine session is still the session's). */
  async catchUp(engine: EngineSession, current: () => boolean): Promise<void> {
    const missed = (await this.deps.catchUp?.missed(this.sessionId, engine.catchUp)) ?? [];
    for (const message of missed) {
      if (!current()) return;
      await this.deliver(message, engine, true);
    }
  }
}
