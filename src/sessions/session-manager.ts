/**
 * Every session of this gateway: creating, finding, stopping and restoring
 * them. Requests for one session go through `get()` to the Session itself.
 */
import type { Engine } from '../engines/engine';
import { GatewayError } from '../protocol/errors';
import type { RequestResult } from '../protocol/events';
import type { SessionStatusPayload } from '../protocol/schemas';
import type { Logger } from '../logger';
import { Session, type SessionEmitter, type SessionOptions } from './session';
import { StartLimiter } from './start-limiter';
import type { SessionStorage } from './storage';

export interface SessionManagerDeps {
  engine: Engine;
  storage: SessionStorage;
  logger: Logger;
  options: SessionOptions & { maxSessions: number; maxConcurrentStarts: number };
  /** Publishes a session's event to whoever follows that session. */
  publish: (sessionId: string) => SessionEmitter;
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  /** Ids being stopped or logged out right now. */
  private readonly closing = new Set<string>();
  private readonly limiter: StartLimiter;

  constructor(private readonly deps: SessionManagerDeps) {
    this.limiter = new StartLimiter(deps.options.maxConcurrentStarts);
  }

  get engineName(): string {
    return this.deps.engine.name;
  }

  /** Starts the session, or answers the status of the one already running (restarting it if it had ended). */
  start(sessionId: string): { session: Session; started: boolean } {
    this.assertNotClosing(sessionId);
    const existing = this.sessions.get(sessionId);
    if (existing) {
      if (!existing.hasEnded) return { session: existing, started: false };
      existing.start();
      return { session: existing, started: true };
    }
    if (this.sessions.size >= this.deps.options.maxSessions) {
      throw new GatewayError('max_sessions', `this gateway already runs MAX_SESSIONS=${this.deps.options.maxSessions} sessions`);
    }
    this.deps.engine.assertCanStart();
    const session = new Session(sessionId, {
      engine: this.deps.engine,
      limiter: this.limiter,
      storage: this.deps.storage,
      emit: this.deps.publish(sessionId),
      logger: this.deps.logger,
      options: this.deps.options,
    });
    this.sessions.set(sessionId, session);
    session.start();
    return { session, started: true };
  }

  get(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new GatewayError('session_not_found', `no active session "${sessionId}"; start it with start_session`);
    return session;
  }

  async stop(sessionId: string): Promise<RequestResult<'stop_session'>> {
    const session = this.get(sessionId);
    await this.closeWith(sessionId, () => session.stop());
    return { sessionId, reason: 'stopped' };
  }

  /** Logs out a running session, or deletes the stored login of one that is not running. */
  async logout(sessionId: string): Promise<RequestResult<'logout_session'>> {
    const session = this.sessions.get(sessionId);
    if (session) {
      await this.closeWith(sessionId, () => session.logout());
    } else if (await this.deps.storage.has(sessionId)) {
      await this.closeWith(sessionId, () => this.deps.storage.remove(sessionId));
      this.deps.publish(sessionId)('session_disconnected', { sessionId, reason: 'logged_out' });
    } else {
      throw new GatewayError('session_not_found', `no active or stored session "${sessionId}"`);
    }
    return { sessionId, reason: 'logged_out' };
  }

  async status(sessionId: string): Promise<SessionStatusPayload> {
    const session = this.sessions.get(sessionId);
    if (session) return session.snapshot();
    const stored = await this.deps.storage.has(sessionId);
    return { sessionId, status: stored ? 'stopped' : 'not_found', isConnected: false };
  }

  active(): RequestResult<'get_active_sessions'> {
    return [...this.sessions.values()].map((session) => {
      const { qrCode: _qr, pushname: _name, ...summary } = session.snapshot();
      return summary;
    });
  }

  async available(): Promise<RequestResult<'get_available_sessions'>> {
    const stored = await this.deps.storage.list();
    return stored.map((sessionId) => ({ sessionId, isActive: this.sessions.has(sessionId) }));
  }

  /** Starts every stored login that is not running; launches still queue behind MAX_CONCURRENT_STARTS. */
  async loadStored(): Promise<RequestResult<'load_sessions_from_storage'>> {
    const loaded: string[] = [];
    const alreadyActive: string[] = [];
    for (const sessionId of await this.deps.storage.list()) {
      if (this.sessions.has(sessionId)) {
        alreadyActive.push(sessionId);
        continue;
      }
      this.start(sessionId);
      loaded.push(sessionId);
    }
    return { loaded, alreadyActive };
  }

  /** Closes every session, keeping stored logins (server shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.closeWith(id, () => this.sessions.get(id)!.stop('shutdown'))));
  }

  private async closeWith(sessionId: string, close: () => Promise<void>): Promise<void> {
    this.assertNotClosing(sessionId);
    this.closing.add(sessionId);
    try {
      await close();
    } finally {
      this.sessions.delete(sessionId);
      this.closing.delete(sessionId);
    }
  }

  private assertNotClosing(sessionId: string): void {
    if (this.closing.has(sessionId)) {
      throw new GatewayError('session_exists', `session "${sessionId}" is being stopped; retry when session_disconnected arrives`);
    }
  }
}
