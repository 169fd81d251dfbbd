/**
 * Wraps an engine and records which of its sessions are running (started, not yet stopped or logged
 * out), so a test can compare what the manager lists with what the engine really runs.
 */
import type { EngineListener, EngineSession, LoginOptions } from '../../src/engines/engine';
import { WrappedEngine } from './wrapped-engine';

export class TrackedEngine extends WrappedEngine {
  /** Engine sessions per session id whose start() was called and whose stop()/logout() was not. */
  private readonly live = new Map<string, Set<EngineSession>>();

  createSession(sessionId: string, listener: EngineListener, login?: LoginOptions): EngineSession {
    const session = this.inner.createSession(sessionId, listener, login);
    const running = () => this.live.get(sessionId) ?? this.live.set(sessionId, new Set()).get(sessionId)!;
    const ended = () => running().delete(session);
    return {
      start: () => {
        running().add(session);
        return session.start();
      },
      stop: () => {
        ended();
        return session.stop();
      },
      logout: () => {
        ended();
        return session.logout();
      },
      browserProcessId: () => session.browserProcessId?.(),
      messaging: session.messaging,
      contacts: session.contacts,
      messageActions: session.messageActions,
      ...(session.simulation && { simulation: session.simulation }),
    };
  }

  /** Stops what runs for `sessionId` behind the manager's back (clean-up after a ghost). */
  async stopRunning(sessionId: string): Promise<void> {
    const sessions = [...(this.live.get(sessionId) ?? [])];
    this.live.delete(sessionId);
    await Promise.all(sessions.map((session) => session.stop()));
  }

  /** Session ids with at least one running engine session, and how many each has. */
  running(): Map<string, number> {
    return new Map([...this.live].filter(([, sessions]) => sessions.size > 0).map(([id, sessions]) => [id, sessions.size]));
  }
}
